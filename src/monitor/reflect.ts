/**
 * `reflect`: the one way an interruption enters a guest (RVirt's `forward_exception`). CP performs
 * the PSW swap of PoO 5.1 on the guest's storage with the code the real CPU uses on real storage
 * (ArchState.storeOldPsw / loadNewPsw): old virtual PSW and code stored in the guest's low
 * storage, the guest's new PSW loaded as the virtual PSW. Every class (SVC, program, external, I/O) comes through here.
 */
import { EV_INTERRUPT } from '../cpu/events.ts';
import { checkstopMessage } from '../cpu/lowcore.ts';
import type { VirtualMachine } from './vm.ts';

/** Why a reflection stops the VM. */
export interface ReflectFailure { reason: 'check-stop' | 'interruption-loop'; detail: string }

/**
 * Reflect an interruption of class `cls` with `code` into `vm`; `ia` is the old PSW's instruction
 * address, `failAddr` >= 0 the translation-exception address. Returns null on success, or why the VM
 * must stop: an invalid new PSW check-stops it, as it would the real machine, and so does an
 * interruption loop (the same rule as the real CPU's, so bare and CP stop at the same point).
 */
export function reflect(vm: VirtualMachine, cls: number, code: number, ia: number, failAddr: number): ReflectFailure | null {
  const newPsw = vm.newPsw;
  const ok = vm.storeOldPsw(cls, code, ia, failAddr);
  vm.counters.reflected++;
  // The causing instruction's address is CP's trap event's to tell (-1 here).
  if ((vm.events.mask & EV_INTERRUPT) !== 0) vm.events.interrupt(cls, code, ia, -1, 0, failAddr, vm.now);
  if (!ok) return { reason: 'check-stop', detail: checkstopMessage('new-psw', cls, newPsw.flags, newPsw.ia) };
  if (!vm.loadNewPsw(cls)) {
    return { reason: 'interruption-loop', detail: checkstopMessage('interruption-loop', cls, newPsw.flags, newPsw.ia) };
  }
  return null;
}
