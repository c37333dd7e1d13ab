/**
 * Storage access for the slow-path handlers (PoO 3.3, 6.2): translate a virtual address through
 * the TLB when DAT is on, check it against the storage size, and report failures the way the
 * interpreter does (xcode: a program code, or XLATE_MISS for the run loop to resolve and retry).
 * Handlers translate every operand before changing any state, so a retried instruction is clean.
 * `words` and `failed` work on any machine (the real CPU, or a virtual machine CP emulates for):
 * each machine's `translate` says what an address means to it.
 */
import { PGM_ADDRESSING, PGM_PROTECTION, PGM_SPECIFICATION, PSW_DAT, PTE_PFRA, TLB_PROTECT, TLB_VALID } from './arch.ts';
import type { CPU } from './cpu.ts';
import { XLATE_MISS } from './interp.ts';
import type { ArchState } from './machine.ts';

/** Handler results: H_NEXT completed (advance), H_JUMP completed (PSW set by the handler), H_MISS TLB miss, H_HALT stop; > 0 a program code. */
export const H_NEXT = 0;
export const H_JUMP = -1;
export const H_MISS = -2;
export const H_HALT = -3;

/** The real CPU's translation: real address of virtual address `a`, or -1 with the reason in cpu.xcode / cpu.xaddr. */
export function xlate(cpu: CPU, a: number, write: boolean): number {
  a &= 0xffffff;
  if ((cpu.flags & PSW_DAT) === 0) {
    if (a < cpu.size) return a;
    cpu.xcode = PGM_ADDRESSING; cpu.xaddr = -1; return -1;
  }
  const e = cpu.tlb[a >>> 12];
  if ((e & TLB_VALID) === 0) { cpu.xcode = XLATE_MISS; cpu.xaddr = a; cpu.xwrite = write; return -1; }
  if (write && (e & TLB_PROTECT) !== 0) { cpu.xcode = PGM_PROTECTION; cpu.xaddr = a; cpu.xwrite = true; return -1; }
  return (e & PTE_PFRA) | (a & 0xfff);
}

/** The handler result for a failed translate(). */
export function failed(m: ArchState): number { return m.xcode === XLATE_MISS ? H_MISS : m.xcode; }

/** Real addresses of `count` consecutive words from `a` (word aligned), into m.scratch; 0 or a handler result. */
export function words(m: ArchState, a: number, count: number, write: boolean): number {
  if ((a & 3) !== 0) { m.xaddr = -1; return PGM_SPECIFICATION; }
  const out = m.scratch;
  for (let i = 0; i < count; i++) {
    const ra = m.translate(a + 4 * i, write);
    if (ra < 0) return failed(m);
    out[i] = ra;
  }
  return 0;
}
