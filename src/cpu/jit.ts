/**
 * The loop JIT: hot guest loops run as compiled JavaScript loops, with exactly the interpreter's
 * semantics (the interpreter in interp.ts stays the fallback and the reference).
 *
 * How a loop gets here. `execute()` counts taken backward branches per target (cpu.hot); when a
 * target's count reaches cpu.jitThreshold it leaves with X_HOT after the branch completed, and
 * CPU.run() calls `runHot()` with what is left of the slice. `runHot()` finds or compiles the
 * region at cpu.ia (jit-gen.ts), runs it for at most that many instructions, and returns how many
 * it used; the interpreter then goes on from cpu.ia. The counter hook is disabled (threshold -1)
 * with cpu.jit false and while a debugger steps (breakpoints or a step hook), so compiled code
 * never skips a breakpoint.
 *
 * Code cache (`JitCode`, one per CPU: `cpu.jitCode`, so two machines in one host share nothing
 * unless a host gives them the same one). Regions are kept per storage array (a WeakMap: CP swaps `cpu.mem` per VM, and
 * `setStorage` may install a new one) and per start address. Each region keeps a copy of the
 * instruction words it was compiled from and is used only if storage still holds exactly those
 * words (checked on every entry: K word compares), so code changed by the guest, a loader, a
 * channel program or a debugger is never run stale. While a region runs, a store into its own
 * words bails out before the store (jit-gen.ts); stores into other regions need no check there,
 * because those regions are verified when next entered.
 *
 * DAT on. A region is read through the TLB from the real frames its virtual code pages map to
 * (jit-gen.ts `scanDat`), and kept under a key of its virtual head *and* the real address the head
 * maps to, so the same virtual address in another address space (another MTOS task's frame,
 * another VM's storage) finds its own region. On every entry: the head's TLB entry must be valid
 * (else the interpreter takes the miss) and gives the real head, hence the key, hence the frame;
 * a second code page's TLB entry must still hold the frame and valid bit it was read through; and
 * storage must still hold the words at those real addresses. DAT-off and DAT-on regions are
 * separate caches and separate generated code, so the DAT-off path is unchanged.
 */
import { PSW_DAT, PTE_PFRA, TLB_VALID } from './arch.ts';
import type { CPU } from './cpu.ts';
import { HOT_SIZE } from './interp.ts';
import { datCode, generate, scan, scanDat } from './jit-gen.ts';

/** A compiled region: runs up to `n` instructions, returns the unused part of `n`. */
export type RegionFn = (cpu: CPU, n: number) => number;

/** One code-cache entry (a compiled loop, or a remembered failure to find one). */
export interface Region {
  readonly start: number;
  /** Instructions in the region (0 when nothing was compiled). */
  readonly len: number;
  /** The words this entry was made from, from `start` on; it is valid while storage holds them. */
  readonly words: Int32Array;
  readonly fn: RegionFn | null;
  /** DAT on: the real address of each of `words`; null for a DAT-off region (words from `start` on). */
  readonly reals: Int32Array | null;
  /** DAT on: the second code page (virtual page number) and its TLB entry (frame | valid); -1 if one page. */
  readonly page2: number;
  readonly entry2: number;
}

/** Counters (observability, and proof in tests that compiled code really ran). */
export class JitStats {
  compiles = 0; failures = 0; entries = 0; instructions = 0; stale = 0; datCompiles = 0; datEntries = 0; datInstructions = 0;
}

/** Entries per storage before the cache is dropped (a guest that keeps generating loops). */
const MAX_ENTRIES = 1024;

/** A CPU's compiled code and its counters. */
export class JitCode {
  readonly stats = new JitStats();
  /** DAT-off regions per storage, keyed by head address. */
  readonly caches = new WeakMap<Int32Array, Map<number, Region>>();
  /** DAT-on regions per storage, keyed by virtual head * 2^24 + real head. */
  readonly datCaches = new WeakMap<Int32Array, Map<number, Region>>();
  /** Functions by source text: the same loop at the same address (e.g. in several VMs) compiles once. */
  readonly functions = new Map<string, RegionFn>();

  /** Forget compiled code (all of it, and the counters; or one storage's). Never needed for correctness. */
  clear(mem?: Int32Array): void {
    if (mem) { this.caches.delete(mem); this.datCaches.delete(mem); return; }
    this.functions.clear();
    Object.assign(this.stats, new JitStats());
  }
}

/** True when storage still holds the words the region was made from. */
function current(reg: Region, mem: Int32Array): boolean {
  const ws = reg.words, base = reg.start >>> 2;
  if (base + ws.length > mem.length) return false;
  for (let i = 0; i < ws.length; i++) if (mem[base + i] !== ws[i]) return false;
  return true;
}

