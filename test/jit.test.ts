/**
 * The loop JIT (src/cpu/jit.ts) against its reference, the interpreter: random loop programs and
 * edge cases run twice, JIT on and off, must agree bit for bit after every `run()` call
 * (registers, PSW, CC, instruction address, virtual time, instruction counts, stop reasons,
 * interception details) and in storage at the end. Determinism is the contract: a slice of k
 * instructions executes exactly k unless something stops it earlier, whichever engine runs it.
 */
import { describe, expect, it } from 'vitest';
import { PGM_PAGE, PSW_DAT, PSW_FIXED_OVERFLOW, PSW_PROBLEM, PTE_INVALID, PTE_PROTECT, TLB_ENTRIES } from '../src/cpu/arch.ts';
import { walkTables } from '../src/cpu/dat.ts';
import { CPU, ICPT_PROGRAM, ICPT_SVC, ICPT_TRANSLATION, STOP_INTERCEPT } from '../src/cpu/cpu.ts';
import { JitCode } from '../src/cpu/jit.ts';
import { datCode, generate, scan } from '../src/cpu/jit-gen.ts';
import { makeStorage, storageHash } from '../src/cpu/storage.ts';
import { Rng } from './fuzz/generator.ts';

/* Instruction encoders (PoO 4.1 formats, src/cpu/isa.ts). */
const rr = (op: number, r1: number, r2: number) => ((op << 24) | (r1 << 20) | (r2 << 16)) | 0;
const rx = (op: number, r1: number, b: number, d: number) => ((op << 24) | (r1 << 20) | (b << 16) | (d & 0xffff)) | 0;
const rsh = (op: number, r1: number, b: number, d: number) => ((op << 24) | (r1 << 20) | (b << 12) | (d & 0xfff)) | 0;
const si = (op: number, imm: number, b: number, d: number) => ((op << 24) | ((imm & 0xff) << 16) | (b << 12) | (d & 0xfff)) | 0;
const ri = (op: number, r1: number, i: number) => ((op << 24) | (r1 << 20) | (i & 0xffff)) | 0;
/** One code cache for every CPU made here, so its counters prove that compiled code ran. */
const JIT = new JitCode();
const jitStats = JIT.stats;
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
interface Prog { mem: Int32Array; gpr: Int32Array; flags: number; cc: number; ia: number; len: number }

/**
 * A random loop program; `straddle`: its head just below X'1000', so the loop crosses a page
 * boundary; `cfg`: branches go anywhere in the loop (forward and backward: ifs, inner loops, a
 * subroutine called with BRAS R7 and left with BCR 15,R7), so regions have several blocks.
 */
