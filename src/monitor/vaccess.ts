/**
 * Guest storage as CP sees it when it emulates an instruction: operand addresses are guest
 * addresses, translated through the guest's own tables when the guest has DAT on. CP resolves a
 * miss exactly as the real machine's TLB would (walk, fill the shadow entry), so an emulated
 * instruction leaves the same translation state behind as it would on the bare machine.
 */
import { PGM_ADDRESSING, PGM_PROTECTION, PGM_SPECIFICATION, PSW_DAT, PTE_PFRA, TLB_PROTECT, TLB_VALID } from '../cpu/arch.ts';
import { walkTables } from '../cpu/dat.ts';
import type { VirtualMachine } from './vm.ts';

/** The failing address of the last refused access (for the translation-exception address), or -1. */
export const lastFail = { address: -1 };

/** Guest-real address of guest address `a`, or minus the program-interruption code. */
export function guestReal(vm: VirtualMachine, a: number, write: boolean): number {
  a &= 0xffffff;
  lastFail.address = -1;
  if ((vm.flags & PSW_DAT) === 0) return a < vm.size ? a : -PGM_ADDRESSING;
  let e = vm.shadow[a >>> 12];
  if ((e & TLB_VALID) === 0) {
    e = walkTables(vm.mem, vm.cr[1], a);
    if (e < 0) { lastFail.address = a; return e; } // the machine stores the address for any walk failure
    vm.shadow[a >>> 12] = e;
    vm.counters.shadowFills++;
  }
  if (write && (e & TLB_PROTECT) !== 0) { lastFail.address = a; return -PGM_PROTECTION; }
  return (e & PTE_PFRA) | (a & 0xfff);
}

/** Guest-real addresses of `count` words from `a` into `out` (all translated before any change); 0 or minus a code. */
export function guestWords(vm: VirtualMachine, a: number, count: number, write: boolean, out: Int32Array): number {
  if ((a & 3) !== 0) return -PGM_SPECIFICATION;
  for (let i = 0; i < count; i++) {
    const r = guestReal(vm, a + 4 * i, write);
    if (r < 0) return r;
    out[i] = r;
  }
  return 0;
}

/** Scratch for guestWords (at most 16 words), never reallocated. */
export const VSCRATCH = new Int32Array(16);
