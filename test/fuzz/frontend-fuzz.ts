/**
 * Fuzzers for the front doors that take text from outside (issue 9): CP commands typed at a
 * console, debugger commands, object files and assembler sources. None may throw: every bad
 * input is a named error. Beside them, the isolation fuzzer: a random guest and random CP
 * commands in one VM beside a victim VM, which must run exactly as it runs alone.
 *
 * Seeded (mulberry32, directory-fuzz.ts), so a failing seed replays. Brief runs in
 * test/frontend-fuzz.test.ts; long ones with `npm run fuzz -- --target cp|debugger|object|assembler|isolation`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { storageHash } from '../../src/cpu/storage.ts';
import { execute } from '../../src/debug/commands.ts';
import { Debugger } from '../../src/debug/debugger.ts';
import { assemble, load, readObject, writeObject } from '../../src/guest/index.ts';
import { parseDirectory } from '../../src/timesharing/directory.ts';
import { TimeSharingSystem } from '../../src/timesharing/time-sharing-system.ts';
import { buildFile, readInclude } from '../../src/host/build.ts';
import { generate } from './generator.ts';
import { rng } from './directory-fuzz.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PROGRAMS = ['programs/hello.s', 'programs/syscall.s', 'programs/tlbmiss.s', 'programs/timer.s', 'programs/debug/traps.s'].map((f) => join(ROOT, f));
const SOURCES = PROGRAMS.map((f) => readFileSync(f, 'utf8'));

/** What one fuzzing run found: how many inputs, how many threw, and the first throw to replay. */
export interface FuzzResult { inputs: number; throws: number; firstThrow: { seed: number; input: string; error: string } | null }

const NAMES = ['QUERY', 'Q', 'DISPLAY', 'D', 'STORE', 'ST', 'ADSTOP', 'BEGIN', 'B', 'TRACE', 'EXTERNAL', 'MESSAGE', 'MSG', 'IPL', 'SYSTEM',
  'SPOOL', 'CLOSE', 'LINK', 'DETACH', 'LOGOFF', 'DIAL', 'TRANSLATE', 'INDICATE', 'HELP', 'STEP', 'BACK', 'WATCH', 'GO', 'LOGON', 'SHUTDOWN'];
const OPERANDS = ['G', 'C', 'PSW', 'TLB', 'SHADOW', 'TIME', 'VIRTUAL', 'NAMES', 'COUNTERS', 'READER', 'PUNCH', 'PRINTER', 'TO', '*', 'RESET',
  'ALL', 'SVC', 'PRIV', 'PROGRAM', 'IO', 'EXT', 'INSTRUCTION', 'RUN', 'NORUN', 'OFF', 'END', 'OVER', 'RETURN', 'TRAP', 'IF', 'COUNT', 'R3', '=',
  '<', 'CC', 'R', 'W', 'MW', 'NAME', 'VICTIM', 'ATTACK', 'OPERATOR', '191', '00C', '0', '1', '15', '16', '-1', '200', 'FFFFFF', '1000000',
  '7FFFFFFF', '80000000', 'X\'10\'', '0.10', '200.FFFFFF', '0-FFFFFFFF', 'start', 'loop', 'traps.s:30', 'tinycp.inc:39', '99999999999999999999',
  'NaN', '__proto__', 'constructor', 'toString', '\u2028', '\r', '\0', 'é', '"', '\\', '$&'];

/** One random command line: a command name (usually) and operands from the vocabulary or junk. */
function commandLine(r: () => number): string {
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  const words: string[] = r() < 0.9 ? [pick(NAMES)] : [];
  const n = Math.floor(r() * 5);
  for (let i = 0; i < n; i++) words.push(r() < 0.85 ? pick(OPERANDS) : String.fromCharCode(...Array.from(
    { length: 1 + Math.floor(r() * 6) }, () => Math.floor(r() * 0x3000),
  )));
  return words.join(r() < 0.9 ? ' ' : pick(['  ', '\t', ',', '']));
}

function record(res: FuzzResult, seed: number, input: string, e: unknown): void {
  res.throws++;
  if (!res.firstThrow) res.firstThrow = { seed, input, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) };
}

/**
 * The debugger's console: `count` random command lines, in sessions of 40 on a program chosen by
 * the seed, bare or under CP, with a small run cap so a random BEGIN or STEP stays cheap.
 */