function genProgram(g: Rng, straddle = false, cfg = false): Prog {
  const mem = makeStorage(SIZE);
  for (let i = 0x2000 >> 2; i < 0x2400 >> 2; i++) mem[i] = g.chance(0.5) ? g.pick(VALUES) : g.next() | 0;
  const len = 1 + g.int(10);
  // The loop head: ordinary, or at the very end of storage (fall-out and exits beyond it).
  const S = straddle ? 0x1000 - 4 * (1 + g.int(len + 1)) : g.chance(0.1) ? SIZE - 4 * (len + 2 + g.int(2)) : 0x1000 + 4 * g.int(256);
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
    if (cfg && g.chance(0.2)) w = ri(0xd0, g.int(16), rel(S + 4 * g.int(len + 1))); // an if, or an inner loop
    else if (k < 22) w = rr(g.pick(RR_OPS), reg(), reg());
    else if (k < 34) w = rx(g.pick(RX_WORD), reg(), ptr(), disp());
    else if (k < 40) w = rx(g.pick(RX_HALF), reg(), ptr(), disp());
    else if (k < 44) w = rx(g.pick(RX_BYTE), reg(), ptr(), disp());
    else if (k < 48) w = si(g.pick(SI_OPS), g.int(256), ptr(), g.pick([0, 1, 2, 3, 5, 0xffc]));
    else if (k < 60) w = ri(g.pick(RI_OPS), reg(), g.chance(0.5) ? g.pick([0, 1, -1, 0x7fff, -0x8000, 4, 2]) : g.next());
    else if (k < 66) w = rsh(0x88 + g.int(4), reg(), g.chance(0.7) ? 0 : reg(), g.int(64));
    else if (k < 72) w = g.chance(0.5) ? rx(0x41, ptr(), ptr(), g.pick([4, -4, 2, 1, 4096])) : ri(0xc1, ptr(), g.pick([4, -4, 2, 1]));
    else if (k < 78) { // BRC: back edge, inner branch or side exit
      w = ri(0xd0, g.int(16), rel(cfg && g.chance(0.7) ? S + 4 * g.int(len + 1) : g.chance(0.5) ? S : exit()));
    }
    else if (k < 81) w = rx(0x47, g.int(16), g.chance(0.6) ? 13 : 14, 0); // BC via a register: head or misaligned
    else if (k < 83) w = rr(0x07, g.int(16), g.pick([13, 14, 0])); // BCR
    else if (k < 85) w = rr(0x06, reg(), g.pick([13, 14, 0])); // BCTR
    else if (k < 87) w = ri(0xd3, reg(), rel(exit())); // LARL
    else if (k < 89) w = rr(0x05, reg(), 0); // BALR R1,0: link only
    else if (k < 91) w = ri(0xd2, 8, rel(S)); // BRCT in the middle
    else if (k < 93) w = g.pick(OTHERS);
    else if (k < 95) { // BRAS, or return through R7
      w = cfg && g.chance(0.5) ? rr(0x07, 15, 7) : ri(0xd1, 7, rel(cfg && g.chance(0.5) ? S + 4 * g.int(len + 1) : g.chance(0.8) ? S : exit()));
    }
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
  return { mem, gpr, flags, cc: g.int(4), ia: S, len };
}

function machine(p: Prog, jit: boolean, threshold: number): CPU {
  const cpu = new CPU(p.mem.slice());
  cpu.jitCode = JIT;
  cpu.gpr.set(p.gpr); cpu.flags = p.flags; cpu.cc = p.cc; cpu.ia = p.ia;
  cpu.intercepts = ICPT_PROGRAM | ICPT_SVC;
  cpu.jit = jit; cpu.jitThreshold = threshold;
  return cpu;
}

function state(c: CPU) {
  const i = c.icept;
  return {
    gpr: [...c.gpr], flags: c.flags, cc: c.cc, ia: c.ia, now: c.now, count: c.counters.instructions,
    icept: [i.kind, i.code, i.address, i.word, i.failAddress, i.write],
  };
}

const hash = storageHash;

/** Run both machines in lock step with random slices; throw with the seed on the first difference. */
function compare(seed: number, maxInstr = 4000, cfg = false): void {
  const g = new Rng(seed);
  const p = genProgram(g, false, cfg);
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
    JIT.clear();
    for (let seed = 1; seed <= 3000; seed++) compare(seed);
    // The JIT must have really run, a lot (or this test proves nothing).
    expect(jitStats.compiles).toBeGreaterThan(1000);
    expect(jitStats.instructions).toBeGreaterThan(500_000);
  }, 60_000);

  it('agrees with the interpreter on 3,000 random programs with branches anywhere (regions of several blocks)', () => {
    JIT.clear();
    for (let seed = 1; seed <= 3000; seed++) compare(100_000 + seed, 4000, true);
    expect(jitStats.compiles).toBeGreaterThan(1000);
    expect(jitStats.blocks).toBeGreaterThan(1.5 * jitStats.compiles); // several blocks per region, on average
    expect(jitStats.instructions).toBeGreaterThan(500_000);
  }, 60_000);
});

/* ---- DAT on: the same random loop programs under random page tables ---- */

/** Real storage of the DAT machines: 31 frames for pages, frame 31 for the tables. */
const REAL = 128 * 1024;
const FRAMES = 31;
/** Two address spaces (MTOS-like): segment tables and their page tables in frame 31. */
const STO = [0x1f000, 0x1f040];
const PTO = [0x1f400, 0x1f800];

