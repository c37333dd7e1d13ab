/**
 * DIAGNOSE under CP: the hypercall interface (PoO 11; VM/370's DMKHVC). A guest in virtual
 * supervisor state asks CP for a service with `DIAG R1,R3,code`. The bare machine implements the
 * same codes where they make sense (a console write, a test result), so self-checking guest
 * programs run unchanged bare and under CP; only IDENTIFY tells them apart (the nesting level).
 * Operand addresses are guest-real (no DAT), as in VM/370.
 */
import {
  DIAG_CONSOLE_WRITE, DIAG_CP_COMMAND, DIAG_IDENTIFY, DIAG_STORAGE_SIZE, DIAG_TEST_RESULT, IDENTIFY_MAGIC,
  PGM_ADDRESSING, PGM_SPECIFICATION,
} from '../cpu/arch.ts';
import { eaRS } from '../cpu/general.ts';
import { operandInStorage, readBytes } from '../cpu/storage.ts';
import { H_HALT, H_JUMP, H_NEXT } from '../cpu/handlers.ts';
import type { TrapEvent } from './events.ts';
import type { VirtualMachine } from './vm.ts';
import type { ControlProgram } from './cp.ts';

/** What a trace event records about an emulated instruction (null when nobody listens). */
export type Details = TrapEvent['details'];

/** Longest console line or command CP accepts through DIAGNOSE. */
const MAX_TEXT = 4096;

/** Read guest-real text for a DIAGNOSE operand, or null when it is not in the guest's storage. */
function guestText(vm: VirtualMachine, addr: number, len: number): string | null {
  if (len < 0 || len > MAX_TEXT || !operandInStorage(addr, len, vm.size)) return null;
  if (len === 0) return '';
  return String.fromCharCode(...readBytes(vm.mem, addr, len));
}

/** DIAGNOSE R1,R3,code from `vm` in virtual supervisor state: H_NEXT, H_JUMP, H_HALT or a program code. */
export function emulateDIAG(cp: ControlProgram, vm: VirtualMachine, w: number, details: Details | null): number {
  const r1 = (w >>> 20) & 15, r3 = (w >>> 16) & 15, code = eaRS(vm, w) & 0xfff;
  const g = vm.gpr;
  if (details) details.function = code;
  switch (code) {
    case DIAG_IDENTIFY: g[r1] = IDENTIFY_MAGIC; g[r3] = vm.level; vm.cc = 0; return H_NEXT;
    case DIAG_STORAGE_SIZE: g[r1] = vm.size; vm.cc = 0; return H_NEXT;
    case DIAG_CONSOLE_WRITE: {
      const text = guestText(vm, g[r1] & 0xffffff, g[r3]);
      if (text === null) return PGM_ADDRESSING;
      vm.consoleWrite?.(text);
      if (details) details.text = text;
      vm.cc = 0;
      return H_NEXT;
    }
    case DIAG_CP_COMMAND: {
      const text = guestText(vm, g[r1] & 0xffffff, g[r3]);
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