export function fuzzDebugger(seed: number, count: number): FuzzResult {
  const res: FuzzResult = { inputs: 0, throws: 0, firstThrow: null };
  for (let s = seed; res.inputs < count; s++) {
    const r = rng(s);
    const i = Math.floor(r() * PROGRAMS.length);
    const b = buildFile(PROGRAMS[i]);
    if (!b.ok) throw new Error(`${PROGRAMS[i]} does not build`);
    const d = new Debugger(b.image, b.asm, { mode: r() < 0.5 ? 'bare' : 'vm', maxRun: 20_000, input: ['X'] });
    for (let k = 0; k < 40 && res.inputs < count; k++) {
      const line = commandLine(r);
      res.inputs++;
      try { execute(d, line); } catch (e) { record(res, s, line, e); }
    }
  }
  return res;
}

/** A two-user directory: VICTIM counts and prints; ATTACK runs `attack` (a .s or object file). */
function twoUsers(dir: string, attack: string): TimeSharingSystem {
  writeFileSync(join(dir, 'victim.s'), VICTIM);
  const text = `PASSWORDS OFF\nUSER VICTIM VPW 64K AUTOLOG\n  IPL victim.s\nUSER ATTACK APW 64K AUTOLOG\n  IPL ${attack}\n`;
  const p = parseDirectory(text, join(dir, 'user.direct'), dir);
  if (!p.ok) throw new Error(p.errors.join('\n'));
  const sys = new TimeSharingSystem(p.directory, { spoolDir: join(dir, 'spool'), logDir: null, imageDir: dir, quantum: 2_000, out: () => {} });
  sys.boot();
  return sys;
}

/** The victim: adds to a checksum in storage and prints it every 256 rounds, forever. */
const VICTIM = `        .include "tinycp.inc"
        .org  0
        .psw  0, start
        .org  0x200
start:  LHI   R3,0
loop:   AHI   R3,7
        ST    R3,sum
        LR    R4,R3
        NILL  R4,0xFF
        JNZ   loop
        SAY   msg,4
        J     loop
        .align 4
sum:    .word 0
msg:    .ascii "TICK"
`;

/** Storage and output of the victim after exactly `n` of its own instructions, run alone. */
function victimAlone(dir: string, n: number): { hash: number; lines: number } {
  writeFileSync(join(dir, 'idle.s'), '        .org 0\n        .psw 0x02000000, 0\n');
  const sys = twoUsers(dir, 'idle.s');
  const v = sys.users.get('VICTIM')!;
  while (v.vm.counters.direct + v.vm.counters.handled < n && v.vm.state === 'ready') sys.run(Math.min(
    2_000, n - (v.vm.counters.direct + v.vm.counters.handled),
  ));
  const lines = sys.mux.transcript.filter((l) => l === 'VICTIM: TICK').length;
  const hash = storageHash(v.vm.mem);
  sys.shutdown();
  return { hash, lines };
}

/**
 * Isolation: guest `seed` of the differential fuzzer's generator, plus random CP commands typed at
 * its console (a class G user), run beside the victim. The victim must be exactly as it is after
 * the same number of its own instructions alone: storage hash and output. Returns the violations.
 */
export function fuzzIsolation(
  seed: number, count: number, dir: string, tamper?: (victim: Int32Array) => void,
): FuzzResult & { violations: number; firstViolation: string | null } {
  const res = { inputs: 0, throws: 0, firstThrow: null, violations: 0, firstViolation: null as string | null };
  for (let s = seed; res.inputs < count; s++) {
    res.inputs++;
    const r = rng(s);
    const img = generate(s);
    writeFileSync(join(dir, 'attack.tco'), writeObject({ segments: img.segments, entry: img.entry }));
    let line = '';
    try {
      const sys = twoUsers(dir, 'attack.tco');
      const a = sys.users.get('ATTACK')!, v = sys.users.get('VICTIM')!;
      for (let k = 0; k < 6; k++) {
        sys.run(5_000);
        line = '#CP ' + commandLine(r);
        if (sys.users.get('ATTACK') === a) sys.type(a, line);
      }
      sys.run(10_000);
      tamper?.(v.vm.mem); // the harness's own test: a victim changed from outside must be caught
      const n = v.vm.counters.direct + v.vm.counters.handled;
      const got = { hash: storageHash(v.vm.mem), lines: sys.mux.transcript.filter((l) => l === 'VICTIM: TICK').length };
      sys.shutdown();
      const alone = victimAlone(dir, n);
      if (got.hash !== alone.hash || got.lines !== alone.lines) {
        res.violations++;
        res.firstViolation ??= `seed ${s}: after ${n} instructions the victim's storage hash ${got.hash} and ${got.lines} lines, `
          + `alone ${alone.hash} and ${alone.lines}`;
      }
    } catch (e) { record(res, s, line, e); }
  }
  return res;
}

