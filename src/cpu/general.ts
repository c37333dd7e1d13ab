/**
 * Unprivileged instructions that are too rare or too wide for the hot loop (PoO 4.5-4.9):
 * register-pair arithmetic, double shifts, multiple loads/stores, the atomics, SPM and STCK.
 * Each handler translates all its operands before it changes anything (restartable on a TLB miss).
 */
import { PGM_FIXED_DIVIDE, PGM_SPECIFICATION, PSW_PROGRAM_MASK } from './arch.ts';
import { dwHigh, dwLow } from './clocks.ts';
import type { CPU } from './cpu.ts';
import { failed, H_NEXT, SCRATCH, words, xlate } from './access.ts';

/** Effective address of RX (signed 16-bit displacement) and RS/S/SI (12-bit) formats (PoO 4.1). */
export function eaRX(cpu: { gpr: Int32Array }, w: number): number {
  const b = (w >>> 16) & 15;
  return ((b !== 0 ? cpu.gpr[b] : 0) + ((w << 16) >> 16)) & 0xffffff;
}
export function eaRS(cpu: { gpr: Int32Array }, w: number): number {
  const b = (w >>> 12) & 15;
  return ((b !== 0 ? cpu.gpr[b] : 0) + (w & 0xfff)) & 0xffffff;
}

/** A register pair must start at an even register (PoO 4.5.1). */
function pairOk(cpu: CPU, r1: number): boolean { if (r1 & 1) { cpu.xaddr = -1; return false; } return true; }

const B32 = 0x1_0000_0000n;
function pairValue(cpu: CPU, r1: number): bigint {
  return BigInt(cpu.gpr[r1]) * B32 + BigInt(cpu.gpr[r1 + 1] >>> 0);
}
function setPair(cpu: CPU, r1: number, v: bigint): void {
  const u = BigInt.asUintN(64, v);
  cpu.gpr[r1] = Number(u >> 32n) | 0;
  cpu.gpr[r1 + 1] = Number(u & 0xffff_ffffn) | 0;
}

/** MULTIPLY (MR, M): pair R1,R1+1 = R1+1 * operand, a 64-bit signed product. */
function multiply(cpu: CPU, r1: number, v: number): number {
  if (!pairOk(cpu, r1)) return PGM_SPECIFICATION;
  setPair(cpu, r1, BigInt(cpu.gpr[r1 + 1]) * BigInt(v));
  return H_NEXT;
}

/** DIVIDE (DR, D): 64-bit dividend in R1,R1+1; remainder to R1, quotient to R1+1 (PoO 4.5.6). */
function divide(cpu: CPU, r1: number, v: number): number {
  if (!pairOk(cpu, r1)) return PGM_SPECIFICATION;
  if (v === 0) { cpu.xaddr = -1; return PGM_FIXED_DIVIDE; }
  const n = pairValue(cpu, r1); const d = BigInt(v);
  const q = n / d; const rem = n % d;
  if (q > 0x7fff_ffffn || q < -0x8000_0000n) { cpu.xaddr = -1; return PGM_FIXED_DIVIDE; }
  cpu.gpr[r1] = Number(rem) | 0; cpu.gpr[r1 + 1] = Number(q) | 0;
  return H_NEXT;
}

export function opMR(cpu: CPU, w: number): number { return multiply(cpu, (w >>> 20) & 15, cpu.gpr[(w >>> 16) & 15]); }
export function opDR(cpu: CPU, w: number): number { return divide(cpu, (w >>> 20) & 15, cpu.gpr[(w >>> 16) & 15]); }
export function opM(cpu: CPU, w: number): number {
  const n = words(cpu, eaRX(cpu, w), 1, false, SCRATCH); if (n !== 0) return n;
  return multiply(cpu, (w >>> 20) & 15, cpu.mem[SCRATCH[0] >>> 2]);
}
export function opD(cpu: CPU, w: number): number {
  const n = words(cpu, eaRX(cpu, w), 1, false, SCRATCH); if (n !== 0) return n;
  return divide(cpu, (w >>> 20) & 15, cpu.mem[SCRATCH[0] >>> 2]);
}

