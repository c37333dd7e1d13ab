/**
 * Files the `tinycp` command reads and writes for a user: one reader for every host file (regular
 * files only, capped sizes), the unit-record files of `tinycp run` (reader cards, printer, punch),
 * option parsing that never swallows the program's name, `tinycp system`'s exit codes, and
 * commands that leave nothing in the temporary folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOST_FILE_LIMITS, readHostFile } from '../src/host/nodefs.ts';
import { buildFile } from '../src/host/build.ts';
import { readDeck } from '../src/cli/unit-record-files.ts';
import { removeTempDir, suiteTempDir, tempDir } from './tmp.ts';
import { echoSource, prelude } from './guest-helpers.ts';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'tinycp.mjs');
function tinycp(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(
    process.execPath, [BIN, ...args],
    { input: opts.input ?? '', encoding: 'utf8', cwd: ROOT, env: opts.env ?? process.env, timeout: 60_000 },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function fifo(dir: string, name = 'fifo'): string {
  const p = join(dir, name);
  execFileSync('mkfifo', [p]);
  return p;
}

/** Reads cards until end of file; punches and prints each one (PoO 8.10.2-8.10.4). */
const COPY = `${prelude()}        .org 0x200
start:  LA    R1,rdccw
        ST    R1,LC_CAW
        LA    R5,gotcard
        ST    R5,LC_IO_NEW+4
        SIO   DEV_READER
        LPSW  waitio
gotcard: L    R3,LC_CSW+4
        SRL   R3,24
        CHI   R3,UNIT_CHANNEL_END|UNIT_DEVICE_END
        JNE   done                  ; unit exception: the deck is empty
        LA    R1,pccw
        ST    R1,LC_CAW
        LA    R5,punched
        ST    R5,LC_IO_NEW+4
        SIO   DEV_PUNCH
        LPSW  waitio
punched: LA   R1,prccw
        ST    R1,LC_CAW
        LA    R5,start
        ST    R5,LC_IO_NEW+4
        SIO   DEV_PRINTER
        LPSW  waitio
done:   EXIT
        .align 8
waitio: .psw  PSW_IO|PSW_WAIT, 0
rdccw:  .ccw  CMD_READ, buf, 0, 80
pccw:   .ccw  CMD_WRITE, buf, 0, 80
prccw:  .ccw  CMD_WRITE, buf, 0, 80
buf:    .space 80
`;

describe('reading host files (src/host/nodefs.ts)', () => {
  it('refuses /dev/zero, a FIFO and a folder at once, with the reason', () => {
    const dir = tempDir();
    expect(readHostFile('/dev/zero', 'source')).toMatchObject({ ok: false, error: '/dev/zero: cannot read: not a regular file (a character device)' });
    const f = fifo(dir);
    expect(readHostFile(f, 'directory')).toMatchObject({ ok: false, error: `${f}: cannot read: not a regular file (a FIFO)` });
    expect(readHostFile(dir, 'object')).toMatchObject({ ok: false, error: `${dir}: cannot read: not a regular file (a folder)` });
    expect(readHostFile(join(dir, 'none'), 'source')).toMatchObject({ ok: false, code: 'ENOENT' });
  });

  it('refuses a file over the limit of its kind and reads one at the limit', () => {
    const dir = tempDir();
    const big = join(dir, 'big.s');
    writeFileSync(big, '');
    truncateSync(big, HOST_FILE_LIMITS.cards + 1); // sparse: no time or disk spent
    const r = readHostFile(big, 'cards');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/larger than the 16 MiB limit for a card file$/);
    truncateSync(big, HOST_FILE_LIMITS.cards);
    const ok = readHostFile(big, 'cards');
    expect(ok.ok && ok.bytes.length).toBe(HOST_FILE_LIMITS.cards);
  });

  it('every file a build reads goes through it: program, object file and .include', () => {
    const dir = tempDir();
    const f = fifo(dir, 'prog.s');
    expect(buildFile(f)).toMatchObject({ ok: false, errors: [`${f}: cannot read: not a regular file (a FIFO)`] });
    const o = fifo(dir, 'prog.tco');
    expect(buildFile(o)).toMatchObject({ ok: false, errors: [`${o}: cannot read: not a regular file (a FIFO)`] });
    const inc = fifo(dir, 'inc.s');
    const main = join(dir, 'main.s');
    writeFileSync(main, '        .include "inc.s"\n');
    const b = buildFile(main);
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.errors).toEqual([`${main}:1:18: error: include file 'inc.s': ${inc}: cannot read: not a regular file (a FIFO)`]);
    writeFileSync(main, '        .include "/dev/zero"\n');
    const z = buildFile(main);
    expect(!z.ok && z.errors[0]).toMatch(/include file '\/dev\/zero': \/dev\/zero: cannot read: not a regular file/);
  });

  it('the commands refuse them with exit 3: run, system, run --reader', () => {
    const dir = tempDir();
    const f = fifo(dir, 'x.s');
    expect(tinycp(['run', f])).toMatchObject({ code: 3, err: `${f}: cannot read: not a regular file (a FIFO)\n` });
    expect(tinycp(['system', '/dev/zero'])).toMatchObject({ code: 3, err: '/dev/zero: cannot read: not a regular file (a character device)\n' });
    expect(tinycp([
      'run', '--reader', '/dev/zero', 'programs/hello.s',
    ])).toMatchObject({ code: 3, err: 'tinycp: /dev/zero: cannot read: not a regular file (a character device)\n' });
  });

  it('console input on stdin is capped too: run < /dev/zero is refused, not read until the heap is full', () => {
    const zero = openSync('/dev/zero', 'r');
    try {
      const r = spawnSync(process.execPath, [BIN, 'run', 'programs/hello.s'], { stdio: [zero, 'pipe', 'pipe'], encoding: 'utf8', cwd: ROOT, timeout: 60_000 });
      expect(r.status).toBe(3);
      expect(r.stderr).toBe('tinycp: stdin: more than the 16 MiB limit for console input\n');
      // The debugger reads commands line by line: a line with no end is refused, never executed.
      const d = spawnSync(
        process.execPath, [BIN, 'debug', 'programs/hello.s'],
        { stdio: [zero, 'pipe', 'pipe'], encoding: 'utf8', cwd: ROOT, timeout: 60_000 },
      );
      expect(d.status).toBe(3);
      expect(d.stderr).toBe('tinycp: stdin: a command line longer than 65536 bytes\n');
      expect(d.stdout).not.toMatch(/CP> /);
    } finally { closeSync(zero); }
    const long = tinycp(['debug', 'programs/hello.s'], { input: `D G2\n${'x'.repeat(70_000)}\nQUIT\n` });
    expect(long.code).toBe(3);
    expect(long.out.match(/^CP> .*$/gm)).toEqual(['CP> D G2']);
  });
});

