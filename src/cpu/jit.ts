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
 * Code cache (`JitCode`, one per CPU: `cpu.jitCode`; its regions are shared by no other CPU
 * unless a host gives them the same one; the generated functions, pure code, are process-wide:
 * FUNCTIONS). Regions are kept per storage array (a WeakMap: CP swaps `cpu.mem` per VM, and
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
import { datCode, generate, generateBlocks, scanBlocks, scanDat } from './jit-gen.ts';

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
  /** DAT off: the address of each of `words` (the blocks of `scanBlocks`). */
  readonly addrs: Int32Array | null;
  /** Instructions in the head's block: the least budget worth entering with. */
  readonly first: number;
}

/** Counters (observability, and proof in tests that compiled code really ran). */
export class JitStats {
  compiles = 0; blocks = 0; reused = 0; failures = 0; entries = 0; instructions = 0; stale = 0; datCompiles = 0; datEntries = 0; datInstructions = 0;
}

/** Entries per storage before the cache is dropped (a guest that keeps generating loops). */
const MAX_ENTRIES = 1024;

/**
 * Region functions by generated source, one table for the whole process: every CPU, every VM
 * and every JitCode use one function per distinct source. A region function depends on nothing
 * but its source (numbers from instruction fields and addresses, never guest text) and reads
 * every guest value (registers, storage, TLB, PSW) from its `cpu` argument on each call, so one
 * function serves any number of machines and carries nothing from one to another; 1,000 CMS
 * users running the same loop share one compilation, as they would share a CMS saved segment.
 * Why process-wide and not per JitCode: V8 keeps the compiled script of `new Function` by its
 * source, and further functions made from one source shared it in a way that left them in
 * baseline code: the third closure of one source never got optimised code at its entry
 * (%GetOptimizationStatus: baseline), and bench/scale.ts's 1,000-VM system (the third CPU to
 * compile loop.s's region) ran at 0.62 of one VM. Kept functions stay optimised.
 */
const FUNCTIONS = new Map<string, RegionFn>();

/** A CPU's compiled code and its counters. */
export class JitCode {
  readonly stats = new JitStats();
  /** DAT-off regions per storage, keyed by head address. */
  readonly caches = new WeakMap<Int32Array, Map<number, Region>>();
  /** DAT-on regions per storage, keyed by virtual head * 2^24 + real head. */
  readonly datCaches = new WeakMap<Int32Array, Map<number, Region>>();
  /** Functions by source text (process-wide, see FUNCTIONS): the same loop at the same address compiles once. */
  readonly functions = FUNCTIONS;
  /**
   * Regions by key (head, or DAT-on key), whatever storage they were made from: a region depends
   * only on the words it was made from (and, DAT on, the mappings it checks), so another storage
   * holding the same words at the same addresses (another VM with the same guest, a program run
   * again) uses it as it is, with no scan and no code generation; checked exactly as a region of
   * the storage's own cache is.
   */
  readonly shared = new Map<number, Region[]>();
  readonly sharedDat = new Map<number, Region[]>();
  /** Region functions already warmed up (see `warm`). */
  readonly warmed = new WeakSet<RegionFn>();
  /** Byte views of storages (`bytes`). */
  private readonly views = new WeakMap<Int32Array, Uint8Array>();

  /** A byte view of storage `mem`, for byte operands in compiled code (jit-gen.ts, LE). */
  bytes(mem: Int32Array): Uint8Array {
    let v = this.views.get(mem);
    if (v === undefined) { v = new Uint8Array(mem.buffer, mem.byteOffset, mem.byteLength); this.views.set(mem, v); }
    return v;
  }

  /**
   * Forget compiled code (this JitCode's regions and counters; or one storage's). Never needed for
   * correctness. The process-wide functions stay: remaking one from the same source would get
   * slower code from V8 (see FUNCTIONS), and regions are compiled again anyway (stats.compiles).
   */
  clear(mem?: Int32Array): void {
    if (mem) { this.caches.delete(mem); this.datCaches.delete(mem); return; }
    this.shared.clear(); this.sharedDat.clear();
    Object.assign(this.stats, new JitStats());
  }
}

/** True when storage still holds the words the region was made from. */
function current(reg: Region, mem: Int32Array): boolean {
  const ws = reg.words, as = reg.addrs!;
  for (let i = 0; i < ws.length; i++) { const k = as[i] >>> 2; if (k >= mem.length || mem[k] !== ws[i]) return false; }
  return true;
}

/** Regions kept per key in `shared`, and keys kept in all. */
const SHARED_PER_KEY = 4, SHARED_KEYS = 4096;

/** A region made for another storage that is valid in this one (`ok`), or undefined. */
function reuse(map: Map<number, Region[]>, key: number, ok: (r: Region) => boolean): Region | undefined {
  const list = map.get(key);
  if (list !== undefined) for (const r of list) if (ok(r)) return r;
  return undefined;
}

