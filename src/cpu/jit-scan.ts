/**
 * The loop JIT's scanners: which instructions make up the region at a loop head (jit.ts compiles
 * what they find with jit-gen.ts). DAT off, `scanBlocks()` takes several blocks; DAT on,
 * `scanDat()` one, read through the TLB; `scan()` is the one-block scanner of DAT off (tests).
 * See docs/jit.md.
 */
import { PTE_PFRA, TLB_VALID } from './arch.ts';
import { HANDLERS } from './handlers.ts';
import { ISA, OP } from './isa.ts';

/** One straight run of a region: `len` instructions `words` from `start`, entered only at `start`. */
export interface Block { start: number; len: number; words: Int32Array }

/** Longest region, in instructions. */
export const MAX_REGION = 64;

/** What `scan()` found at a loop head. */
export interface Scan {
  /** Instructions in the region (0: nothing compilable). */
  len: number;
  /** Words read while scanning (the region plus the word that stopped the scan): the code-cache key. */
  words: Int32Array;
  /** True when some branch in the region can go back to the head (the region is a loop). */
  loops: boolean;
}

/** What `scanDat()` found: also where the words were read. */
export interface DatScan extends Scan {
  /** Real address of each of `words`. */
  reals: Int32Array;
  /** The virtual page after the head's, when words were read through it, else -1. */
  page2: number;
  /** That page's TLB entry, frame | TLB_VALID (the protection bit does not matter to a fetch). */
  entry2: number;
}

/** What a DAT-on region's code needs besides its words: the real ranges of its instructions. */
export interface DatCode {
  /** [real start, byte length] of the region's instructions, one or two (a page boundary). */
  ranges: [number, number][];
}

/**
 * Opcodes the generator handles, derived from the ISA table: exactly the hot-loop instructions of
 * execute() (unprivileged, with no slow-path handler) except SVC, which always leaves the loop.
 */
export const SUPPORTED = new Uint8Array(256);
for (const d of ISA) if (!d.privileged && !HANDLERS[d.opcode] && d.opcode !== OP.SVC) SUPPORTED[d.opcode] = 1;

export const A24 = 0xffffff;
export const imm16 = (w: number): number => (w << 16) >> 16;
/** Target of a relative branch at `a` (RIB: signed words, PoO 4.6). */
export const relTarget = (a: number, w: number): number => (a + (imm16(w) << 2)) & A24;

/** True when the instruction always leaves the straight line (the region ends with it). */
export function unconditional(w: number): boolean {
  const op = w >>> 24, r1 = (w >>> 20) & 15, r2 = (w >>> 16) & 15;
  switch (op) {
    case OP.BALR: return r2 !== 0; // BALR
    case OP.BCR: return r1 === 15 && r2 !== 0; // BCR 15
    case OP.BAL: case OP.BRAS: return true; // BAL, BRAS
    case OP.BC: case OP.BRC: return r1 === 15; // BC 15, BRC 15
    default: return false;
  }
}

/**
 * The target the branch `w` at `a` would take with registers `gpr`, or -1 if it is no branch.
 * For register-based targets this is a guess (a loop's base register rarely changes); it only
 * decides whether the region looks like a loop, never what the compiled code does.
 */
function guessTarget(w: number, a: number, gpr: Int32Array): number {
  const op = w >>> 24, r2 = (w >>> 16) & 15;
  switch (op) {
    case OP.BALR: case OP.BCTR: case OP.BCR: return r2 !== 0 ? gpr[r2] & A24 : -1;
    case OP.BAL: case OP.BCT: case OP.BC: return ((r2 !== 0 ? gpr[r2] : 0) + imm16(w)) & A24;
    case OP.BRC: case OP.BRAS: case OP.BRCT: return relTarget(a, w);
    default: return -1;
  }
}

/** Find the region at `start` in storage `mem` (DAT off: addresses are real). */
export function scan(mem: Int32Array, start: number, gpr: Int32Array): Scan {
  const size = mem.length << 2;
  const words: number[] = [];
  let len = 0, loops = false;
  for (let a = start; len < MAX_REGION && a < size; a += 4) {
    const w = mem[a >>> 2];
    words.push(w);
    if (!SUPPORTED[w >>> 24]) break;
    len++;
    if (guessTarget(w, a, gpr) === start) loops = true;
    if (unconditional(w)) break;
  }
  return { len, words: Int32Array.from(words), loops };
}

/** True when `w` is a branch whose target is fixed by the instruction (relative, or RX with no base). */
function selfLoop(w: number): boolean {
  const op = w >>> 24;
  return op === OP.BRC || op === OP.BRCT || ((op === OP.BCT || op === OP.BC) && ((w >>> 16) & 15) === 0);
}