/** A DAT machine and its host's state (the host is this test: a pager, and with ICPT_TRANSLATION a shadow filler). */
interface Box { cpu: CPU; shadows: CPU['tlb'][]; space: number }

/** The real storage and page tables for program `p`: random frames (or identity), some pages invalid, protected, aliased. */
function genWorld(g: Rng, p: Prog): { real: Int32Array; gpr: Int32Array; spare: number[] } {
  const real = makeStorage(REAL);
  const gpr = p.gpr.slice();
  const S = p.ia;
  const code = new Set([S >>> 12, (S + 4 * (p.len + 6)) >>> 12]);
  const perm = Array.from({ length: FRAMES }, (_, i) => i);
  const identity = g.chance(0.3);
  if (!identity) for (let i = perm.length - 1; i > 0; i--) { const j = g.int(i + 1); [perm[i], perm[j]] = [perm[j], perm[i]]; }
  const frame: number[] = [];
  for (let v = 0; v <= 16; v++) frame[v] = !identity && v > 0 && g.chance(0.08) ? frame[g.int(v)] : perm[v]; // some aliases
  const spare = perm.slice(17);
  const pt = new Int32Array(256).fill(PTE_INVALID);
  for (let v = 0; v <= 16; v++) {
    const inv = g.chance(code.has(v) ? 0.03 : 0.08), prot = g.chance(code.has(v) ? 0.3 : 0.12);
    pt[v] = (frame[v] << 12) | (inv ? PTE_INVALID : 0) | (prot ? PTE_PROTECT : 0);
  }
  // Pages 0-15 hold the program's image; code pages last, so an alias never hides the code.
  const order = [...Array(16).keys()].sort((a, b) => Number(code.has(a)) - Number(code.has(b)));
  for (const v of order) real.set(p.mem.subarray(v << 10, (v + 1) << 10), frame[v] << 10);
  if (g.chance(0.3)) { // another virtual page on the code's frame: stores through it modify the code
    const va = 17 + g.int(4);
    pt[va] = (frame[S >>> 12] << 12) | (g.chance(0.3) ? PTE_PROTECT : 0);
    gpr[9 + g.int(4)] = (va << 12) | ((S + 4 * g.int(p.len + 1)) & 0xfff);
  }
  // Space B: the same, except that its code pages are other frames holding a changed loop.
  const ptB = pt.slice();
  for (const v of code) {
    if (v > 15 || spare.length === 0) continue;
    const f = spare.pop()!;
    real.set(real.subarray(frame[v] << 10, (frame[v] + 1) << 10), f << 10);
    const a = S + 4 * g.int(p.len);
    if (a >>> 12 === v) real[(f << 10) | ((a & 0xfff) >>> 2)] = ri(0xc1, 1 + g.int(7), g.int(100));
    ptB[v] = (f << 12) | (pt[v] & PTE_PROTECT);
  }
  for (let s = 0; s < 2; s++) {
    real[STO[s] >>> 2] = PTO[s];
    real.set(s === 0 ? pt : ptB, PTO[s] >>> 2);
  }
  return { real, gpr, spare };
}

function datBox(p: Prog, real: Int32Array, gpr: Int32Array, jit: boolean, threshold: number, icpt: boolean): Box {
  const cpu = new CPU(real.slice());
  cpu.jitCode = JIT;
  cpu.gpr.set(gpr); cpu.flags = p.flags | PSW_DAT; cpu.cc = p.cc; cpu.ia = p.ia; cpu.cr[1] = STO[0];
  cpu.intercepts = ICPT_PROGRAM | ICPT_SVC | (icpt ? ICPT_TRANSLATION : 0);
  cpu.jit = jit; cpu.jitThreshold = threshold;
  const shadows = [new Int32Array(TLB_ENTRIES), new Int32Array(TLB_ENTRIES)];
  if (icpt) cpu.tlb = shadows[0];
  return { cpu, shadows, space: 0 };
}

/** Purge every TLB the host keeps for the box (PTLB; a changed table). */
function purge(b: Box): void { b.cpu.tlb.fill(0); for (const t of b.shadows) t.fill(0); }

