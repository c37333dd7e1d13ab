/**
 * The loop JIT (src/cpu/jit.ts) against its reference, the interpreter: random loop programs and
 * edge cases run twice, JIT on and off, must agree bit for bit after every `run()` call
 * (registers, PSW, CC, instruction address, virtual time, instruction counts, stop reasons,
 * interception details) and in storage at the end. Determinism is the contract: a slice of k
 * instructions executes exactly k unless something stops it earlier, whichever engine runs it.
 */
import { describe, expect, it } from 'vitest';
import { PSW_DAT, PSW_FIXED_OVERFLOW, PSW_PROBLEM } from '../src/cpu/arch.ts';
import { CPU, ICPT_PROGRAM, ICPT_SVC, STOP_INTERCEPT } from '../src/cpu/cpu.ts';
import { clearJitCache, jitStats } from '../src/cpu/jit.ts';
import { generate, scan } from '../src/cpu/jit-gen.ts';
import { makeStorage } from '../src/cpu/storage.ts';
import { Rng } from './fuzz/generator.ts';

/* Instruction encoders (PoO 4.1 formats, src/cpu/isa.ts). */
const rr = (op: number, r1: number, r2: number) => ((op << 24) | (r1 << 20) | (r2 << 16)) | 0;
const rx = (op: number, r1: number, b: number, d: number) => ((op << 24) | (r1 << 20) | (b << 16) | (d & 0xffff)) | 0;
const rsh = (op: number, r1: number, b: number, d: number) => ((op << 24) | (r1 << 20) | (b << 12) | (d & 0xfff)) | 0;
const si = (op: number, imm: number, b: number, d: number) => ((op << 24) | ((imm & 0xff) << 16) | (b << 12) | (d & 0xfff)) | 0;
const ri = (op: number, r1: number, i: number) => ((op << 24) | (r1 << 20) | (i & 0xffff)) | 0;
const SVC_END = (0x0a << 24) | 1;

const SIZE = 64 * 1024;
const RR_OPS = [0x0c, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1e, 0x1f];
const RX_WORD = [0x58, 0x50, 0x54, 0x55, 0x56, 0x57, 0x59, 0x5a, 0x5b, 0x5e, 0x5f, 0x71];
const RX_HALF = [0x40, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d];
const RX_BYTE = [0x42, 0x43, 0x44];
const SI_OPS = [0x91, 0x92, 0x94, 0x95, 0x96, 0x97];
const RI_OPS = [0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7];
/** Slow-path or unsupported instructions a region must stop before (SPM, MR, SRDL, STM with harmless operands). */
const OTHERS = [rr(0x04, 0, 0), rr(0x1c, 2, 3), rsh(0x8c, 4, 0, 3), rsh(0x90, 1, 0, 0x3000)];
const VALUES = [0, 1, -1, 2, 3, 0x7fffffff, -0x80000000, 0x7ffffffe, -0x7fffffff, 0x40000000, 100, -100, 0xffff, 0x8000, 65535 << 16];

/** Registers: R1-R7 data, R8 the loop counter, R9-R12 pointers, R13 the loop head, R14 odd. */
interface Prog { mem: Int32Array; gpr: Int32Array; flags: number; cc: number; ia: number }