/** Most instructions in a region of several blocks, and most blocks. */
export const MAX_REGION_TOTAL = 256;
export const MAX_BLOCKS = 32;

/** What `scanBlocks()` found at a loop head. */
export interface BlockScan {
  /** The blocks, the head's first (none: nothing compilable at the head). */
  blocks: Block[];
  /** Every instruction word of the blocks and its address: the code-cache key, verified on entry. */
  words: Int32Array;
  addrs: Int32Array;
  /** True when some branch in the region can go back to the head (the region is a loop). */
  loops: boolean;
}

/**
 * Find the region at `start` (DAT off): the block at the head and, breadth first, the blocks at
 * every target its branches name (or, for register branches, would take with `gpr` now: a guess
 * that only decides what gets compiled, never what the code does) and at every return point
 * after a branch and link, so that loops with `if`s in them, loop nests and calls run inside one
 * region. A block is a straight run of supported instructions, ended by an unconditional branch or
 * before an unsupported instruction; blocks may overlap.
 */
export function scanBlocks(mem: Int32Array, start: number, gpr: Int32Array): BlockScan {
  const size = mem.length << 2;
  const blocks: Block[] = [], seen = new Set<number>(), work = [start];
  const words: number[] = [], addrs: number[] = [];
  let total = 0, loops = false;
  const lead = (t: number): void => {
    if (t === start) loops = true;
    if (t >= 0 && (t & 3) === 0 && t < size && !seen.has(t)) work.push(t);
  };
  for (let k = 0; k < work.length && blocks.length < MAX_BLOCKS && total < MAX_REGION_TOTAL; k++) {
    const L = work[k];
    if (seen.has(L)) continue;
    seen.add(L);
    const ws: number[] = [];
    for (let a = L; ws.length < MAX_REGION && total + ws.length < MAX_REGION_TOTAL && a < size; a += 4) {
      const w = mem[a >>> 2], op = w >>> 24;
      if (!SUPPORTED[op]) break;
      ws.push(w); words.push(w); addrs.push(a);
      const t = guessTarget(w, a, gpr);
      lead(t);
      if (op === OP.BAL || op === OP.BRAS || (op === OP.BALR && ((w >>> 16) & 15) !== 0)) lead((a + 4) & A24); // a call returns here
      if (unconditional(w)) break;
      // A conditional branch back to this block's start closes a loop: end the block there (what
      // follows is a block of its own), so that a counted loop gets its fast copy (generateBlocks).
      if (t === L && selfLoop(w)) { lead((a + 4) & A24); break; }
    }
    if (ws.length === 0) { if (L === start) break; continue; }
    blocks.push({ start: L, len: ws.length, words: Int32Array.from(ws) });
    total += ws.length;
  }
  return { blocks, words: Int32Array.from(words), addrs: Int32Array.from(addrs), loops };
}

/**
 * Find the region at virtual `start` with DAT on: the same rules as `scan()`, the words read from
 * the real addresses `tlb` maps them to. It stops before a page whose TLB entry is not valid,
 * before a real address beyond storage (the interpreter then does the fetch, and the miss), and
 * at the end of the 24-bit space (no wrap inside a region). A region of at most MAX_REGION words
 * spans at most two pages; jit.ts verifies both mappings on every entry.
 */
export function scanDat(mem: Int32Array, tlb: Int32Array, start: number, gpr: Int32Array): DatScan {
  const size = mem.length << 2;
  const words: number[] = [], reals: number[] = [];
  let len = 0, loops = false, page2 = -1, entry2 = 0;
  for (let a = start; len < MAX_REGION && a <= A24; a += 4) {
    const e = tlb[a >>> 12];
    if ((e & TLB_VALID) === 0) break;
    const ra = (e & PTE_PFRA) | (a & 0xfff);
    if (ra >= size) break;
    if ((a >>> 12) !== (start >>> 12)) { page2 = a >>> 12; entry2 = e & (PTE_PFRA | TLB_VALID); }
    const w = mem[ra >>> 2];
    words.push(w); reals.push(ra);
    if (!SUPPORTED[w >>> 24]) break;
    len++;
    const t = guessTarget(w, a, gpr);
    if (t === start) loops = true;
    if (unconditional(w)) break;
    if (t === start && selfLoop(w)) break; // the loop closes here (scanBlocks): a counted loop gets its fast copy
  }
  return { len, words: Int32Array.from(words), loops, reals: Int32Array.from(reals), page2, entry2 };
}

/** The real ranges of the first `len` words of a DAT scan (contiguous runs of `reals`). */
export function datCode(reals: Int32Array, len: number): DatCode {
  const ranges: [number, number][] = [];
  for (let i = 0; i < len; i++) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last[0] + last[1] === reals[i]) last[1] += 4; else ranges.push([reals[i], 4]);
  }
  return { ranges };
}

