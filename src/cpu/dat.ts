/**
 * Dynamic address translation, the table walk (PoO 6.1): CR1 names a segment table of up to 16
 * entries (1 MiB segments); each valid entry names a page table of 256 entries (4 KiB pages).
 * The walk runs on a TLB miss when the CPU resolves translations itself; a host that intercepts
 * translation (CP) fills the TLB from its shadow tables instead and never calls this.
 */
import {
  CR1_STL, CR1_STO, PGM_ADDRESSING, PGM_PAGE, PGM_SEGMENT, PTE_INVALID, PTE_PFRA, PTE_PROTECT, STE_INVALID, STE_PTO,
  TLB_PROTECT, TLB_VALID,
} from './arch.ts';

/**
 * Translate virtual address `va` through the tables at `cr1` in storage `mem`: a TLB entry
 * (frame | TLB_VALID | TLB_PROTECT) or the negated program-interruption code.
 */
export function walkTables(mem: Int32Array, cr1: number, va: number): number {
  const size = mem.length << 2;
  const sx = (va >>> 20) & 15;
  if (sx > (cr1 & CR1_STL)) return -PGM_SEGMENT;
  const stea = (cr1 & CR1_STO) + sx * 4;
  if (stea >= size) return -PGM_ADDRESSING;
  const ste = mem[stea >>> 2];
  if ((ste & STE_INVALID) !== 0) return -PGM_SEGMENT;
  const ptea = (ste & STE_PTO) + ((va >>> 12) & 255) * 4;
  if (ptea >= size) return -PGM_ADDRESSING;
  const pte = mem[ptea >>> 2];
  if ((pte & PTE_INVALID) !== 0) return -PGM_PAGE;
  const frame = pte & PTE_PFRA;
  if (frame >= size) return -PGM_ADDRESSING;
  return frame | TLB_VALID | ((pte & PTE_PROTECT) !== 0 ? TLB_PROTECT : 0);
}

/** The CPU's walk: its own storage and CR1. */
export function walk(cpu: { mem: Int32Array; cr: Int32Array }, va: number): number {
  return walkTables(cpu.mem, cpu.cr[1], va);
}
