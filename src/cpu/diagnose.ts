/**
 * DIAGNOSE (PoO 11): the model-dependent functions of this machine. Operand addresses are real
 * (for a virtual machine: guest-real, no DAT, as in VM/370).
 *
 * Three functions are pure functions of the machine's own state: IDENTIFY, STORAGE SIZE and
 * CONSOLE WRITE (to the machine's own console sink). They are written once, here
 * (`diagnoseOwn`), for everyone who executes DIAGNOSE: the bare machine (`opDIAG`), CP's
 * hypercall interface (monitor/diagnose.ts, against a virtual machine's state) and the
 * virtual-machine assist (assist.ts), which completes them for a guest without leaving it
 * (PoO 2.9). The others mean something else on each machine: X'08' (CP command) and X'F0'
 * (test result) are CP's decisions under CP and are answered below for the bare machine.
 */
import {
  DIAG_CONSOLE_WRITE, DIAG_CP_COMMAND, DIAG_IDENTIFY, DIAG_STORAGE_SIZE, DIAG_TEST_RESULT, IDENTIFY_MAGIC,
  PGM_ADDRESSING, PGM_SPECIFICATION,
} from './arch.ts';
import { H_HALT, H_NEXT } from './access.ts';
import type { CPU } from './cpu.ts';
import { eaRS } from './general.ts';
import type { ArchState } from './machine.ts';
import { operandInStorage, readBytes } from './storage.ts';

/** Longest console line or CP command a DIAGNOSE operand may name (PoO 11.3, 11.5). */
export const DIAG_MAX_TEXT = 4096;

/** `diagnoseOwn`'s answer for a function code that is not one of its three: the caller's to execute. */
export const DIAG_NOT_OWN = -4;

/** The function code of DIAGNOSE `w`: bits 20-31 of its second-operand address (PoO 11.1). */
export function diagCode(m: ArchState, w: number): number { return eaRS(m, w) & 0xfff; }

/** The text of a DIAGNOSE operand (`len` bytes at real address `a`), or null when it is not all in storage. */
export function diagText(m: ArchState, a: number, len: number): string | null {
  if (len < 0 || len > DIAG_MAX_TEXT || !operandInStorage(a, len, m.size)) return null;
  if (len === 0) return '';
  return String.fromCharCode(...readBytes(m.mem, a, len));
}

/**
 * DIAGNOSE R1,R3,code for the functions that need nothing but the machine's own state
 * (PoO 11.2, 11.4, 11.5): H_NEXT (done, CC 0), PGM_ADDRESSING (a CONSOLE WRITE operand outside
 * storage: nothing has changed, m.xaddr = -1), or DIAG_NOT_OWN (another function code: nothing
 * has changed).
 */
export function diagnoseOwn(m: ArchState, w: number): number {
  const r1 = (w >>> 20) & 15, r3 = (w >>> 16) & 15, g = m.gpr;
  switch (diagCode(m, w)) {
    case DIAG_IDENTIFY: g[r1] = IDENTIFY_MAGIC; g[r3] = m.level; m.cc = 0; return H_NEXT;
    case DIAG_STORAGE_SIZE: g[r1] = m.size; m.cc = 0; return H_NEXT;
    case DIAG_CONSOLE_WRITE: {
      const text = diagText(m, g[r1] & 0xffffff, g[r3]);
      if (text === null) { m.xaddr = -1; return PGM_ADDRESSING; }
      m.consoleWrite?.(text);
      m.cc = 0;
      return H_NEXT;
    }
    default: return DIAG_NOT_OWN;
  }
}

/** DIAGNOSE R1,R3,code on the real machine: the machine's own functions, then the bare machine's answers. */
export function opDIAG(cpu: CPU, w: number): number {
  const own = diagnoseOwn(cpu, w);
  if (own !== DIAG_NOT_OWN) return own;
  switch (diagCode(cpu, w)) {
    case DIAG_CP_COMMAND: cpu.cc = 3; return H_NEXT; // no CP on the bare machine
    case DIAG_TEST_RESULT: cpu.haltCode = cpu.gpr[(w >>> 20) & 15]; cpu.cc = 0; return H_HALT;
    default: cpu.xaddr = -1; return PGM_SPECIFICATION;
  }
}
