/**
 * Unprivileged instructions that are too rare or too wide for the hot loop (PoO 4.5-4.9):
 * register-pair arithmetic, double shifts, multiple loads/stores, the atomics, SPM and STCK.
 * Each handler translates all its operands before it changes anything (restartable on a TLB miss).
 */
import { PGM_FIXED_DIVIDE, PGM_SPECIFICATION, PSW_PROGRAM_MASK } from './arch.ts';
import { dwHigh, dwLow } from './clocks.ts';
import { failed, H_NEXT, words } from './access.ts';
import type { ArchState } from './machine.ts';

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
function pairOk(cpu: ArchState, r1: number): boolean { if (r1 & 1) { cpu.xaddr = -1; return false; } return true; }

const TWO32 = 4294967296;

/** High word of the unsigned 64-bit product of two unsigned 32-bit values, exactly (16-bit limbs). */
function mulHighU(x: number, y: number): number {
  const xl = x & 0xffff, xh = x >>> 16, yl = y & 0xffff, yh = y >>> 16;
  const t0 = xl * yl;
  const t1 = xh * yl + (t0 >>> 16);
  const t2 = xl * yh + (t1 & 0xffff);
  return (xh * yh + Math.floor(t1 / 65536) + Math.floor(t2 / 65536)) | 0;
}

/**
 * MULTIPLY (MR, M): pair R1,R1+1 = R1+1 * operand, the signed 64-bit product (PoO 4.5.5). Done in
 * 16-bit limbs, not BigInt: this is an ordinary instruction and must not allocate.
 */
function multiply(cpu: ArchState, r1: number, v: number): number {
  if (!pairOk(cpu, r1)) return PGM_SPECIFICATION;
  const a = cpu.gpr[r1 + 1];
  // Signed high word = unsigned high word, corrected for each negative factor.
  cpu.gpr[r1] = (mulHighU(a >>> 0, v >>> 0) - (a < 0 ? v : 0) - (v < 0 ? a : 0)) | 0;
  cpu.gpr[r1 + 1] = Math.imul(a, v);
  return H_NEXT;
}

/**
 * DIVIDE (DR, D): 64-bit dividend in R1,R1+1; remainder to R1, quotient to R1+1 (PoO 4.5.6).
 * Dividends within +/-2^53 (all of them, in practice) divide exactly in doubles with a one-step
 * correction; larger ones fall back to BigInt.
 */
function divide(cpu: ArchState, r1: number, v: number): number {
  if (!pairOk(cpu, r1)) return PGM_SPECIFICATION;
  if (v === 0) { cpu.xaddr = -1; return PGM_FIXED_DIVIDE; }
  const hi = cpu.gpr[r1], lo = cpu.gpr[r1 + 1];
  let q: number, rem: number;
  if (hi >= -0x20_0000 && hi < 0x20_0000) {
    const n = hi * TWO32 + (lo >>> 0);
    q = Math.trunc(n / v);
    rem = n - q * v;
    // n / v was rounded, so q may be one off the truncated quotient: the remainder must have the
    // dividend's sign and be smaller than the divisor; step q once if it is not.
    const dir = (n < 0) === (v < 0) ? 1 : -1;
    if (rem !== 0 && (rem < 0) !== (n < 0)) { q -= dir; rem = n - q * v; }
    else if (Math.abs(rem) >= Math.abs(v)) { q += dir; rem = n - q * v; }
  } else {
    const n = BigInt(hi) * 0x1_0000_0000n + BigInt(lo >>> 0), d = BigInt(v);
    q = Number(n / d); rem = Number(n % d);
  }
  if (q > 0x7fff_ffff || q < -0x8000_0000) { cpu.xaddr = -1; return PGM_FIXED_DIVIDE; }
  cpu.gpr[r1] = rem | 0; cpu.gpr[r1 + 1] = q | 0;
  return H_NEXT;
}

export function opMR(cpu: ArchState, w: number): number { return multiply(cpu, (w >>> 20) & 15, cpu.gpr[(w >>> 16) & 15]); }
export function opDR(cpu: ArchState, w: number): number { return divide(cpu, (w >>> 20) & 15, cpu.gpr[(w >>> 16) & 15]); }
export function opM(cpu: ArchState, w: number): number {
  const n = words(cpu, eaRX(cpu, w), 1, false); if (n !== 0) return n;
  return multiply(cpu, (w >>> 20) & 15, cpu.mem[cpu.scratch[0] >>> 2]);
}
export function opD(cpu: ArchState, w: number): number {
  const n = words(cpu, eaRX(cpu, w), 1, false); if (n !== 0) return n;
  return divide(cpu, (w >>> 20) & 15, cpu.mem[cpu.scratch[0] >>> 2]);
}

