/**
 * DIAGNOSE on the bare machine (PoO 11): the model-dependent functions of this machine. Operand
 * addresses are real. Under CP the same codes are CP's hypercalls, with more of them
 * (monitor/diagnose.ts): DIAGNOSE is the one privileged instruction whose meaning is the
 * machine's own, so it is the one the real CPU and CP do not share.
 */
import {
  DIAG_CONSOLE_WRITE, DIAG_CP_COMMAND, DIAG_IDENTIFY, DIAG_STORAGE_SIZE, DIAG_TEST_RESULT, IDENTIFY_MAGIC,
  PGM_ADDRESSING, PGM_SPECIFICATION,
} from './arch.ts';
import { H_HALT, H_NEXT } from './access.ts';
import type { CPU } from './cpu.ts';
import { eaRS } from './general.ts';
import { operandInStorage, readBytes } from './storage.ts';

/** DIAGNOSE R1,R3,code on the real machine. */
export function opDIAG(cpu: CPU, w: number): number {
  const r1 = (w >>> 20) & 15, r3 = (w >>> 16) & 15, code = eaRS(cpu, w) & 0xfff;
  const g = cpu.gpr;
  switch (code) {
    case DIAG_IDENTIFY: g[r1] = IDENTIFY_MAGIC; g[r3] = cpu.level; cpu.cc = 0; return H_NEXT;
    case DIAG_STORAGE_SIZE: g[r1] = cpu.size; cpu.cc = 0; return H_NEXT;
    case DIAG_CONSOLE_WRITE: {
      const a = g[r1] & 0xffffff, len = g[r3];
      if (len < 0 || len > 4096 || !operandInStorage(a, len, cpu.size)) { cpu.xaddr = -1; return PGM_ADDRESSING; }
      cpu.consoleWrite?.(String.fromCharCode(...readBytes(cpu.mem, a, len)));
      cpu.cc = 0;
      return H_NEXT;
    }
    case DIAG_CP_COMMAND: cpu.cc = 3; return H_NEXT; // no CP on the bare machine
    case DIAG_TEST_RESULT: cpu.haltCode = g[r1]; cpu.cc = 0; return H_HALT;
    default: cpu.xaddr = -1; return PGM_SPECIFICATION;
  }
}
