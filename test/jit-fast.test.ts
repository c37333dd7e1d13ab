/**
 * The loop JIT's fast copy of a counted loop (jit-gen.ts: a block closed by BRCT/BCT back to its
 * start) against the interpreter, step for step: its trip count is the loop's own counter register
 * held in a local, compared with the value it has after the last iteration the budget allows, and
 * its overflow test is on the exact sum. Every way out (budget, overflow with the mask on or off,
 * a storage fault, the counter running out, wrapping counters) must leave registers, CC,
 * instruction address, time and storage exactly as the interpreter does after as many instructions.
 * Also byte operands, which compiled code reads and writes through a byte view of storage.
 */
import { describe, expect, it } from 'vitest';
import { PSW_FIXED_OVERFLOW, PSW_PROBLEM } from '../src/cpu/arch.ts';
import { CPU, ICPT_PROGRAM, ICPT_SVC, STOP_INTERCEPT } from '../src/cpu/cpu.ts';
import { JitCode } from '../src/cpu/jit.ts';
import { generate } from '../src/cpu/jit-gen.ts';
import { makeStorage, storageHash } from '../src/cpu/storage.ts';

const rr = (op: number, r1: number, r2: number) => ((op << 24) | (r1 << 20) | (r2 << 16)) | 0;
const rx = (op: number, r1: number, b: number, d: number) => ((op << 24) | (r1 << 20) | (b << 16) | (d & 0xffff)) | 0;
const ri = (op: number, r1: number, i: number) => ((op << 24) | (r1 << 20) | (i & 0xffff)) | 0;
const LR = 0x18, AR = 0x1a, SR = 0x1b, ST = 0x50, L = 0x58, AHI = 0xc1, BRCT = 0xd2, BRC = 0xd0, LHI = 0xc0;
const SVC_END = (0x0a << 24) | 1;
const JIT = new JitCode();
const SIZE = 64 * 1024;

function machine(code: number[], regs: Record<number, number>, jit: boolean, flags: number, cc = 0): CPU {
  const mem = makeStorage(SIZE);
  code.forEach((w, i) => { mem[(0x1000 >> 2) + i] = w; });
  const cpu = new CPU(mem);
  cpu.jitCode = JIT;
  for (const [k, v] of Object.entries(regs)) cpu.gpr[Number(k)] = v;
  cpu.flags = flags; cpu.cc = cc; cpu.ia = 0x1000; cpu.intercepts = ICPT_PROGRAM | ICPT_SVC;
  cpu.jit = jit; cpu.jitThreshold = 1;
  return cpu;
}

function state(c: CPU) {
  const i = c.icept;
  return { gpr: [...c.gpr], cc: c.cc, ia: c.ia, now: c.now, count: c.counters.instructions, icept: [i.kind, i.code, i.address] };
}

/**
 * Run `code` with the JIT on and off in the same slices, comparing after each; an interception
 * other than the end is skipped on both (as a handler might). Returns the JIT machine.
 */
function lockstep(code: number[], regs: Record<number, number>, slices: number[], flags = PSW_PROBLEM, cc = 0): { a: CPU; codes: number[] } {
  const a = machine(code, regs, true, flags, cc), b = machine(code, regs, false, flags, cc);
  const codes: number[] = [];
  for (const [k, slice] of slices.entries()) {
    const sa = a.run(slice), sb = b.run(slice);
    expect({ stop: sa, ...state(a) }, `slice ${k} (${slice})`).toEqual({ stop: sb, ...state(b) });
    if (sa === STOP_INTERCEPT) {
      if (a.icept.kind === 'svc') break;
      codes.push(a.icept.code);
      a.ia = (a.ia + 4) & 0xffffff; b.ia = a.ia;
    }
  }
  expect(storageHash(a.mem)).toBe(storageHash(b.mem));
  return { a, codes };
}

const SLICES = [1, 2, 3, 5, 7, 11, 64, 65, 129, 1000, 1001, 4097, 20_000, 1 << 20];