/** Remember a newly made region for other storages. */
function share(map: Map<number, Region[]>, key: number, reg: Region): void {
  let list = map.get(key);
  if (list === undefined) { if (map.size >= SHARED_KEYS) map.clear(); list = []; map.set(key, list); }
  if (list.length >= SHARED_PER_KEY) list.shift();
  list.push(reg);
}

/** Most instructions per call of a region function (runHot). */
const CHUNK = 1 << 20;

/**
 * Call a new region function a few times with a budget of 0 before its first real run. With no
 * budget it leaves at once and changes nothing (it stores back the registers it loaded, with
 * cpu.ia = its head, which cpu.ia already is). Why: V8 gives a function its type-feedback vector
 * only after some calls, so a region whose first call is one long loop would be optimised
 * without feedback for its entry and exit, deoptimised on its next call, and then run in
 * on-stack-replacement code at half speed (docs/jit.md, "V8 notes").
 */
function warm(cpu: CPU, fn: RegionFn): void {
  for (let i = 0; i < 16; i++) fn(cpu, 0);
  cpu.jitCode.warmed.add(fn);
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
  const s = scanBlocks(mem, start, gpr);
  // Nothing compilable: remember the head's word only (the entry is remade when it changes).
  if (s.blocks.length === 0 || !s.loops) {
    jc.stats.failures++;
    const words = s.words.length > 0 ? s.words : Int32Array.of(mem[start >>> 2]), addrs = s.words.length > 0 ? s.addrs : Int32Array.of(start);
    return { start, len: 0, words, fn: null, reals: null, page2: -1, entry2: 0, addrs, first: 0 };
  }
  const fn = compile(jc, generateBlocks(s.blocks));
  jc.stats.compiles++;
  jc.stats.blocks += s.blocks.length;
  return { start, len: s.words.length, words: s.words, fn, reals: null, page2: -1, entry2: 0, addrs: s.addrs, first: s.blocks[0].len };
}

/** DAT on: find the loop at virtual `start` through `tlb` and compile it (fn null when there is none). */
export function compileDatRegion(jc: JitCode, mem: Int32Array, tlb: Int32Array, start: number, gpr: Int32Array): Region {
  const s = scanDat(mem, tlb, start, gpr);
  const fn = s.len === 0 || !s.loops ? null : compile(jc, generate(start, s.words, s.len, datCode(s.reals, s.len)));
  if (fn === null) jc.stats.failures++; else jc.stats.datCompiles++;
  const len = fn === null ? 0 : s.len;
  return { start, len, words: s.words, fn, reals: s.reals, page2: s.page2, entry2: s.entry2, addrs: null, first: len };
}

/** The cache entry for `start` in the CPU's current storage, (re)made if missing or stale. */
function lookup(cpu: CPU, start: number): Region {
  const mem = cpu.mem, jc = cpu.jitCode;
  let cache = jc.caches.get(mem);
  if (cache === undefined) { cache = new Map(); jc.caches.set(mem, cache); }
  let reg = cache.get(start);
  if (reg !== undefined && current(reg, mem)) return reg;
  if (reg !== undefined) jc.stats.stale++;
  reg = reuse(jc.shared, start, (r) => current(r, mem));
  if (reg !== undefined) jc.stats.reused++;
  else { reg = compileRegion(jc, mem, start, cpu.gpr); share(jc.shared, start, reg); }
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
  reg = reuse(jc.sharedDat, key, (r) => currentDat(r, mem, tlb));
  if (reg !== undefined) jc.stats.reused++;
  else { reg = compileDatRegion(jc, mem, tlb, start, cpu.gpr); share(jc.sharedDat, key, reg); }
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
  if (reg === null || reg.fn === null || budget < reg.first) { cpu.hot[h] = 0; return 0; }
  if (!cpu.jitCode.warmed.has(reg.fn)) warm(cpu, reg.fn);
  // Run in calls of at most CHUNK instructions: a region that stopped at its head for want of
  // budget is exactly where one longer call would have gone on, so calling it again with more is
  // the same. Many calls let V8 optimise the function whole; a single endless call would run in
  // on-stack-replacement code (half the speed on loop.s). An int32 budget keeps it specialised.
  let used = 0;
  for (;;) {
    const chunk = budget - used < CHUNK ? budget - used : CHUNK;
    const left = reg.fn(cpu, chunk | 0);
    used += chunk - left;
    if (left >= reg.first || cpu.ia !== start || budget - used < reg.first || chunk !== CHUNK) break;
  }
  const st = cpu.jitCode.stats;
  st.entries++; st.instructions += used;
  if (dat) { st.datEntries++; st.datInstructions += used; }
  // A loop that ran a while comes straight back on its next taken back edge; one that bailed
  // out early (a fault, self-modifying code, a short trip count) waits for the threshold again,
  // which bounds what a bad region can cost to one lookup per `jitThreshold` iterations.
  cpu.hot[h] = used >= 4 * reg.first ? Math.max(0, cpu.jitThreshold - 1) : 0;
  return used;
}