describe('tinycp run: reader, printer and punch files', () => {
  it('queues text cards (blank-padded), prints and punches them labelled on stdout', () => {
    const dir = tempDir();
    const prog = join(dir, 'copy.s');
    writeFileSync(prog, COPY);
    writeFileSync(join(dir, 'deck.txt'), 'first card\r\nsecond\n');
    const r = tinycp(['run', '--vm', '--reader', join(dir, 'deck.txt'), prog]);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe('punch: first card\nprinter: first card\npunch: second\nprinter: second\n');
  });

  it('punches 80-byte records of any bytes to a file and reads them back with --reader-binary', () => {
    const dir = tempDir();
    const prog = join(dir, 'copy.s');
    writeFileSync(prog, COPY);
    const deck = Buffer.alloc(240);
    for (let i = 0; i < deck.length; i++) deck[i] = (i * 7) & 0xff; // every byte value, X'0A' and X'00' included
    writeFileSync(join(dir, 'in.bin'), deck);
    for (const mode of ['--bare', '--vm']) {
      const r = tinycp(['run', mode, '--reader-binary', join(dir, 'in.bin'), '--punch', join(dir, 'out.bin'), '--printer', join(dir, 'out.txt'), prog]);
      expect(r).toMatchObject({ code: 0, out: '', err: '' });
      expect(readFileSync(join(dir, 'out.bin'))).toEqual(deck);
      // One line per printed line: control bytes (X'0A' among them) print as '.'.
      expect(readFileSync(join(dir, 'out.txt'), 'latin1').split('\n')).toHaveLength(4);
    }
  });

  it('refuses a text line longer than a card and a binary deck that is not whole cards', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'long.txt'), `ok\n${'x'.repeat(81)}\n`);
    expect(readDeck(join(dir, 'long.txt'), false)).toMatchObject({
      ok: false, error: expect.stringMatching(/long\.txt:2: 81 bytes, longer than a card \(80\)/),
    });
    writeFileSync(join(dir, 'short.bin'), Buffer.alloc(81));
    expect(readDeck(join(dir, 'short.bin'), true)).toMatchObject({
      ok: false, error: expect.stringMatching(/81 bytes is not a whole number of 80-byte cards/),
    });
    const card = readDeck(join(dir, 'long.txt'), false);
    expect(card.ok).toBe(false);
  });
});

