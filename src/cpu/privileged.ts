/**
 * The privileged instructions (PoO 4.10, 6, 7, 8), each written once against the architected
 * state (machine.ts): the real CPU runs them on its own state, CP runs the very same handlers on a
 * virtual machine's state (`executePrivileged`), as Hercules runs SIE guests on its one set of
 * instruction routines. The privilege check comes first and is the caller's: CPU.run() takes a
 * privileged-operation exception in problem state before any of these runs (spike's
 * `require_privilege`); CP reflects one when the *virtual* PSW is in problem state.
 *
 * One handler per mnemonic, none looks at the opcode. Each translates every operand before it
 * changes anything, so an instruction retried after a TLB miss is clean. DIAGNOSE is not here:
 * it is the machine's model-dependent function (diagnose.ts: the functions of the machine's own
 * state, written once for the bare machine, CP and the assist; the bare machine's answers to the
 * rest), with CP's hypercalls in monitor/diagnose.ts.
 *
 * Adding a privileged instruction: its row in isa.ts, its handler and its line in `PRIVILEGED_OPS`
 * below (the compiler refuses a missing one), and a test.
 */
import { PGM_ADDRESSING, PGM_SEGMENT, PGM_SPECIFICATION, PSW_RESERVED, PSW_SYSTEM_MASK } from './arch.ts';
import { dwHigh, dwLow, fromDoubleword } from './clocks.ts';
import { failed, H_JUMP, H_NEXT, words } from './access.ts';
import { walk } from './dat.ts';
import { eaRS, eaRX, rangeCount } from './general.ts';
import type { PrivilegedMnemonic } from './isa.ts';
import type { ArchState } from './machine.ts';

/** A handler: the instruction word in, H_NEXT / H_JUMP / H_MISS / H_HALT or a program code out. */
export type MachineHandler = (m: ArchState, w: number) => number;

/** Translate the doubleword operand of the S-format instruction `w` into m.scratch[0..1]; 0 or a result. */
function doubleword(m: ArchState, w: number, align8: boolean, write: boolean): number {
  const a = eaRS(m, w);
  if (align8 && (a & 7) !== 0) { m.xaddr = -1; return PGM_SPECIFICATION; }
  return words(m, a, 2, write);
}

/** The doubleword at m.scratch[0..1] as a 64-bit value. */
function loaded(m: ArchState): bigint { return fromDoubleword(m.mem[m.scratch[0] >>> 2], m.mem[m.scratch[1] >>> 2]); }

/** Store `v` at the doubleword operand of `w` (translated first). */
function storeValue(m: ArchState, w: number, v: bigint): number {
  const n = doubleword(m, w, false, true); if (n !== 0) return n;
  m.mem[m.scratch[0] >>> 2] = dwHigh(v);
  m.mem[m.scratch[1] >>> 2] = dwLow(v);
  return H_NEXT;
}

/** LOAD PSW (PoO 4.10.3): an invalid PSW is a specification exception and nothing changes. */
export function opLPSW(m: ArchState, w: number): number {
  const n = doubleword(m, w, true, false); if (n !== 0) return n;
  if (!m.loadPswChecked(m.mem[m.scratch[0] >>> 2], m.mem[m.scratch[1] >>> 2])) { m.xaddr = -1; return PGM_SPECIFICATION; }
  return H_JUMP;
}

/** Set the system mask (PSW bits 0-7); reserved bits set are a specification exception. */
function setSystemMask(m: ArchState, mask: number): number {
  const f = (m.flags & ~PSW_SYSTEM_MASK) | ((mask & 0xff) << 24);
  if ((f & PSW_RESERVED & PSW_SYSTEM_MASK) !== 0) { m.xaddr = -1; return PGM_SPECIFICATION; }
  m.flags = f;
  return H_NEXT;
}

/** SET SYSTEM MASK (PoO 4.10.6): the byte at the operand address becomes PSW bits 0-7. */
export function opSSM(m: ArchState, w: number): number {
  const a = m.translate(eaRS(m, w), false); if (a < 0) return failed(m);
  return setSystemMask(m, (m.mem[a >>> 2] >>> (24 - ((a & 3) << 3))) & 0xff);
}

/** STORE THEN AND / OR SYSTEM MASK (PoO 4.10.7): the old mask to the byte, then the new one. */
function storeThenSystemMask(m: ArchState, w: number, and: boolean): number {
  const a = m.translate(eaRS(m, w), true); if (a < 0) return failed(m);
  const old = (m.flags >>> 24) & 0xff, imm = (w >>> 16) & 0xff;
  const r = setSystemMask(m, and ? old & imm : old | imm); if (r !== H_NEXT) return r;
  const i = a >>> 2, sh = 24 - ((a & 3) << 3);
  m.mem[i] = (m.mem[i] & ~(0xff << sh)) | (old << sh);
  return H_NEXT;
}
export function opSTNSM(m: ArchState, w: number): number { return storeThenSystemMask(m, w, true); }
export function opSTOSM(m: ArchState, w: number): number { return storeThenSystemMask(m, w, false); }