/** SRDL / SLDL: 64-bit logical shifts of the pair R1,R1+1. */
export function opDoubleShift(cpu: CPU, w: number): number {
  const r1 = (w >>> 20) & 15;
  if (!pairOk(cpu, r1)) return PGM_SPECIFICATION;
  const s = BigInt(eaRS(cpu, w) & 63);
  const u = BigInt.asUintN(64, pairValue(cpu, r1));
  setPair(cpu, r1, (w >>> 24) === 0x8c ? u >> s : u << s);
  return H_NEXT;
}

/** LM / STM: registers R1 through R3, wrapping from 15 to 0 (PoO 4.4). */
export function opLoadStoreMultiple(cpu: CPU, w: number): number {
  const r1 = (w >>> 20) & 15, r3 = (w >>> 16) & 15;
  const count = ((r3 - r1) & 15) + 1;
  const store = (w >>> 24) === 0x90;
  const n = words(cpu, eaRS(cpu, w), count, store, SCRATCH); if (n !== 0) return n;
  for (let i = 0; i < count; i++) {
    const r = (r1 + i) & 15;
    if (store) cpu.mem[SCRATCH[i] >>> 2] = cpu.gpr[r];
    else cpu.gpr[r] = cpu.mem[SCRATCH[i] >>> 2];
  }
  return H_NEXT;
}

/** TEST AND SET (PoO 4.8): one interlocked update of a byte. */
export function opTS(cpu: CPU, w: number): number {
  const a = xlate(cpu, eaRS(cpu, w), true); if (a < 0) return failed(cpu);
  const i = a >>> 2, sh = 24 - ((a & 3) << 3);
  cpu.cc = ((cpu.mem[i] >>> sh) & 0x80) !== 0 ? 1 : 0;
  cpu.mem[i] |= 0xff << sh;
  return H_NEXT;
}

/** COMPARE AND SWAP (PoO 4.8). */
export function opCS(cpu: CPU, w: number): number {
  const n = words(cpu, eaRS(cpu, w), 1, true, SCRATCH); if (n !== 0) return n;
  const i = SCRATCH[0] >>> 2, r1 = (w >>> 20) & 15;
  if (cpu.mem[i] === cpu.gpr[r1]) { cpu.mem[i] = cpu.gpr[(w >>> 16) & 15]; cpu.cc = 0; }
  else { cpu.gpr[r1] = cpu.mem[i]; cpu.cc = 1; }
  return H_NEXT;
}

/** SET PROGRAM MASK: condition code from bits 2-3, program mask from bits 4-7 of R1 (PoO 4.9). */
export function opSPM(cpu: CPU, w: number): number {
  const v = cpu.gpr[(w >>> 20) & 15];
  cpu.cc = (v >>> 28) & 3;
  cpu.flags = (cpu.flags & ~PSW_PROGRAM_MASK) | (((v >>> 24) & 0xf) << 8);
  return H_NEXT;
}

/** Store a doubleword value (timers, TOD) at the operand address; translated first. */
export function storeDoubleword(cpu: CPU, a: number, v: number): number {
  const n = words(cpu, a, 2, true, SCRATCH); if (n !== 0) return n;
  cpu.mem[SCRATCH[0] >>> 2] = dwHigh(v);
  cpu.mem[SCRATCH[1] >>> 2] = dwLow(v);
  return H_NEXT;
}

/** STORE CLOCK (PoO 7.1): the TOD clock in virtual time; condition code 0. */
export function opSTCK(cpu: CPU, w: number): number {
  const r = storeDoubleword(cpu, eaRS(cpu, w), cpu.clocks.tod(cpu.now));
  if (r === H_NEXT) cpu.cc = 0;
  return r;
}
