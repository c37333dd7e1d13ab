/**
 * Storage access for the slow-path handlers (PoO 3.3, 6.2): translate a virtual address through
 * the TLB when DAT is on, check it against the storage size, and report failures the way the
 * interpreter does (cpu.xcode: a program code, or XLATE_MISS for the run loop to resolve and retry).
 * Handlers translate every operand before changing any state, so a retried instruction is clean.
 */
import { PGM_ADDRESSING, PGM_PROTECTION, PGM_SPECIFICATION, PTE_PFRA, TLB_PROTECT, TLB_VALID } from './arch.ts';
import type { CPU } from './cpu.ts';
import { XLATE_MISS } from './interp.ts';

/** Handler results: H_NEXT completed (advance), H_JUMP completed (PSW set by the handler), H_MISS TLB miss, H_HALT stop; > 0 a program code. */
export const H_NEXT = 0;
export const H_JUMP = -1;
export const H_MISS = -2;
export const H_HALT = -3;

/** Real address of virtual address `a`, or -1 with the reason in cpu.xcode / cpu.xaddr. */
export function xlate(cpu: CPU, a: number, write: boolean): number {
  a &= 0xffffff;
  if (!cpu.dat) {
    if (a < cpu.size) return a;
    cpu.xcode = PGM_ADDRESSING; cpu.xaddr = -1; return -1;
  }
  const e = cpu.tlb[a >>> 12];
  if ((e & TLB_VALID) === 0) { cpu.xcode = XLATE_MISS; cpu.xaddr = a; cpu.xwrite = write; return -1; }
  if (write && (e & TLB_PROTECT) !== 0) { cpu.xcode = PGM_PROTECTION; cpu.xaddr = a; cpu.xwrite = true; return -1; }
  return (e & PTE_PFRA) | (a & 0xfff);
}

/** The handler result for a failed xlate(). */
export function failed(cpu: CPU): number { return cpu.xcode === XLATE_MISS ? H_MISS : cpu.xcode; }

/** Real addresses of `count` consecutive words from `a` (word aligned), into `out`; 0 or a handler result. */
export function words(cpu: CPU, a: number, count: number, write: boolean, out: Int32Array): number {
  if ((a & 3) !== 0) { cpu.xaddr = -1; return PGM_SPECIFICATION; }
  for (let i = 0; i < count; i++) {
    const ra = xlate(cpu, a + 4 * i, write);
    if (ra < 0) return failed(cpu);
    out[i] = ra;
  }
  return 0;
}

/** Scratch for words(): at most 16 words (LM, STM, LCTL, STCTL), never reallocated. */
export const SCRATCH = new Int32Array(16);