function genProgram(g: Rng): Prog {
  const mem = makeStorage(SIZE);
  for (let i = 0x2000 >> 2; i < 0x2400 >> 2; i++) mem[i] = g.chance(0.5) ? g.pick(VALUES) : g.next() | 0;
  const len = 1 + g.int(10);
  // The loop head: ordinary, or at the very end of storage (fall-out and exits beyond it).
  const S = g.chance(0.1) ? SIZE - 4 * (len + 2 + g.int(2)) : 0x1000 + 4 * g.int(256);
  const gpr = new Int32Array(16);
  for (let k = 1; k <= 7; k++) gpr[k] = g.chance(0.7) ? g.pick(VALUES) : g.next() | 0;
  gpr[8] = 1 + g.int(g.chance(0.5) ? 8 : 300);
  const ptrs = [0x2000 + 4 * g.int(64), S, S + 4 * g.int(len), SIZE - 4, SIZE - 2, SIZE - 1, SIZE, 0x2001, 0x2002, 0x2000 - 4 * g.int(4)];
  for (let k = 9; k <= 12; k++) gpr[k] = g.pick(ptrs);
  gpr[13] = S; gpr[14] = g.chance(0.5) ? S + 2 : S + 1;
  const reg = () => (g.chance(0.8) ? 1 + g.int(7) : g.int(16));
  const ptr = () => (g.chance(0.85) ? 9 + g.int(4) : g.int(16));
  const disp = () => (g.chance(0.7) ? g.pick([0, 4, -4, 2, 1, 8, -8, 3]) : (g.next() << 16) >> 16);
  const exit = () => (g.chance(0.7) ? S + 4 * (len + 1) : S + 4 * (len + 3));
  const body: number[] = [];
  for (let i = 0; i < len; i++) {
    const A = S + 4 * i;
    const rel = (t: number) => (t - A) >> 2;
    const k = g.int(100);
    let w: number;
    if (k < 22) w = rr(g.pick(RR_OPS), reg(), reg());
    else if (k < 34) w = rx(g.pick(RX_WORD), reg(), ptr(), disp());
    else if (k < 40) w = rx(g.pick(RX_HALF), reg(), ptr(), disp());
    else if (k < 44) w = rx(g.pick(RX_BYTE), reg(), ptr(), disp());
    else if (k < 48) w = si(g.pick(SI_OPS), g.int(256), ptr(), g.pick([0, 1, 2, 3, 5, 0xffc]));
    else if (k < 60) w = ri(g.pick(RI_OPS), reg(), g.chance(0.5) ? g.pick([0, 1, -1, 0x7fff, -0x8000, 4, 2]) : g.next());
    else if (k < 66) w = rsh(0x88 + g.int(4), reg(), g.chance(0.7) ? 0 : reg(), g.int(64));
    else if (k < 72) w = g.chance(0.5) ? rx(0x41, ptr(), ptr(), g.pick([4, -4, 2, 1, 4096])) : ri(0xc1, ptr(), g.pick([4, -4, 2, 1]));
    else if (k < 78) w = ri(0xd0, g.int(16), rel(g.chance(0.5) ? S : exit())); // BRC: back edge or side exit
    else if (k < 81) w = rx(0x47, g.int(16), g.chance(0.6) ? 13 : 14, 0); // BC via a register: head or misaligned
    else if (k < 83) w = rr(0x07, g.int(16), g.pick([13, 14, 0])); // BCR
    else if (k < 85) w = rr(0x06, reg(), g.pick([13, 14, 0])); // BCTR
    else if (k < 87) w = ri(0xd3, reg(), rel(exit())); // LARL
    else if (k < 89) w = rr(0x05, reg(), 0); // BALR R1,0: link only
    else if (k < 91) w = ri(0xd2, 8, rel(S)); // BRCT in the middle
    else if (k < 93) w = g.pick(OTHERS);
    else if (k < 95) w = ri(0xd1, 7, rel(g.chance(0.8) ? S : exit())); // BRAS
    else w = rr(g.pick(RR_OPS), g.int(16), g.int(16));
    body.push(w);
  }
  const A = S + 4 * len, rel = (t: number) => (t - A) >> 2;
  const close = [
    ri(0xd2, 8, rel(S)), ri(0xd2, 8, rel(S)), rx(0x46, 8, 13, 0), rx(0x46, 8, 14, -1), ri(0xd0, g.int(16), rel(S)),
    rx(0x47, g.int(16), 13, 0), rr(0x07, g.int(16), 13), rr(0x06, 8, 13), ri(0xd0, 15, rel(S)), rx(0x47, 15, 0, S),
  ];
  body.push(g.pick(close));
  for (let i = 0; i < body.length; i++) mem[(S >>> 2) + i] = body[i];
  for (let a = A + 4; a < A + 20 && a < SIZE; a += 4) mem[a >>> 2] = SVC_END;
  const flags = PSW_PROBLEM | (g.chance(0.5) ? PSW_FIXED_OVERFLOW : 0);
  // Start before the head sometimes, so the hot counter is reached through the interpreter only.
  return { mem, gpr, flags, cc: g.int(4), ia: S };
}

function machine(p: Prog, jit: boolean, threshold: number): CPU {
  const cpu = new CPU(p.mem.slice());
  cpu.gpr.set(p.gpr); cpu.flags = p.flags; cpu.cc = p.cc; cpu.ia = p.ia;
  cpu.intercepts = ICPT_PROGRAM | ICPT_SVC;
  cpu.jit = jit; cpu.jitThreshold = threshold;
  return cpu;
}

