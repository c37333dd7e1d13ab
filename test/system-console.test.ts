import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDirectory } from '../src/timesharing/directory.ts';
import { TimeSharingSystem } from '../src/timesharing/time-sharing-system.ts';
import { DEMO, workDir } from './system-helpers.ts';

describe('consoles', () => {
  it('prefixes every console line with its user ID and keeps a log per user', () => {
    const dir = workDir();
    const text = `USER TICKER PW 64K AUTOLOG
  IPL ${join(DEMO, 'ticker.s')}
USER CMS1 PW 256K AUTOLOG
  IPL ${join(DEMO, 'minicms.s')}
INPUT CMS1 #CP QUERY NAMES
INPUT CMS1 BOGUS
INPUT CMS1 #CP FROBNICATE
INPUT CMS1 #CP MSG TICKER HELLO THERE
`;
    const p = parseDirectory(text, join(dir, 'user.direct'));
    expect(p.errors).toEqual([]);
    const out: string[] = [];
    const sys = new TimeSharingSystem(p.directory, { out: (l) => out.push(l), spoolDir: join(dir, 'spool'), logDir: join(dir, 'logs') });
    sys.boot();
    expect(sys.runUntilQuiet(10_000_000)).toBe('idle');
    sys.shutdown();
    for (const l of out) expect(l).toMatch(/^(TICKER|CMS1|CP): /);
    expect(out).toEqual(expect.arrayContaining([
      'TICKER: TICK        1', 'TICKER: TICK        5', 'CMS1: MINICMS READY (SEND user, RECEIVE, TYPE, PRINT, QUIT)',
      'CMS1: #CP QUERY NAMES', 'CMS1: BOGUS', 'CMS1: ?', 'CMS1: UNKNOWN CP COMMAND: FROBNICATE',
      'TICKER: MSG FROM CMS1: HELLO THERE',
    ]));
    expect(out.find((l) => l.startsWith('CMS1: TICKER - '))).toMatch(/^CMS1: TICKER - (READY|IDLE|ENDED) , CMS1 - (READY|IDLE)$/);
    const log = readFileSync(join(dir, 'logs', 'CMS1.log'), 'utf8').split('\n');
    expect(log).toEqual(expect.arrayContaining(['BOGUS', '?', 'UNKNOWN CP COMMAND: FROBNICATE']));
    expect(log.some((l) => l.startsWith('CMS1: '))).toBe(false); // the log is the user's own console: no prefix
    expect(readFileSync(join(dir, 'logs', 'TICKER.log'), 'utf8')).toContain('TICK        5\n');
  });
});

describe('the terminal (interactive mode)', () => {
  it('sends typed lines to the attached console, escapes to CP with #CP, switches with DIAL, ends with SHUTDOWN', () => {
    const dir = workDir();
    const text = `USER CMS1 PW 256K AUTOLOG
  IPL ${join(DEMO, 'minicms.s')}
USER CMS2 PW 256K AUTOLOG
  IPL ${join(DEMO, 'minicms.s')}
`;
    const p = parseDirectory(text, join(dir, 'user.direct'));
    expect(p.errors).toEqual([]);
    const out: string[] = [];
    const sys = new TimeSharingSystem(p.directory, { out: (l) => out.push(l), spoolDir: join(dir, 'spool'), logDir: null });
    sys.boot();
    sys.runUntilQuiet(1_000_000);
    expect(sys.terminalLine('hello')).toBeUndefined();
    expect(out.at(-1)).toBe('CP: no console attached: #CP LOGON user password or #CP DIAL user');
    sys.mux.attached = 'CMS1';
    sys.terminalLine('BOGUS');
    sys.terminalLine('#CP DISPLAY PSW');
    sys.terminalLine('#CP DIAL CMS2');
    sys.terminalLine('#CP QUERY NAMES');
    sys.runUntilQuiet(1_000_000);
    expect(out).toEqual(expect.arrayContaining(['CMS1: BOGUS', 'CMS1: #CP DISPLAY PSW', 'CMS1: #CP DIAL CMS2', 'CMS2: #CP QUERY NAMES']));
    expect(out.some((l) => /^CMS1: PSW = [0-9A-F]{8} [0-9A-F]{8}/.test(l))).toBe(true);
    expect(sys.mux.attached).toBe('CMS2');
    expect(sys.terminalLine('#CP SHUTDOWN')).toBe('shutdown');
    sys.shutdown();
  });
});