describe('files tinycp writes', () => {
  it('a path that cannot be written is exit 3 with its reason, never a stack trace', () => {
    const bad = '/nonexistent-folder/out';
    for (const args of [['run', '--trace-json', bad, 'programs/hello.s'], ['run', '--printer', bad, 'programs/hello.s'],
      ['run', '--punch', bad, 'programs/hello.s'], ['asm', 'programs/hello.s', '-o', bad], ['debug', '--trace-json', bad, 'programs/hello.s']]) {
      expect(tinycp(args, { input: 'QUIT\n' }), args.join(' ')).toMatchObject({ code: 3, err: `tinycp: ${bad}: cannot write: ENOENT\n` });
    }
  });
});

describe('options never swallow the program name', () => {
  it('--input takes one line and may repeat; extra words are an error, not the program', () => {
    const r = tinycp(['run', '--input', 'a', 'b', 'programs/hello.s']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/too many arguments/);
    expect(tinycp(['debug', '--input', 'a', 'b', 'programs/hello.s'], { input: 'QUIT\n' }).code).toBe(3);
    // The same for every option of every command: none takes a variable number of values.
    for (const c of ['run', 'debug', 'asm', 'disasm', 'system', 'demo', 'theorem', 'dap']) {
      expect(tinycp([c, '--help']).out, c).not.toMatch(/\.\.\.>/);
    }
  });

  it('repeated --input lines reach the console in order', () => {
    const dir = tempDir();
    const echo = join(dir, 'echo2.s');
    writeFileSync(echo, echoSource(2));
    expect(tinycp(['run', '--input', 'one', '--input', 'two words', echo])).toMatchObject({ code: 0, out: 'one\ntwo words\n' });
  });
});

describe('tinycp system and demo', () => {
  it('exits 3 and names each user whose IPL failed; never "every VM is idle"', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.s'), '        LR R1,R16\n');
    const f = fifo(dir, 'pipe.s');
    writeFileSync(join(dir, 'user.direct'), `USER ALICE PW 64K AUTOLOG\n  IPL ${join(dir, 'bad.s')}\nUSER BOB PW 64K AUTOLOG\n  IPL ${f}\n`);
    const r = tinycp(['system', '--work', dir, join(dir, 'user.direct')]);
    expect(r.code).toBe(3);
    expect(r.err.trimEnd().split('\n')).toEqual([
      `tinycp: ALICE: IPL failed: ${join(dir, 'bad.s')}:1:15: error: undefined symbol R16: the general registers are R0-R15`,
      `tinycp: BOB: IPL failed: ${f}: cannot read: not a regular file (a FIFO)`,
    ]);
    expect(r.out).not.toMatch(/every VM is idle/);
    expect(r.out.trimEnd().split('\n').at(-1)).toMatch(/no VM ran: every IPL failed\.$/);
  });

  it('one failed IPL among good ones: the others run, exit 3', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.s'), '        LR R1,R16\n');
    writeFileSync(
      join(dir, 'user.direct'),
      `USER ALICE PW 64K AUTOLOG\n  IPL ${join(dir, 'bad.s')}\nUSER HELLO PW 64K AUTOLOG\n  IPL ${join(ROOT, 'programs/hello.s')}\n`,
    );
    const r = tinycp(['system', '--work', dir, join(dir, 'user.direct')]);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^HELLO: Hello, world$/m);
    expect(r.out).toMatch(/every VM is idle or stopped; 1 IPL\(s\) failed\.$/m);
  });

  it('tinycp demo leaves nothing in the temporary folder, also when its reader stops early', () => {
    const tmp = tempDir('tinycp-demo-tmp-');
    const env = { ...process.env, TMPDIR: tmp };
    // tsx (which runs bin/tinycp.mjs) keeps one compile cache, tsx-<uid>, reused by every run.
    const left = () => readdirSync(tmp).filter((n) => !/^tsx-\d+$/.test(n));
    const r = tinycp(['demo'], { env });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/removed at exit/);
    expect(left()).toEqual([]);
    const head = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" demo | head -1`], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
    expect(head.stdout).toMatch(/^CP: tinycp CP: directory/);
    expect(left()).toEqual([]);
  });
});

describe('the temporary-folder helper (test/tmp.ts)', () => {
  let made = '';
  it('gives a fresh folder', () => {
    made = tempDir();
    writeFileSync(join(made, 'f'), 'x');
    expect(existsSync(made)).toBe(true);
  });
  it('removed it when the test that made it ended', () => {
    expect(made).not.toBe('');
    expect(existsSync(made)).toBe(false);
  });
  describe('a folder shared by a block', () => {
    const shared = suiteTempDir();
    it('exists while the block\'s tests run', () => { made = shared(); expect(existsSync(made)).toBe(true); });
    it('is the same folder for each of them', () => { expect(shared()).toBe(made); });
  });
  it('is removed when the block ends', () => {
    expect(existsSync(made)).toBe(false);
    removeTempDir(made); // removing twice is harmless
  });
});