/** LOAD CONTROL (PoO 4.10.4): control registers R1 through R3, wrapping. */
export function opLCTL(m: ArchState, w: number): number {
  const count = rangeCount(w), r1 = (w >>> 20) & 15;
  const n = words(m, eaRS(m, w), count, false); if (n !== 0) return n;
  const cr1 = m.cr[1];
  for (let i = 0; i < count; i++) m.cr[(r1 + i) & 15] = m.mem[m.scratch[i] >>> 2];
  // A new segment-table origin names another address space: its translations are not the old
  // ones, so this machine purges the TLB (PoO 6.3) rather than leave the result unpredictable.
  if (m.cr[1] !== cr1) m.purgeTlb();
  return H_NEXT;
}

/** STORE CONTROL (PoO 4.10.4). */
export function opSTCTL(m: ArchState, w: number): number {
  const count = rangeCount(w), r1 = (w >>> 20) & 15;
  const n = words(m, eaRS(m, w), count, true); if (n !== 0) return n;
  for (let i = 0; i < count; i++) m.mem[m.scratch[i] >>> 2] = m.cr[(r1 + i) & 15];
  return H_NEXT;
}

/** SET CLOCK (PoO 7.1): the TOD clock, in the machine's own time. */
export function opSCK(m: ArchState, w: number): number {
  const n = doubleword(m, w, false, false); if (n !== 0) return n;
  m.clocks.setTod(m.now, loaded(m));
  return H_NEXT;
}
/** SET CPU TIMER (PoO 7.2). */
export function opSPT(m: ArchState, w: number): number {
  const n = doubleword(m, w, false, false); if (n !== 0) return n;
  m.clocks.setCpuTimer(m.now, loaded(m));
  return H_NEXT;
}
/** SET CLOCK COMPARATOR (PoO 7.3). */
export function opSCKC(m: ArchState, w: number): number {
  const n = doubleword(m, w, false, false); if (n !== 0) return n;
  m.clocks.setComparator(m.now, loaded(m));
  return H_NEXT;
}
/** STORE CPU TIMER (PoO 7.2). */
export function opSTPT(m: ArchState, w: number): number { return storeValue(m, w, m.clocks.cpuTimer(m.now)); }
/** STORE CLOCK COMPARATOR (PoO 7.3). */
export function opSTCKC(m: ArchState, w: number): number { return storeValue(m, w, m.clocks.ckc); }

/** PURGE TLB (PoO 6.3): for a virtual machine, its TLB is CP's shadow table. */
export function opPTLB(m: ArchState): number { m.purgeTlb(); return H_NEXT; }

/** LOAD REAL ADDRESS (PoO 6.4): walk the tables in the machine's storage, without the TLB. */
export function opLRA(m: ArchState, w: number): number {
  const va = eaRX(m, w);
  const e = walk(m, va);
  if (e === -PGM_ADDRESSING) { m.xaddr = -1; return PGM_ADDRESSING; }
  if (e < 0) { m.cc = e === -PGM_SEGMENT ? 1 : 2; return H_NEXT; }
  m.gpr[(w >>> 20) & 15] = (e & 0xfff000) | (va & 0xfff);
  m.cc = 0;
  return H_NEXT;
}

/** START / TEST / HALT I/O (PoO 8.3): the device address is the low 16 bits of D2(B2); no channel: CC 3. */
export function opSIO(m: ArchState, w: number): number {
  const dev = eaRS(m, w) & 0xffff;
  m.cc = m.io ? m.io.startIO(dev, m.mem, m.now) : 3;
  return H_NEXT;
}
export function opTIO(m: ArchState, w: number): number {
  const dev = eaRS(m, w) & 0xffff;
  m.cc = m.io ? m.io.testIO(dev, m.mem, m.now) : 3;
  return H_NEXT;
}
export function opHIO(m: ArchState, w: number): number {
  const dev = eaRS(m, w) & 0xffff;
  m.cc = m.io ? m.io.haltIO(dev, m.mem, m.now) : 3;
  return H_NEXT;
}

/**
 * Every privileged mnemonic but DIAGNOSE, with its handler. The type is derived from the ISA
 * table's rows: a new privileged row without a handler here does not type-check.
 */
export const PRIVILEGED_OPS: Readonly<Record<Exclude<PrivilegedMnemonic, 'DIAG'>, MachineHandler>> = {
  SSM: opSSM, LPSW: opLPSW, SIO: opSIO, TIO: opTIO, HIO: opHIO, SCK: opSCK, SPT: opSPT, SCKC: opSCKC,
  STPT: opSTPT, STCKC: opSTCKC, PTLB: opPTLB, STNSM: opSTNSM, STOSM: opSTOSM, LRA: opLRA, STCTL: opSTCTL, LCTL: opLCTL,
};