function state(c: CPU) {
  const i = c.icept;
  return { gpr: [...c.gpr], flags: c.flags, cc: c.cc, ia: c.ia, now: c.now, count: c.counters.instructions, icept: [i.kind, i.code, i.address, i.word, i.failAddress, i.write] };
}

function hash(m: Int32Array): number { let h = 0x811c9dc5; for (let i = 0; i < m.length; i++) h = Math.imul(h ^ m[i], 0x01000193); return h >>> 0; }

/** Run both machines in lock step with random slices; throw with the seed on the first difference. */
function compare(seed: number, maxInstr = 4000): void {
  const g = new Rng(seed);
  const p = genProgram(g);
  const a = machine(p, true, 1 + g.int(3)), b = machine(p, false, 1);
  for (let step = 0; step < 40 && a.now < maxInstr; step++) {
    const slice = g.chance(0.3) ? 1 + g.int(5) : g.chance(0.5) ? 1 + g.int(200) : 1 + g.int(3000);
    const sa = a.run(slice), sb = b.run(slice);
    const ctx = `seed ${seed} step ${step}`;
    expect({ stop: sa, ...state(a) }, ctx).toEqual({ stop: sb, ...state(b) });
    if (sa === STOP_INTERCEPT) {
      if (a.icept.kind === 'svc' && a.icept.code === 1) break; // the program's end
      // Skip the intercepted instruction on both machines and go on (as a trap handler might).
      a.ia = (a.ia + 4) & 0xffffff; b.ia = a.ia;
    }
  }
  if (hash(a.mem) !== hash(b.mem)) expect(Array.from(a.mem), `seed ${seed} storage`).toEqual(Array.from(b.mem));
}

describe('loop JIT: random loop programs, JIT on vs off', () => {
  it('agrees with the interpreter on 3,000 random programs', () => {
    clearJitCache();
    for (let seed = 1; seed <= 3000; seed++) compare(seed);
    // The JIT must have really run, a lot (or this test proves nothing).
    expect(jitStats.compiles).toBeGreaterThan(1000);
    expect(jitStats.instructions).toBeGreaterThan(500_000);
  }, 60_000);
});

/** Assemble-free helper: a machine with `words` at 0x1000 and registers set. */
function bare(words: number[], regs: Record<number, number>, opts: { jit?: boolean; flags?: number; threshold?: number } = {}): CPU {
  const mem = makeStorage(SIZE);
  words.forEach((w, i) => { mem[(0x1000 >> 2) + i] = w | 0; });
  const cpu = new CPU(mem);
  for (const [k, v] of Object.entries(regs)) cpu.gpr[Number(k)] = v;
  cpu.flags = opts.flags ?? PSW_PROBLEM; cpu.ia = 0x1000; cpu.intercepts = ICPT_PROGRAM | ICPT_SVC;
  cpu.jit = opts.jit ?? true; cpu.jitThreshold = opts.threshold ?? 2;
  return cpu;
}

/** `AR R3,R1 ; BRCT R2,loop ; SVC 1`: the benchmark loop. */
const SUM = [rr(0x1a, 3, 1), ri(0xd2, 2, -1), SVC_END];

