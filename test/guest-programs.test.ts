/**
 * The main integration suite (STYLE.md item 9): every self-checking guest program in
 * programs/tests/ runs on the bare machine and in a virtual machine under CP, and must PASS
 * (DIAGNOSE X'F0' with result 0) in both with the same console output, the same log of
 * guest-visible interruptions and the same final architectural state (Popek & Goldberg's
 * equivalence property, checked to the instruction).
 */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Session, type GuestInterrupt, type GuestState, type Mode, type Outcome } from '../src/session/session.ts';
import { buildOrThrow } from './guest-helpers.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TESTS = join(ROOT, 'programs/tests');
const BUDGET = 5_000_000;

interface Run { outcome: Outcome; out: string[]; interrupts: GuestInterrupt[]; state: GuestState; session: Session; symbols: Record<string, number> }

function run(file: string, mode: Mode): Run {
  const b = buildOrThrow(file);
  const out: string[] = [];
  const session = new Session(b.image, { mode, console: (l) => out.push(l), recordInterrupts: true });
  const outcome = session.run(BUDGET);
  return { outcome, out, interrupts: session.interrupts, state: session.guestState(), session, symbols: b.image.symbols ?? {} };
}

const files = readdirSync(TESTS).filter((f) => f.endsWith('.s')).sort();

describe('self-checking guest programs, bare and under CP', () => {
  it('finds the test programs', () => { expect(files.length).toBeGreaterThanOrEqual(25); });

  for (const f of files) {
    it(f, () => {
      const bare = run(join(TESTS, f), 'bare');
      const vm = run(join(TESTS, f), 'vm');
      expect(bare.outcome.message, 'bare').toBe('test result: PASS');
      expect(vm.outcome.message, 'under CP').toBe('test result: PASS');
      expect(bare.outcome.success && vm.outcome.success).toBe(true);
      expect(vm.out).toEqual(bare.out);
      expect(vm.interrupts).toEqual(bare.interrupts);
      expect(vm.state).toEqual(bare.state);
    });
  }

  it('diag.s: DIAGNOSE IDENTIFY reports level 0 bare and 1 under CP', () => {
    const levelOf = (r: Run) => r.session.mem[r.symbols.LEVEL >>> 2];
    expect(levelOf(run(join(TESTS, 'diag.s'), 'bare'))).toBe(0);
    expect(levelOf(run(join(TESTS, 'diag.s'), 'vm'))).toBe(1);
  });
});

describe('demonstration programs, bare and under CP', () => {
  it('hello.s prints exactly "Hello, world" both ways', () => {
    for (const mode of ['bare', 'vm'] as const) {
      const r = run(join(ROOT, 'programs/hello.s'), mode);
      expect(r.outcome.success, mode).toBe(true);
      expect(r.out, mode).toEqual(['Hello, world']);
    }
  });

  it('timer.s prints five ticks from CPU-timer interruptions, identically both ways', () => {
    const bare = run(join(ROOT, 'programs/timer.s'), 'bare');
    const vm = run(join(ROOT, 'programs/timer.s'), 'vm');
    expect(bare.outcome.success).toBe(true);
    expect(bare.out).toEqual(['tick 1', 'tick 2', 'tick 3', 'tick 4', 'tick 5']);
    expect(bare.interrupts.map((i) => [i.cls, i.code])).toEqual(Array(5).fill(['external', 0x1005]));
    expect(vm.out).toEqual(bare.out);
    expect(vm.interrupts).toEqual(bare.interrupts);
    expect(vm.state).toEqual(bare.state);
  });

  /** Patch the word `count` of a benchmark program (as the benchmark does) and run it. */
  function runCounted(file: string, mode: Mode, count: number): Run {
    const b = buildOrThrow(join(ROOT, file));
    const at = b.image.symbols!.COUNT;
    expect(at, `${file} defines COUNT`).toBeTypeOf('number');
    const out: string[] = [];
    const session = new Session(b.image, { mode, console: (l) => out.push(l), recordInterrupts: true });
    session.mem[at >>> 2] = count;
    const outcome = session.run(BUDGET);
    return { outcome, out, interrupts: session.interrupts, state: session.guestState(), session, symbols: b.image.symbols! };
  }

  for (const [file, perIteration] of [['programs/bench/loop.s', 2], ['programs/syscall.s', 0], ['programs/ssm.s', 2]] as const) {
    it(`${file}: the patched count drives the run, identically both ways`, () => {
      const bare = runCounted(file, 'bare', 1000);
      const vm = runCounted(file, 'vm', 1000);
      expect(bare.outcome.success).toBe(true);
      expect(vm.outcome.success).toBe(true);
      expect(vm.state).toEqual(bare.state);
      expect(vm.interrupts).toEqual(bare.interrupts);
      if (perIteration) expect(bare.state.time).toBeGreaterThanOrEqual(1000 * perIteration);
      const small = runCounted(file, 'bare', 10);
      expect(small.state.time).toBeLessThan(bare.state.time);
    });
  }

  it('syscall.s makes exactly `count` SVC 1 calls', () => {
    const r = runCounted('programs/syscall.s', 'bare', 25);
    expect(r.interrupts.filter((i) => i.cls === 'svc' && i.code === 1)).toHaveLength(25);
  });
});
