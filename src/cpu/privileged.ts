/**
 * The privileged instructions of the real machine (PoO 4.10, 6, 7, 8, 11). CPU.run() has already
 * checked the privilege (a privileged-operation exception in problem state) before any of these
 * runs, as spike's handlers open with `require_privilege`. Under CP none of these ever executes
 * for a guest: the guest runs in real problem state, so each one traps and CP emulates it.
 */
import {
  DIAG_CONSOLE_WRITE, DIAG_CP_COMMAND, DIAG_IDENTIFY, DIAG_STORAGE_SIZE, DIAG_TEST_RESULT, IDENTIFY_MAGIC,
  PGM_ADDRESSING, PGM_SEGMENT, PGM_SPECIFICATION, PSW_RESERVED, PSW_SYSTEM_MASK,
} from './arch.ts';
import { clockValue, setClock } from './clocks.ts';
import type { CPU } from './cpu.ts';
import { failed, H_HALT, H_JUMP, H_NEXT, SCRATCH, words, xlate } from './access.ts';
import { eaRS, eaRX, storeDoubleword } from './general.ts';
import { walk } from './dat.ts';
import { operandInStorage, readBytes } from './storage.ts';

/** Read the doubleword operand of the S-format instruction `w` (a PSW, a timer value). */
function doubleword(cpu: CPU, w: number, align8: boolean): number {
  const a = eaRS(cpu, w);
  if (align8 && (a & 7) !== 0) { cpu.xaddr = -1; return PGM_SPECIFICATION; }
  return words(cpu, a, 2, false, SCRATCH);
}

/** LOAD PSW (PoO 4.10.3): an invalid PSW is a specification exception and nothing changes. */
export function opLPSW(cpu: CPU, w: number): number {
  const n = doubleword(cpu, w, true); if (n !== 0) return n;
  const flags = cpu.mem[SCRATCH[0] >>> 2], ia = cpu.mem[SCRATCH[1] >>> 2];
  if (!cpu.loadPswChecked(flags, ia)) { cpu.xaddr = -1; return PGM_SPECIFICATION; }
  return H_JUMP;
}

/** Set the system mask (PSW bits 0-7); reserved bits set are a specification exception. */
function setSystemMask(cpu: CPU, mask: number): number {
  const f = (cpu.flags & ~PSW_SYSTEM_MASK) | ((mask & 0xff) << 24);
  if ((f & PSW_RESERVED & PSW_SYSTEM_MASK) !== 0) { cpu.xaddr = -1; return PGM_SPECIFICATION; }
  cpu.flags = f;
  return H_NEXT;
}

/** SET SYSTEM MASK (PoO 4.10.6): the byte at the operand address becomes PSW bits 0-7. */
export function opSSM(cpu: CPU, w: number): number {
  const a = xlate(cpu, eaRS(cpu, w), false); if (a < 0) return failed(cpu);
  return setSystemMask(cpu, (cpu.mem[a >>> 2] >>> (24 - ((a & 3) << 3))) & 0xff);
}

/** STORE THEN AND / OR SYSTEM MASK (PoO 4.10.7). */
export function opSTxSM(cpu: CPU, w: number): number {
  const a = xlate(cpu, eaRS(cpu, w), true); if (a < 0) return failed(cpu);
  const old = (cpu.flags >>> 24) & 0xff, imm = (w >>> 16) & 0xff;
  const mask = (w >>> 24) === 0xac ? old & imm : old | imm;
  const r = setSystemMask(cpu, mask); if (r !== H_NEXT) return r;
  const i = a >>> 2, sh = 24 - ((a & 3) << 3);
  cpu.mem[i] = (cpu.mem[i] & ~(0xff << sh)) | (old << sh);
  return H_NEXT;
}

/** LOAD CONTROL / STORE CONTROL (PoO 4.10.4): control registers R1 through R3, wrapping. */
export function opLCTL(cpu: CPU, w: number): number {
  const r1 = (w >>> 20) & 15, count = ((((w >>> 16) & 15) - r1) & 15) + 1;
  const store = (w >>> 24) === 0xb6;
  const n = words(cpu, eaRS(cpu, w), count, store, SCRATCH); if (n !== 0) return n;
  const cr1 = cpu.cr[1];
  for (let i = 0; i < count; i++) {
    if (store) cpu.mem[SCRATCH[i] >>> 2] = cpu.cr[(r1 + i) & 15];
    else cpu.cr[(r1 + i) & 15] = cpu.mem[SCRATCH[i] >>> 2];
  }
  // A new segment-table origin names another address space: its translations are not the old
  // ones, so this machine purges the TLB (PoO 6.3) rather than leave the result unpredictable.
  if (cpu.cr[1] !== cr1) cpu.tlb.fill(0);
  return H_NEXT;
}

/** SCK, SPT, SCKC: set a clock from a doubleword (PoO 7). */
export function opSetClock(cpu: CPU, w: number): number {
  const n = doubleword(cpu, w, false); if (n !== 0) return n;
  setClock(cpu.clocks, cpu.now, w >>> 24, cpu.mem[SCRATCH[0] >>> 2], cpu.mem[SCRATCH[1] >>> 2]);
  return H_NEXT;
}

/** STPT, STCKC: store a clock as a doubleword (PoO 7). */
export function opStoreClock(cpu: CPU, w: number): number {
  return storeDoubleword(cpu, eaRS(cpu, w), clockValue(cpu.clocks, cpu.now, w >>> 24));
}

/** PURGE TLB (PoO 6.3). */
export function opPTLB(cpu: CPU): number { cpu.tlb.fill(0); return H_NEXT; }

/** LOAD REAL ADDRESS (PoO 6.4): walk the tables without using or filling the TLB. */
export function opLRA(cpu: CPU, w: number): number {
  const e = walk(cpu, eaRX(cpu, w));
  if (e === -PGM_ADDRESSING) { cpu.xaddr = -1; return PGM_ADDRESSING; }
  if (e < 0) { cpu.cc = e === -PGM_SEGMENT ? 1 : 2; return H_NEXT; }
  cpu.gpr[(w >>> 20) & 15] = (e & 0xfff000) | (eaRX(cpu, w) & 0xfff);
  cpu.cc = 0;
  return H_NEXT;
}

/** START / TEST / HALT I/O (PoO 8.3): the device address is the low 16 bits of D2(B2). */
export function opIO(cpu: CPU, w: number): number {
  const dev = eaRS(cpu, w) & 0xffff;
  const io = cpu.io;
  if (!io) { cpu.cc = 3; return H_NEXT; }
  const op = w >>> 24;
  cpu.cc = op === 0x9c ? io.startIO(dev, cpu.mem, cpu.now) : op === 0x9d ? io.testIO(dev, cpu.mem, cpu.now) : io.haltIO(dev, cpu.mem, cpu.now);
  return H_NEXT;
}

/**
 * DIAGNOSE on the bare machine (PoO 11): the model-dependent functions of this machine. Operand
 * addresses are real. Under CP the same codes are CP's hypercalls, with more of them.
 */
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