/** The pair R1,R1+1 as one 64-bit value, shifted by the low 6 bits of D2(B2) (PoO 4.7). */
function doubleShift(cpu: ArchState, w: number, right: boolean): number {
  const r1 = (w >>> 20) & 15;
  if (!pairOk(cpu, r1)) return PGM_SPECIFICATION;
  const s = eaRS(cpu, w) & 63;
  const hi = cpu.gpr[r1], lo = cpu.gpr[r1 + 1];
  let h: number, l: number;
  if (s === 0) { h = hi; l = lo; }
  else if (right) {
    if (s < 32) { l = (lo >>> s) | (hi << (32 - s)); h = hi >>> s; } else { l = hi >>> (s - 32); h = 0; }
  } else {
    if (s < 32) { h = (hi << s) | (lo >>> (32 - s)); l = lo << s; } else { h = lo << (s - 32); l = 0; }
  }
  cpu.gpr[r1] = h | 0; cpu.gpr[r1 + 1] = l | 0;
  return H_NEXT;
}
/** SHIFT RIGHT DOUBLE LOGICAL. */
export function opSRDL(cpu: ArchState, w: number): number { return doubleShift(cpu, w, true); }
/** SHIFT LEFT DOUBLE LOGICAL. */
export function opSLDL(cpu: ArchState, w: number): number { return doubleShift(cpu, w, false); }

/** How many registers R1 through R3 name, wrapping from 15 to 0 (PoO 4.4). */
export function rangeCount(w: number): number { return ((((w >>> 16) & 15) - ((w >>> 20) & 15)) & 15) + 1; }
/** LOAD MULTIPLE. */
export function opLM(cpu: ArchState, w: number): number {
  const count = rangeCount(w), r1 = (w >>> 20) & 15;
  const n = words(cpu, eaRS(cpu, w), count, false); if (n !== 0) return n;
  for (let i = 0; i < count; i++) cpu.gpr[(r1 + i) & 15] = cpu.mem[cpu.scratch[i] >>> 2];
  return H_NEXT;
}
/** STORE MULTIPLE. */
export function opSTM(cpu: ArchState, w: number): number {
  const count = rangeCount(w), r1 = (w >>> 20) & 15;
  const n = words(cpu, eaRS(cpu, w), count, true); if (n !== 0) return n;
  for (let i = 0; i < count; i++) cpu.mem[cpu.scratch[i] >>> 2] = cpu.gpr[(r1 + i) & 15];
  return H_NEXT;
}

/** TEST AND SET (PoO 4.8): one interlocked update of a byte. */
export function opTS(cpu: ArchState, w: number): number {
  const a = cpu.translate(eaRS(cpu, w), true); if (a < 0) return failed(cpu);
  const i = a >>> 2, sh = 24 - ((a & 3) << 3);
  cpu.cc = ((cpu.mem[i] >>> sh) & 0x80) !== 0 ? 1 : 0;
  cpu.mem[i] |= 0xff << sh;
  return H_NEXT;
}

/** COMPARE AND SWAP (PoO 4.8). */
export function opCS(cpu: ArchState, w: number): number {
  const n = words(cpu, eaRS(cpu, w), 1, true); if (n !== 0) return n;
  const i = cpu.scratch[0] >>> 2, r1 = (w >>> 20) & 15;
  if (cpu.mem[i] === cpu.gpr[r1]) { cpu.mem[i] = cpu.gpr[(w >>> 16) & 15]; cpu.cc = 0; }
  else { cpu.gpr[r1] = cpu.mem[i]; cpu.cc = 1; }
  return H_NEXT;
}

/** SET PROGRAM MASK: condition code from bits 2-3, program mask from bits 4-7 of R1 (PoO 4.9). */
export function opSPM(cpu: ArchState, w: number): number {
  const v = cpu.gpr[(w >>> 20) & 15];
  cpu.cc = (v >>> 28) & 3;
  cpu.flags = (cpu.flags & ~PSW_PROGRAM_MASK) | (((v >>> 24) & 0xf) << 8);
  return H_NEXT;
}

/** STORE CLOCK (PoO 7.1): the TOD clock in the machine's time; condition code 0. */
export function opSTCK(cpu: ArchState, w: number): number {
  const v = cpu.clocks.tod(cpu.now);
  const n = words(cpu, eaRS(cpu, w), 2, true); if (n !== 0) return n;
  cpu.mem[cpu.scratch[0] >>> 2] = dwHigh(v);
  cpu.mem[cpu.scratch[1] >>> 2] = dwLow(v);
  cpu.cc = 0;
  return H_NEXT;
}