describe('loop JIT: the fast copy of a counted loop, step for step', () => {
  it('is generated for these loops (or the tests below prove nothing)', () => {
    for (const code of [[rr(AR, 3, 1), ri(BRCT, 2, -1)], [rr(LR, 4, 2), ri(AHI, 5, 1), rr(AR, 3, 1), rx(ST, 4, 9, 0), ri(BRCT, 2, -4)]]) {
      expect(generate(0x1000, Int32Array.from(code), code.length)).toMatch(/f0: for/);
    }
  });

  it('an overflow mid-iteration with the mask on: registers held in locals, the counter read in the body', () => {
    // LR R4,R2 ; AHI R5,1 ; AR R3,R1 ; ST R4,0(R9) ; BRCT R2,loop: the AR of the 8th iteration
    // overflows, after LR and AHI of that iteration completed; the interpreter raises it (PoO 3.4).
    const code = [rr(LR, 4, 2), ri(AHI, 5, 1), rr(AR, 3, 1), rx(ST, 4, 9, 0), ri(BRCT, 2, -4), SVC_END];
    const before = JIT.stats.instructions;
    for (const first of [1, 5, 20, 37, 1000]) {
      const { a, codes } = lockstep(code, { 1: 0x10000000, 2: 1000, 9: 0x3000 }, [first, ...SLICES], PSW_PROBLEM | PSW_FIXED_OVERFLOW);
      expect(codes[0]).toBe(8); // fixed-point overflow
      expect(a.gpr[5]).toBeGreaterThan(7); // in the 8th iteration or later
    }
    expect(JIT.stats.instructions).toBeGreaterThan(before);
  });

  it('an overflow with the mask off: CC 3, and the loop goes on; the CC is dead in the loop and live at its exit', () => {
    // AR R3,R1 ; SR R6,R7 ; BRCT R2,loop ; BRC 1,(CC 3 seen) ; LHI R8,1 ; SVC: the CC the last SR
    // left decides what follows the loop.
    const code = [rr(AR, 3, 1), rr(SR, 6, 7), ri(BRCT, 2, -2), ri(BRC, 1, 3), ri(LHI, 8, 1), SVC_END, ri(LHI, 8, 2), SVC_END];
    for (const [r1, r6, r7, n] of [[0x10000000, 0, 1, 100], [1, -0x7ffffff0, 1, 100], [-0x10000000, 5, -1, 50], [0, 0x7fffffff, -3, 3], [7, 0, 0, 1000]]) {
      for (const first of [1, 2, 3, 4, 100]) {
        lockstep(code, { 1: r1, 2: n, 6: r6, 7: r7 }, [first, ...SLICES]);
      }
    }
  });

  it('counters that wrap: 0 (2^32 iterations), -1, X\'80000000\', 1, with budgets ending mid-iteration', () => {
    const code = [rr(AR, 3, 1), ri(AHI, 4, -3), ri(BRCT, 2, -2), SVC_END];
    for (const c of [0, -1, -0x80000000, 0x7fffffff, 1, 2]) {
      for (const cc of [0, 1, 2, 3]) {
        lockstep(code, { 1: 1, 2: c, 4: -0x7ffffff0 }, [3, 100, 1000, 1_000_001, 7], PSW_PROBLEM, cc);
      }
    }
  });

  it('induction steps (AR, SR, AHI) run up to the int32 bounds exactly, and overflow on the step after', () => {
    // The fast copy caps its iterations so that Rx + it * step stays in int32 (no overflow test per
    // step): start values k steps (and k steps + 1) short of each bound, every kind of step.
    const MAX = 0x7fffffff, MIN = -0x80000000;
    for (const step of [1, -1, 3, -3, 7, -7, 0x7fff, -0x8000, 0x40000000, -0x40000000, MAX, MIN, 0]) {
      for (const k of [0, 1, 2, 5]) {
        for (const bias of [0, 1, -1]) {
          const start = step >= 0 ? MAX - k * step - bias : MIN - k * step + bias;
          if (start > MAX || start < MIN) continue;
          for (const flags of [PSW_PROBLEM, PSW_PROBLEM | PSW_FIXED_OVERFLOW]) {
            // AR R3,R1 (R1 = step) ; SR R4,R5 (R5 = -step; for MIN, R5 = MIN: SR then steps by +2^31) ; BRCT R2,loop
            lockstep([rr(AR, 3, 1), rr(SR, 4, 5), ri(BRCT, 2, -2), SVC_END], { 1: step, 2: 40, 3: start, 4: start, 5: -step }, [1, 3, 100, 1000], flags);
            lockstep([rr(AR, 3, 1), ri(BRCT, 2, -1), SVC_END], { 1: step, 2: 40, 3: start }, [1, 3, 100, 1000], flags);
            if (step >= -0x8000 && step <= 0x7fff) lockstep([ri(AHI, 3, step), ri(BRCT, 2, -1), SVC_END], { 2: 40, 3: start }, [1, 3, 100, 1000], flags);
          }
        }
      }
    }
  });

  it('an induction step that wraps again and again: each capped run hands one iteration to the normal copy, then goes on', () => {
    const code = [ri(AHI, 3, 0x7fff), rr(AR, 4, 1), ri(BRCT, 2, -2), SVC_END];
    for (const flags of [PSW_PROBLEM, PSW_PROBLEM | PSW_FIXED_OVERFLOW]) {
      const before = JIT.stats.instructions;
      const { a, codes } = lockstep(code, { 1: 0x00100000, 2: 300_000 }, [1, 1000, 1 << 18, 1 << 18, 1 << 18, 1 << 18, 1 << 18], flags);
      if (flags & PSW_FIXED_OVERFLOW) expect(codes).toContain(8); // each slice ends at an overflow interruption
      else { expect(a.icept.kind).toBe('svc'); expect(JIT.stats.instructions - before).toBeGreaterThan(800_000); } // compiled code ran nearly all
    }
  });

  it('additions that are no induction steps keep their overflow test (addend written in the loop, Rx + Rx, Rx written twice)', () => {
    const loops = [
      [rr(AR, 3, 1), ri(AHI, 1, 0x1000), ri(BRCT, 2, -2), SVC_END], // R1 grows: R3 is no induction variable (R1 is)
      [rr(AR, 3, 3), ri(BRCT, 2, -1), SVC_END], // doubling
      [rr(AR, 3, 1), ri(AHI, 3, 0x7fff), ri(BRCT, 2, -2), SVC_END], // R3 stepped twice: overflows long before either step alone would
    ];
    for (const code of loops) {
      for (const flags of [PSW_PROBLEM, PSW_PROBLEM | PSW_FIXED_OVERFLOW]) {
        for (const first of [1, 2, 3, 4]) lockstep(code, { 1: 0x10000, 2: 30_000, 3: 5 }, [first, ...SLICES], flags);
      }
    }
  });

  it('a storage fault mid-iteration (the load walks off the end of storage)', () => {
    // L R5,0(R9) ; AHI R9,4 ; AR R3,R5 ; BRCT R2,loop with R9 near the end: addressing exception at L.
    const code = [rx(L, 5, 9, 0), ri(AHI, 9, 4), rr(AR, 3, 5), ri(BRCT, 2, -3), SVC_END];
    for (const first of [1, 2, 9, 50]) expect(lockstep(code, { 2: 500, 9: SIZE - 4 * 40 }, [first, ...SLICES]).codes[0]).toBe(5);
  });
});

