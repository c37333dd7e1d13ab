/**
 * DIAGNOSE under CP: the hypercall interface (PoO 11; VM/370's DMKHVC). A guest in virtual
 * supervisor state asks CP for a service with `DIAG R1,R3,code`. The functions that need nothing
 * but the VM's own state (IDENTIFY, STORAGE SIZE, CONSOLE WRITE) are the machine's, written once
 * in cpu/diagnose.ts and run here against the VM's state: the bare machine runs the same code, so
 * self-checking guest programs run unchanged bare and under CP (only IDENTIFY tells them apart:
 * the nesting level), and the virtual-machine assist completes them without leaving the guest
 * (PoO 2.9). CP's own are the ones that need its decision: a CP command, a test result that
 * stops the VM. Operand addresses are guest-real (no DAT), as in VM/370.
 */
import { DIAG_CONSOLE_WRITE, DIAG_CP_COMMAND, DIAG_TEST_RESULT, PGM_ADDRESSING, PGM_SPECIFICATION } from '../cpu/arch.ts';
import { diagCode, diagnoseOwn, diagText, DIAG_NOT_OWN } from '../cpu/diagnose.ts';
import { H_HALT, H_JUMP, H_NEXT } from '../cpu/handlers.ts';
import type { TrapEvent } from './events.ts';
import type { VirtualMachine } from './vm.ts';
import type { ControlProgram } from './cp.ts';

/** What a trace event records about an emulated instruction (null when nobody listens). */
export type Details = TrapEvent['details'];

/** DIAGNOSE R1,R3,code from `vm` in virtual supervisor state: H_NEXT, H_JUMP, H_HALT or a program code. */
export function emulateDIAG(cp: ControlProgram, vm: VirtualMachine, w: number, details: Details | null): number {
  const r1 = (w >>> 20) & 15, r3 = (w >>> 16) & 15, code = diagCode(vm, w);
  const g = vm.gpr;
  if (details) details.function = code;
  const own = diagnoseOwn(vm, w);
  if (own !== DIAG_NOT_OWN) {
    // The trace shows the line written (R1 and R3 are unchanged by CONSOLE WRITE).
    if (details && own === H_NEXT && code === DIAG_CONSOLE_WRITE) details.text = diagText(vm, g[r1] & 0xffffff, g[r3])!;
    return own;
  }
  switch (code) {
    case DIAG_CP_COMMAND: {
      const text = diagText(vm, g[r1] & 0xffffff, g[r3]);
      if (text === null) return PGM_ADDRESSING;
      const loads = vm.pswLoads;
      const rc = cp.command(vm, text);
      if (details) { details.command = text; details.rc = rc; }
      // A command that loaded a whole new PSW (STORE PSW, IPL, SYSTEM RESET) takes full effect
      // (PoO 11.3): the VM goes on from that PSW, with its address, state and CC, and nothing of
      // the DIAGNOSE's own completion (R3, CC, the next address) is laid over it.
      if (vm.pswLoads !== loads) return H_JUMP;
      g[r3] = rc;
      vm.cc = rc === 0 ? 0 : 1;
      return H_NEXT;
    }
    case DIAG_TEST_RESULT:
      if (details) details.result = g[r1];
      cp.stopVm(vm, 'halt', g[r1], g[r1] === 0 ? 'test passed (DIAGNOSE X\'F0\')' : `test failed with code ${g[r1]} (DIAGNOSE X'F0')`);
      vm.cc = 0;
      return H_HALT;
    default:
      return PGM_SPECIFICATION;
  }
}
