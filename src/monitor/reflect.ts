/**
 * `reflect`: the one way an interruption enters a guest (RVirt's `forward_exception`). CP performs
 * the PSW swap of PoO 5.1 on the guest's storage with the same function the real CPU uses on real
 * storage: old virtual PSW and code stored in the guest's low storage, the guest's new PSW loaded
 * as the virtual PSW. Every class (SVC, program, external, I/O) comes through here.
 */
import { INT_SVC, INTERRUPTION_LOOP_LIMIT } from '../cpu/arch.ts';
import { checkstopMessage, interrupt, type Psw } from '../cpu/lowcore.ts';
import type { VirtualMachine } from './vm.ts';

const newPsw: Psw = { flags: 0, ia: 0 };

/** Why a reflection stops the VM. */
export interface ReflectFailure { reason: 'check-stop' | 'interruption-loop'; detail: string }

/**
 * Reflect an interruption of class `cls` with `code` into `vm`; `ia` is the old PSW's instruction
 * address, `failAddr` >= 0 the translation-exception address. Returns null on success, or why the VM
 * must stop: an invalid new PSW check-stops it, as it would the real machine, and so does an
 * interruption loop (the same rule as the real CPU's, so bare and CP stop at the same point).
 */
export function reflect(vm: VirtualMachine, cls: number, code: number, ia: number, failAddr: number): ReflectFailure | null {
  const ok = interrupt(vm.mem, cls, code, vm.flags, vm.cc, ia, failAddr, newPsw);
  vm.counters.reflected++;
  if (vm.onInterrupt) vm.onInterrupt(cls, code, ia, vm.now);
  if (!ok) return { reason: 'check-stop', detail: checkstopMessage('new-psw', cls, newPsw.flags, newPsw.ia) };
  vm.setPsw(newPsw.flags, newPsw.ia);
  if (cls === INT_SVC) vm.intStreak = 0;
  else if (++vm.intStreak > INTERRUPTION_LOOP_LIMIT) {
    return { reason: 'interruption-loop', detail: checkstopMessage('interruption-loop', cls, newPsw.flags, newPsw.ia) };
  }
  return null;
}