describe('loop JIT: byte operands through the byte view (guest byte b is host byte b ^ 3)', () => {
  const si = (op: number, imm: number, b: number, d: number) => ((op << 24) | ((imm & 0xff) << 16) | (b << 12) | (d & 0xfff)) | 0;
  it('STC, IC, LLC and the SI instructions at every byte position, up to the last byte of storage', () => {
    // IC R5,0(R9) ; LLC R6,1(R9) ; STC R5,2(R9) ; XI 3(R9),X'5A' ; NI 0(R9),X'F3' ; OI 1(R9),X'81' ;
    // TM 2(R9),X'0F' ; CLI 3(R9),X'80' ; MVI 4(R9),X'C3' ; AR R7,R5 ; AHI R9,1 ; BRCT R2,loop
    const code = [rx(0x43, 5, 9, 0), rx(0x44, 6, 9, 1), rx(0x42, 5, 9, 2), si(0x97, 0x5a, 9, 3), si(0x94, 0xf3, 9, 0), si(0x96, 0x81, 9, 1),
      si(0x91, 0x0f, 9, 2), si(0x95, 0x80, 9, 3), si(0x92, 0xc3, 9, 4), rr(AR, 7, 5), ri(AHI, 9, 1), ri(BRCT, 2, -11), SVC_END];
    const before = JIT.stats.instructions;
    for (const start of [0x3000, 0x3001, 0x3002, 0x3003, SIZE - 40, SIZE - 41]) {
      const { a, codes } = lockstep(code, { 2: 200, 5: 0x12345678, 9: start }, [1, 5, 13, 400, 5000, 5000]);
      if (start < 0x4000) expect(a.icept.kind).toBe('svc'); else expect(codes[0]).toBe(5); // addressing, at the end of storage
    }
    expect(JIT.stats.instructions - before).toBeGreaterThan(5000);
  });
});