/** DAT on: true when the second code page maps as it did and storage holds the words at their real addresses. */
function currentDat(reg: Region, mem: Int32Array, tlb: Int32Array): boolean {
  if (reg.page2 >= 0 && (tlb[reg.page2] & (PTE_PFRA | TLB_VALID)) !== reg.entry2) return false;
  const ws = reg.words, rs = reg.reals!;
  for (let i = 0; i < ws.length; i++) if (mem[rs[i] >>> 2] !== ws[i]) return false;
  return true;
}

/** The function for a generated source, compiled once per distinct source. */
function compile(jc: JitCode, src: string): RegionFn {
  const functions = jc.functions;
  let fn = functions.get(src);
  if (fn === undefined) {
    // The source holds only numbers generated from instruction fields (never guest text).
    fn = new Function(src)() as RegionFn;
    if (functions.size >= MAX_ENTRIES) functions.clear();
    functions.set(src, fn);
  }
  return fn;
}

/** Find the loop at `start` in `mem` and compile it; a Region with fn null when there is none. */
export function compileRegion(jc: JitCode, mem: Int32Array, start: number, gpr: Int32Array): Region {
  const s = scan(mem, start, gpr);
  if (s.len === 0 || !s.loops) { jc.stats.failures++; return { start, len: 0, words: s.words, fn: null, reals: null, page2: -1, entry2: 0 }; }
  const fn = compile(jc, generate(start, s.words, s.len));
  jc.stats.compiles++;
  return { start, len: s.len, words: s.words, fn, reals: null, page2: -1, entry2: 0 };
}

/** DAT on: find the loop at virtual `start` through `tlb` and compile it (fn null when there is none). */
export function compileDatRegion(jc: JitCode, mem: Int32Array, tlb: Int32Array, start: number, gpr: Int32Array): Region {
  const s = scanDat(mem, tlb, start, gpr);
  const fn = s.len === 0 || !s.loops ? null : compile(jc, generate(start, s.words, s.len, datCode(s.reals, s.len)));
  if (fn === null) jc.stats.failures++; else jc.stats.datCompiles++;
  return { start, len: fn === null ? 0 : s.len, words: s.words, fn, reals: s.reals, page2: s.page2, entry2: s.entry2 };
}

/** The cache entry for `start` in the CPU's current storage, (re)made if missing or stale. */
function lookup(cpu: CPU, start: number): Region {
  const mem = cpu.mem, jc = cpu.jitCode;
  let cache = jc.caches.get(mem);
  if (cache === undefined) { cache = new Map(); jc.caches.set(mem, cache); }
  let reg = cache.get(start);
  if (reg !== undefined && current(reg, mem)) return reg;
  if (reg !== undefined) jc.stats.stale++;
  reg = compileRegion(jc, mem, start, cpu.gpr);
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(start, reg);
  return reg;
}

/** DAT on: the entry for virtual `start` as the TLB maps it now, or null when its page has no valid entry. */
function lookupDat(cpu: CPU, start: number): Region | null {
  const mem = cpu.mem, tlb = cpu.tlb, jc = cpu.jitCode;
  const e = tlb[start >>> 12];
  if ((e & TLB_VALID) === 0) return null; // the interpreter takes the miss
  const key = start * 0x1000000 + ((e & PTE_PFRA) | (start & 0xfff));
  let cache = jc.datCaches.get(mem);
  if (cache === undefined) { cache = new Map(); jc.datCaches.set(mem, cache); }
  let reg = cache.get(key);
  if (reg !== undefined && currentDat(reg, mem, tlb)) return reg;
  if (reg !== undefined) jc.stats.stale++;
  reg = compileDatRegion(jc, mem, tlb, start, cpu.gpr);
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, reg);
  return reg;
}

/**
 * Run the hot loop at cpu.ia compiled, for at most `budget` instructions (the rest of the
 * interpreter's slice). Returns the instructions executed; cpu.ia, cpu.cc and the registers are
 * left exactly as the interpreter would leave them after as many instructions.
 */
export function runHot(cpu: CPU, budget: number): number {
  const start = cpu.ia;
  const h = (start >>> 2) & (HOT_SIZE - 1);
  if (!cpu.jit) { cpu.hot[h] = 0; return 0; } // the hook is off then; be safe
  const dat = (cpu.flags & PSW_DAT) !== 0;
  const reg = dat ? lookupDat(cpu, start) : lookup(cpu, start);
  if (reg === null || reg.fn === null || budget < reg.len) { cpu.hot[h] = 0; return 0; }
  const used = budget - reg.fn(cpu, budget);
  const st = cpu.jitCode.stats;
  st.entries++; st.instructions += used;
  if (dat) { st.datEntries++; st.datInstructions += used; }
  // A loop that ran a while comes straight back on its next taken back edge; one that bailed
  // out early (a fault, self-modifying code, a short trip count) waits for the threshold again,
  // which bounds what a bad region can cost to one lookup per `jitThreshold` iterations.
  cpu.hot[h] = used >= 4 * reg.len ? Math.max(0, cpu.jitThreshold - 1) : 0;
  return used;
}
