/**
 * The `tinycp` command end to end, as a user runs it: output, exit codes (0 success, 1 ended
 * otherwise, 2 did not end, 3 bad input) and the one-line reasons.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { suiteTempDir } from './tmp.ts';
import { echoSource } from './guest-helpers.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'tinycp.mjs');
function tinycp(args: string[], input = '') {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', cwd: join(import.meta.dirname, '..'), timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const dir = suiteTempDir('tinycp-cli-');
function source(name: string, text: string): string { const f = join(dir(), name); writeFileSync(f, text); return f; }

describe('tinycp run', () => {
  it('runs hello bare and under CP: exit 0, the line on stdout', () => {
    expect(tinycp(['run', 'programs/hello.s'])).toMatchObject({ code: 0, out: 'Hello, world\n', err: '' });
    expect(tinycp(['run', '--vm', 'programs/hello.s'])).toMatchObject({ code: 0, out: 'Hello, world\n' });
  });

  it('exits 1 with a one-line reason when the program ends otherwise, 2 when it does not end', () => {
    const fail = source('fail.s', '        .include "tinycp.inc"\n        .org 0\n        .psw 0,start\n        .org 0x200\nstart:  EXIT 8\n');
    const r = tinycp(['run', fail]);
    expect(r.code).toBe(1);
    expect(r.err).toBe("tinycp: disabled wait, code X'8'\n");
    const spin = source('spin.s', '        .org 0\n        .psw 0,start\n        .org 0x200\nstart:  J start\n');
    expect(tinycp(['run', '--max-instructions', '1000', spin])).toMatchObject({ code: 2, err: 'tinycp: instruction budget of 1000 spent\n' });
  });

  it('exits 3 on assembly errors, printed as file:line:col', () => {
    const bad = source('bad.s', '        .org 0x200\n        LR R1,R16\n');
    const r = tinycp(['run', bad]);
    expect(r.code).toBe(3);
    expect(r.err).toBe(`${bad}:2:15: error: undefined symbol R16: the general registers are R0-R15\n`);
  });

  it('prints CP statistics as one JSON object with efficiency as a fraction', () => {
    // Without the assist, CP itself handles every SVC and LPSW (test/assist.test.ts: with it).
    const r = tinycp(['run', '--vm', '--stats', '--json', '--no-assist', 'programs/syscall.s']);
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.out.trim().split('\n').pop()!);
    expect(stats.efficiency).toBeGreaterThan(0);
    expect(stats.efficiency).toBeLessThan(1);
    expect(stats.entries.svc).toBe(stats.entries.privileged - 1); // one LPSW per SVC, plus the EXIT
  });

  it('traces interruptions on the bare machine and CP traps under CP', () => {
    const bare = tinycp(['run', '--trace', 'programs/tlbmiss.s']);
    expect(bare.out).toMatch(/^t=\d+ program interruption, code X'0011' \(page-translation\)/m);
    const vm = tinycp(['run', '--vm', '--trace', 'programs/tlbmiss.s']);
    expect(vm.out).toMatch(/CP shadow-fill: the shadow table had no entry/);
  });

  it('reads console input from stdin when it is not a terminal', () => {
    const echo = source('echo.s', echoSource());
    expect(tinycp(['run', echo], 'typed line\n')).toMatchObject({ code: 0, out: 'typed line\n' });
    expect(tinycp(['run', echo], '')).toMatchObject({ code: 2, err: 'tinycp: the program waits for console input and there is no more\n' });
  });
});

describe('tinycp asm and disasm', () => {
  it('writes an object file and a listing; disassembles it back', () => {
    const out = join(dir(), 'hello.tco');
    const r = tinycp(['asm', 'programs/hello.s', '-o', out, '--listing']);
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(JSON.parse(readFileSync(out, 'utf8')).format).toBe('tinycp-object');
    expect(r.out).toMatch(/^000200  41100[0-9A-F]{3} +\d+ start:  LA    R1,ccw/m);
    const d = tinycp(['disasm', out]);
    expect(d.code).toBe(0);
    expect(d.out).toMatch(/000208  9C000009  SIO 0x9/);
    expect(tinycp(['run', out])).toMatchObject({ code: 0, out: 'Hello, world\n' });
  });

  it('has --help on every command and refuses bad options with exit 3', () => {
    for (const c of ['run', 'asm', 'disasm', 'debug', 'dap', 'system', 'demo', 'theorem']) expect(tinycp([c, '--help']).code, c).toBe(0);
    expect(tinycp(['run', '--max-instructions', 'lots', 'programs/hello.s']).code).toBe(3);
  });
});
