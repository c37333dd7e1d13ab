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
import { E_HALT, E_JUMP, E_NEXT, type EmuContext } from './emulate.ts';

/** Longest console line or command CP accepts through DIAGNOSE. */
const MAX_TEXT = 4096;

/** Read guest-real text for a DIAGNOSE operand, or null when it is not in the guest's storage. */
function guestText(vm: EmuContext['vm'], addr: number, len: number): string | null {
  if (len < 0 || len > MAX_TEXT || !operandInStorage(addr, len, vm.size)) return null;
  if (len === 0) return '';
  return String.fromCharCode(...readBytes(vm.mem, addr, len));
}

export function emulateDIAG(c: EmuContext): number {
  const { vm, w, cp } = c;
  const r1 = (w >>> 20) & 15, r3 = (w >>> 16) & 15, code = eaRS(vm, w) & 0xfff;
  const g = vm.gpr;
  if (c.details) c.details.function = code;
  switch (code) {
    case DIAG_IDENTIFY: g[r1] = IDENTIFY_MAGIC; g[r3] = vm.level; vm.cc = 0; return E_NEXT;
    case DIAG_STORAGE_SIZE: g[r1] = vm.size; vm.cc = 0; return E_NEXT;
    case DIAG_CONSOLE_WRITE: {
      const text = guestText(vm, g[r1] & 0xffffff, g[r3]);
      if (text === null) return PGM_ADDRESSING;
      vm.consoleWrite?.(text);
      if (c.details) c.details.text = text;
      vm.cc = 0;
      return E_NEXT;
    }
    case DIAG_CP_COMMAND: {
      const text = guestText(vm, g[r1] & 0xffffff, g[r3]);
      if (text === null) return PGM_ADDRESSING;
      const loads = vm.pswLoads;
      const rc = cp.command(vm, text);
      if (c.details) { c.details.command = text; c.details.rc = rc; }
      // A command that loaded a whole new PSW (STORE PSW, IPL, SYSTEM RESET) takes full effect
      // (PoO 11.3): the VM goes on from that PSW, with its address, state and CC, and nothing of
      // the DIAGNOSE's own completion (R3, CC, the next address) is laid over it.
      if (vm.pswLoads !== loads) return E_JUMP;
      g[r3] = rc;
      vm.cc = rc === 0 ? 0 : 1;
      return E_NEXT;
    }
    case DIAG_TEST_RESULT:
      if (c.details) c.details.result = g[r1];
      cp.stopVm(vm, 'halt', g[r1], g[r1] === 0 ? 'test passed (DIAGNOSE X\'F0\')' : `test failed with code ${g[r1]} (DIAGNOSE X'F0')`);
      vm.cc = 0;
      return E_HALT;
    default:
      return PGM_SPECIFICATION;
  }
}