describe('loop JIT: edge cases', () => {
  it('honours every budget exactly, also mid-iteration', () => {
    for (const budget of [1, 2, 3, 4, 5, 6, 7, 99, 100, 101, 1000, 1001]) {
      const a = bare(SUM, { 1: 1, 2: 1000 }), b = bare(SUM, { 1: 1, 2: 1000 }, { jit: false });
      a.run(budget); b.run(budget);
      expect(state(a)).toEqual(state(b));
      expect(a.now).toBe(budget);
    }
  });

  it('bails out before an overflow with the mask on, and the interpreter raises it', () => {
    const regs = { 1: 0x10000000, 2: 1000 };
    const a = bare(SUM, regs, { flags: PSW_PROBLEM | PSW_FIXED_OVERFLOW }), b = bare(SUM, regs, { jit: false, flags: PSW_PROBLEM | PSW_FIXED_OVERFLOW });
    const before = jitStats.entries;
    expect(a.run(10_000)).toBe(STOP_INTERCEPT); b.run(10_000);
    expect(state(a)).toEqual(state(b));
    expect(a.icept.code).toBe(8); // fixed-point overflow, at AR, result stored, CC 3 (PoO 3.4)
    expect(a.gpr[3]).toBe(-0x80000000);
    expect(jitStats.entries).toBeGreaterThan(before);
  });

  it('bails out before a store into its own code (self-modifying loop)', () => {
    // L R4,0(R9) ; AHI R4,1 ; ST R4,0(R9) ; BRCT R2,loop  with R9 -> the AHI word: the increment
    // itself changes each iteration, so a stale compiled loop would compute a different R4.
    const code = [rx(0x58, 5, 0, 0x1004), rr(0x1a, 6, 5), rx(0x50, 4, 9, 0), ri(0xc1, 4, 1), ri(0xd2, 2, -4), SVC_END];
    const regs = { 2: 50, 4: ri(0xc1, 6, 1), 9: 0x1008 };
    const a = bare(code, regs), b = bare(code, regs, { jit: false });
    a.run(5000); b.run(5000);
    expect(state(a)).toEqual(state(b));
    expect(hash(a.mem)).toBe(hash(b.mem));
  });

  it('never runs stale code after a host write, a storage swap or a new storage', () => {
    const a = bare(SUM, { 1: 1, 2: 100_000 }), b = bare(SUM, { 1: 1, 2: 100_000 }, { jit: false });
    a.run(5000); b.run(5000);
    const ahi = ri(0xc1, 3, 7); // the loop now adds 7 instead of R1
    a.mem[0x1000 >> 2] = ahi; b.mem[0x1000 >> 2] = ahi;
    a.run(5000); b.run(5000);
    expect(state(a)).toEqual(state(b));
    const other = makeStorage(SIZE); other.set(b.mem); other[0x1000 >> 2] = ri(0xc1, 3, -3);
    a.setStorage(other.slice()); b.setStorage(other.slice());
    a.run(5000); b.run(5000);
    expect(state(a)).toEqual(state(b));
  });

  it('does not compile with DAT on, with breakpoints or with a step hook', () => {
    const before = jitStats.entries;
    const c1 = bare(SUM, { 1: 1, 2: 1000 }, { flags: PSW_PROBLEM | PSW_DAT });
    c1.run(10); // DAT on: the interpreter only (no TLB entries: it stops on the first fetch)
    const c2 = bare(SUM, { 1: 1, 2: 1000 }); c2.breakpoints.add(0x2000); c2.run(1000);
    const c3 = bare(SUM, { 1: 1, 2: 1000 }); let steps = 0; c3.stepHook = () => { steps++; }; c3.run(1000);
    expect(steps).toBe(1000);
    expect(jitStats.entries).toBe(before);
  });

  it('misaligned branch targets raise the specification exception at the branch', () => {
    // BC 15,1(R13) from inside the loop after some iterations: R13 becomes odd.
    const code = [ri(0xc1, 5, 1), ri(0xc2, 5, 40), ri(0xd0, 8, 2), ri(0xd0, 15, -3), rx(0x47, 15, 13, 1), SVC_END];
    const a = bare(code, { 13: 0x1000 }), b = bare(code, { 13: 0x1000 }, { jit: false });
    expect(a.run(1000)).toBe(b.run(1000));
    expect(state(a)).toEqual(state(b));
    expect(a.icept.code).toBe(6);
  });

  it('generates numbers only: no guest-controlled text reaches the source', () => {
    const mem = makeStorage(SIZE);
    SUM.forEach((w, i) => { mem[(0x1000 >> 2) + i] = w; });
    const s = scan(mem, 0x1000, new Int32Array(16));
    const src = generate(0x1000, s.words, s.len);
    expect(s.len).toBe(2);
    // Identifiers are the generator's own; every literal is a number.
    const words = new Set(src.match(/[A-Za-z_$][\w$]*/g));
    for (const id of words) expect(id, src).toMatch(/^(use|strict|return|function|region|cpu|n|const|r|m|size|ovf|gpr|mem|flags|let|cc|pc|r\d+|x|while|p|q|s|if|else|v|continue|break|ia|t|t0|t1|a|i|sh|h|hs|nv|Math|imul|sign|lost|out|true|false)$/);
  });
});