/**
 * The host's answer to an interception (the same on both machines): a translation miss is filled
 * from the tables (ICPT_TRANSLATION, as CP fills its shadow); a page fault pages in (clears the
 * invalid bit) and retries; anything else skips the instruction. Returns false at the program's end.
 */
function host(b: Box): boolean {
  const c = b.cpu, i = c.icept;
  if (i.kind === 'svc' && i.code === 1) return false;
  if (i.kind === 'translation') {
    const e = walkTables(c.mem, c.cr[1], i.failAddress);
    if (e > 0) { c.tlb[i.failAddress >>> 12] = e; return true; }
    if (-e !== PGM_PAGE) { c.ia = (c.ia + 4) & 0xffffff; return true; }
  } else if (i.kind !== 'program' || i.code !== PGM_PAGE) { c.ia = (c.ia + 4) & 0xffffff; return true; }
  const pte = (PTO[b.space] >>> 2) + ((i.failAddress >>> 12) & 255);
  c.mem[pte] &= ~PTE_INVALID;
  return true;
}

/**
 * state() plus the TLB. On an instruction-fetch failure the interpreter reports a stale word (its
 * last one, or 0 at the start of a slice): nothing was fetched, so that word means nothing and
 * depends on slice boundaries even without the JIT. It is left out of the comparison then.
 */
function datState(stop: number, c: CPU) {
  return { stop, ...state(c), tlb: hash(c.tlb) };
}

/** Run JIT on and off in lock step, DAT on, with the host changing mappings between slices. */
function compareDat(seed: number, icpt: boolean, maxInstr = 4000): void {
  const g = new Rng(seed);
  const p = genProgram(g, g.chance(0.25));
  const { real, gpr, spare } = genWorld(g, p);
  const boxes = [datBox(p, real, gpr, true, 1 + g.int(3), icpt), datBox(p, real, gpr, false, 1, icpt)];
  const [a, b] = boxes.map((x) => x.cpu);
  const all = (f: (x: Box) => void) => { for (const x of boxes) f(x); };
  for (let step = 0; step < 60 && a.now < maxInstr; step++) {
    const slice = g.chance(0.3) ? 1 + g.int(5) : g.chance(0.5) ? 1 + g.int(200) : 1 + g.int(3000);
    const sa = a.run(slice), sb = b.run(slice);
    const ctx = `seed ${seed} ${icpt ? 'icpt' : 'bare'} step ${step}`;
    expect(datState(sa, a), ctx).toEqual(datState(sb, b));
    if (sa === STOP_INTERCEPT) { const go = boxes.map(host); if (!go[0]) break; }
    // The host between slices: the same change on both machines.
    const k = g.int(100);
    const page = (p.ia + (g.chance(0.5) ? 0 : 4 * p.len)) >>> 12;
    if (k < 8) all(purge); // PTLB
    else if (k < 16) all((x) => { // switch address spaces: LCTL 1 purges on the bare machine; CP keeps a shadow per space here
      x.space ^= 1; x.cpu.cr[1] = STO[x.space];
      if (icpt) x.cpu.tlb = x.shadows[x.space]; else x.cpu.tlb.fill(0);
    });
    else if (k < 22 && spare.length > 0) { // move a code page of the current space to a spare frame, maybe changed, maybe not purged
      const f = spare[g.int(spare.length)], change = g.chance(0.5), keep = g.chance(0.2);
      const word = g.int(1024), inc = ri(0xc1, 1 + g.int(7), g.int(100));
      all((x) => {
        const m = x.cpu.mem, pte = (PTO[x.space] >>> 2) + page;
        const old = (m[pte] >>> 12) & 0xfff;
        m.copyWithin(f << 10, old << 10, (old + 1) << 10);
        if (change) m[(f << 10) + word] = inc;
        m[pte] = (m[pte] & (PTE_INVALID | PTE_PROTECT)) | (f << 12);
        if (!keep) purge(x);
      });
    } else if (k < 26) { // the host writes into the code (a loader, a debugger)
      const off = g.int(p.len + 1) * 4, inc = ri(0xc1, 1 + g.int(7), g.int(100));
      all((x) => { const e = x.cpu.tlb[(p.ia + off) >>> 12]; if (e & 1) x.cpu.mem[((e & 0xfff000) | ((p.ia + off) & 0xfff)) >>> 2] = inc; });
    } else if (k < 30) { // toggle protection of a page, and purge
      const v = g.int(17);
      all((x) => { x.cpu.mem[(PTO[x.space] >>> 2) + v] ^= PTE_PROTECT; purge(x); });
    }
  }
  if (hash(a.mem) !== hash(b.mem)) expect(Array.from(a.mem), `seed ${seed} storage`).toEqual(Array.from(b.mem));
}