/** CP commands typed by a class G user and by the operator (class A) at a time-sharing console. */
export function fuzzCpCommands(seed: number, count: number, dir: string): FuzzResult {
  const res: FuzzResult = { inputs: 0, throws: 0, firstThrow: null };
  writeFileSync(join(dir, 'counter.s'), '        .org 0\n        .psw 0, start\n        .org 0x200\nstart:  AHI R1,1\n        J start\n');
  for (let s = seed; res.inputs < count; s++) {
    const r = rng(s);
    const sys = twoUsers(dir, 'counter.s');
    for (let k = 0; k < 50 && res.inputs < count; k++) {
      const line = '#CP ' + commandLine(r);
      res.inputs++;
      try {
        const u = sys.users.get(r() < 0.5 ? 'ATTACK' : 'VICTIM');
        if (u) sys.type(u, line, r() < 0.3 ? 'A' : '');
        sys.run(500);
      } catch (e) { record(res, s, line, e); }
    }
    try { sys.shutdown(); } catch (e) { record(res, s, 'shutdown', e); }
  }
  return res;
}

/** Mutate text: insert, delete, duplicate or replace small pieces, `n` times. */
function mutate(r: () => number, t: string, n: number, pieces: readonly string[]): string {
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (t.length + 1)), k = r();
    if (k < 0.3) t = t.slice(0, at) + pieces[Math.floor(r() * pieces.length)] + t.slice(at);
    else if (k < 0.5) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 16));
    else if (k < 0.7) t = t.slice(0, at) + String.fromCharCode(Math.floor(r() * 0x250)) + t.slice(at + 1);
    else if (k < 0.85) { const len = Math.floor(r() * 40); t = t.slice(0, at) + t.slice(at, at + len) + t.slice(at); }
    else t = t.slice(0, at) + String(Math.floor(r() * 2 ** 33) - 2 ** 32) + t.slice(at);
  }
  return t;
}

const OBJECT_PIECES = ['"', '{', '}', '[', ']', ',', ':', 'null', '-1', '1e309', '"segments"', '"entry"', '"address"', '"bytes"', '"symbols"', '"lines"',
  '"__proto__"', '99999999999', '"zz"', 'true', '{"address":16777215,"bytes":"FFFF"}'];

/** Object files: mutated writeObject output (and plain junk) to readObject, then to the loader. */
export function fuzzObjects(seed: number, count: number): FuzzResult {
  const res: FuzzResult = { inputs: 0, throws: 0, firstThrow: null };
  const objects = PROGRAMS.map((f) => { const b = buildFile(f); if (!b.ok) throw new Error(f); return writeObject(
    { segments: b.image.segments, entry: b.image.entry, symbols: b.image.symbols, lines: b.asm?.lines },
    { sourceMap: true },
  ); });
  const mem = new Int32Array(64 * 1024 / 4);
  for (let s = seed; res.inputs < count; s++) {
    const r = rng(s);
    const text = mutate(r, objects[Math.floor(r() * objects.length)], 1 + Math.floor(r() * 6), OBJECT_PIECES);
    res.inputs++;
    try {
      const o = readObject(text);
      if (o.ok) load(mem, o.image);
    } catch (e) { record(res, s, text.slice(0, 200), e); }
  }
  return res;
}

const ASM_PIECES = ['\n', ' ', ',', '(', ')', "'", '"', '*', '=', '.rept 300\n', '.endr\n', '.macro M a\n', '.endm\n', 'M x\n', '.if 1\n', '.endif\n',
  '.org 0xFFFFFF\n', '.align 4096\n', '.space 100000000\n', '.include "tinycp.inc"\n', '.include "/dev/zero"\n', '.include "nothere.inc"\n',
  'X\'', 'LPSW', 'R16', 'R-1', '0x', '1<<40', '/0', '%0', 'label:', '\\', '\\a', '.psw', '.word', '.ascii', 'L R1,=F\'1\'', 'EXIT', 'SAY'];

/** Assembler: mutated example sources, with the real include reader; must return diagnostics, never throw. */
export function fuzzAssembler(seed: number, count: number): FuzzResult {
  const res: FuzzResult = { inputs: 0, throws: 0, firstThrow: null };
  for (let s = seed; res.inputs < count; s++) {
    const r = rng(s);
    const i = Math.floor(r() * SOURCES.length);
    const text = mutate(r, SOURCES[i], 1 + Math.floor(r() * 8), ASM_PIECES);
    res.inputs++;
    try { assemble(text, { file: PROGRAMS[i], readFile: readInclude }); } catch (e) { record(res, s, text, e); }
  }
  return res;
}