describe('loop JIT with DAT on: random loop programs under random page tables, JIT on vs off', () => {
  it('agrees with the interpreter, the CPU walking the tables (bare)', () => {
    const before = { ...jitStats };
    for (let seed = 1; seed <= 1500; seed++) compareDat(seed, false);
    expect(jitStats.datCompiles - before.datCompiles).toBeGreaterThan(500);
    expect(jitStats.datInstructions - before.datInstructions).toBeGreaterThan(200_000);
  }, 60_000);

  it('agrees with the interpreter, the host filling the TLB (ICPT_TRANSLATION, as CP does)', () => {
    const before = { ...jitStats };
    for (let seed = 1; seed <= 1500; seed++) compareDat(100_000 + seed, true);
    expect(jitStats.datCompiles - before.datCompiles).toBeGreaterThan(500);
    expect(jitStats.datInstructions - before.datInstructions).toBeGreaterThan(200_000);
  }, 60_000);
});

/** Assemble-free helper: a machine with `words` at 0x1000 and registers set. */
function bare(words: number[], regs: Record<number, number>, opts: { jit?: boolean; flags?: number; threshold?: number } = {}): CPU {
  const mem = makeStorage(SIZE);
  words.forEach((w, i) => { mem[(0x1000 >> 2) + i] = w | 0; });
  const cpu = new CPU(mem);
  cpu.jitCode = JIT;
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

  it('does not compile with breakpoints or with a step hook', () => {
    const before = jitStats.entries;
    const c2 = bare(SUM, { 1: 1, 2: 1000 }); c2.breakpoints.add(0x2000); c2.run(1000);
    const c3 = bare(SUM, { 1: 1, 2: 1000 }); let steps = 0; c3.events.on('step', () => { steps++; }); c3.run(1000);
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

  it('gives a counted loop (BRCT back to its start, counter written nowhere else) a fast copy, and no other loop', () => {
    const fast = generate(0x1000, Int32Array.from([rr(0x1a, 3, 1), ri(0xd2, 2, -1)]), 2);
    expect(fast).toMatch(/f0: for/);
    // The counter written in the body, a second way back to the start, a computed branch: no fast copy.
    for (const code of [[rr(0x1a, 2, 1), ri(0xd2, 2, -1)], [ri(0xd0, 8, 0), rr(0x1a, 3, 1), ri(0xd2, 2, -2)], [rr(0x07, 8, 13), ri(0xd2, 2, -1)]]) {
      expect(generate(0x1000, Int32Array.from(code), code.length)).not.toMatch(/f0: for/);
    }
    // And it runs exactly like the interpreter, overflow included (the fast copy leaves it to the interpreter).
    for (const [r1, r3] of [[1, 0], [0x40000000, 0], [-1, 5]]) {
      const mem = makeStorage(SIZE);
      mem[0x1000 >>> 2] = rr(0x1a, 3, 1); mem[0x1004 >>> 2] = ri(0xd2, 2, -1); mem[0x1008 >>> 2] = SVC_END;
      const gpr = Int32Array.from({ length: 16 }, (_, k) => (k === 1 ? r1 : k === 2 ? 1000 : k === 3 ? r3 : 0));
      const p: Prog = { mem, gpr, flags: PSW_PROBLEM, cc: 1, ia: 0x1000, len: 2 };
      const a = machine(p, true, 1), b = machine(p, false, 1);
      for (const slice of [7, 100, 5000]) { a.run(slice); b.run(slice); expect(state(a)).toEqual(state(b)); }
    }
  });

  it('generates numbers only: no guest-controlled text reaches the source', () => {
    const mem = makeStorage(SIZE);
    SUM.forEach((w, i) => { mem[(0x1000 >> 2) + i] = w; });
    const s = scan(mem, 0x1000, new Int32Array(16));
    const src = generate(0x1000, s.words, s.len);
    expect(s.len).toBe(2);
    // Identifiers are the generator's own; every literal is a number.
    const words = new Set(src.match(/[A-Za-z_$][\w$]*/g));
    for (const id of words) expect(id, src).toMatch(/^(use|strict|return|function|region|cpu|n|const|r|m|size|ovf|gpr|mem|flags|let|cc|pc|r\d+|x|while|for|switch|case|default|b\d+|f\d+|ccs|it|stop|e\d+|d\d+|l|floor|m8|jitCode|bytes|p|q|s|if|else|v|continue|break|ia|t|t0|t1|a|i|sh|h|hs|nv|Math|imul|sign|lost|out|true|false)$/);
    // DAT on: the same, plus the TLB and translation locals; real addresses appear as numbers.
    const code = [rx(0x58, 4, 5, 0), rr(0x1a, 4, 1), rx(0x50, 4, 5, 0), si(0x92, 7, 5, 1), ri(0xd2, 2, -4)];
    const src2 = generate(0x1ff8, Int32Array.from(code), code.length, datCode(Int32Array.from([0x5ff8, 0x5ffc, 0x9000, 0x9004, 0x9008]), code.length));
    expect(src2).toContain('tlb[a >>> 12]');
    expect(src2).toContain('((ra - 24568) >>> 0) < 8 || ((ra - 36864) >>> 0) < 12'); // both real ranges
    for (const id of new Set(src2.match(/[A-Za-z_$][\w$]*/g))) expect(id, src2).toMatch(/^(use|strict|return|function|region|cpu|n|const|r|m|size|ovf|gpr|mem|flags|let|cc|pc|r\d+|x|while|for|switch|case|default|b\d+|f\d+|ccs|it|stop|e\d+|d\d+|l|floor|m8|jitCode|bytes|p|q|s|if|else|v|continue|break|ia|t|t0|t1|a|i|sh|h|hs|nv|Math|imul|sign|lost|out|true|false|tlb|e|ra)$/);
  });
});

/**
 * A DAT machine for edge cases: `code` (virtual address -> word) placed in the frames `map`
 * (virtual page -> real frame) gives, one segment table in frame 31; the CPU walks it on misses.
 */
function datMachine(
  code: [number, number][], map: Record<number, number>, regs: Record<number, number>, ia: number,
  jit: boolean, extra: [number, number][] = [],
): CPU {
  const mem = makeStorage(REAL);
  const pt = new Int32Array(256).fill(PTE_INVALID);
  for (const [v, f] of Object.entries(map)) pt[Number(v)] = f << 12;
  mem[STO[0] >>> 2] = PTO[0]; mem.set(pt, PTO[0] >>> 2);
  for (const [va, w] of code) mem[((map[va >>> 12] << 12) | (va & 0xfff)) >>> 2] = w;
  for (const [ra, w] of extra) mem[ra >>> 2] = w;
  const cpu = new CPU(mem);
  cpu.jitCode = JIT;
  for (const [k, v] of Object.entries(regs)) cpu.gpr[Number(k)] = v;
  cpu.flags = PSW_PROBLEM | PSW_DAT; cpu.ia = ia; cpu.cr[1] = STO[0]; cpu.intercepts = ICPT_PROGRAM | ICPT_SVC;
  cpu.jit = jit; cpu.jitThreshold = 2;
  return cpu;
}

describe('loop JIT with DAT on: edge cases', () => {
  it('runs a loop at a virtual address through its frame, and compiled code really runs', () => {
    const code: [number, number][] = [[0x3000, rr(0x1a, 3, 1)], [0x3004, ri(0xd2, 2, -1)], [0x3008, SVC_END]];
    const a = datMachine(code, { 3: 7 }, { 1: 1, 2: 5000 }, 0x3000, true), b = datMachine(code, { 3: 7 }, { 1: 1, 2: 5000 }, 0x3000, false);
    const before = jitStats.datInstructions;
    expect(a.run(100_000)).toBe(b.run(100_000));
    expect(state(a)).toEqual(state(b));
    expect(a.gpr[3]).toBe(5000);
    expect(jitStats.datInstructions - before).toBeGreaterThan(9000);
  });

  it('stops a region before a page whose TLB entry is missing (the interpreter takes the miss)', () => {
    // The loop's last words are on page 1; page 2 follows in the region's straight line but has
    // no TLB entry when the loop is compiled. Real word 0 holds a decoy a wrong translation would run.
    const code: [number, number][] = [[0x1ff8, ri(0xc1, 3, 1)], [0x1ffc, ri(0xd2, 8, -1)], [0x2000, ri(0xc0, 3, 77)], [0x2004, SVC_END]];
    const map = { 1: 5, 2: 6 };
    const a = datMachine(code, map, { 8: 300 }, 0x1ff8, true, [[0, ri(0xc0, 4, 99)], [4, SVC_END]]);
    const b = datMachine(code, map, { 8: 300 }, 0x1ff8, false, [[0, ri(0xc0, 4, 99)], [4, SVC_END]]);
    expect(a.run(10_000)).toBe(b.run(10_000));
    expect(state(a)).toEqual(state(b));
    expect([a.gpr[3], a.gpr[4]]).toEqual([77, 0]);
  });

  it('bails out before a store into its own code on the second page (real ranges, not virtual)', () => {
    // R5 = AHI R3,<count>, stored over the AHI on page 2 each iteration (frames 5 and 9: two ranges).
    const code: [number, number][] = [[0x1ff4, rr(0x18, 5, 10)], [0x1ff8, rr(0x16, 5, 8)], [0x1ffc, rx(0x50, 5, 9, 4)],
      [0x2000, ri(0xc1, 6, 1)], [0x2004, ri(0xc1, 3, 0)], [0x2008, ri(0xd2, 8, -5)], [0x200c, SVC_END]];
    const regs = { 8: 200, 9: 0x2000, 10: ri(0xc1, 3, 0) };
    const a = datMachine(code, { 1: 5, 2: 9 }, regs, 0x1ff4, true), b = datMachine(code, { 1: 5, 2: 9 }, regs, 0x1ff4, false);
    a.run(10_000); b.run(10_000);
    expect(state(a)).toEqual(state(b));
    expect(hash(a.mem)).toBe(hash(b.mem));
  });

  it('keeps address spaces apart: the same virtual loop in two frames, CR1 switched between entries', () => {
    // Space A maps page 3 to frame 7 (adds 1), space B to frame 8 (adds 2); a switch purges the TLB.
    const loop = (inc: number): [number, number][] => [[0x3000, ri(0xc1, 3, inc)], [0x3004, ri(0xd2, 2, -1)], [0x3008, SVC_END]];
    const mk = (jit: boolean) => {
      const c = datMachine(loop(1), { 3: 7 }, { 2: 1_000_000 }, 0x3000, jit);
      const pt = new Int32Array(256).fill(PTE_INVALID); pt[3] = 8 << 12;
      c.mem[STO[1] >>> 2] = PTO[1]; c.mem.set(pt, PTO[1] >>> 2);
      c.mem[(8 << 10)] = ri(0xc1, 3, 2); c.mem[(8 << 10) + 1] = ri(0xd2, 2, -1);
      return c;
    };
    const a = mk(true), b = mk(false);
    const compiles = jitStats.datCompiles;
    for (let i = 0; i < 20; i++) {
      for (const c of [a, b]) { c.cr[1] = STO[i & 1]; c.tlb.fill(0); c.run(997); }
      expect(state(a)).toEqual(state(b));
    }
    expect(jitStats.datCompiles - compiles, 'one region per space, kept').toBe(2);
  });
});
