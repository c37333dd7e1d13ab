/**
 * CP's emulation of the privileged instructions (VM/370's DMKPRV): each one performed against
 * the virtual machine's own state (virtual PSW, control registers, clocks, shadow table,
 * devices) exactly as the real machine performs it against the real state (PoO 4.10, 6, 7, 8).
 * An emulator returns E_NEXT (resume after the instruction), E_JUMP (it set the virtual PSW),
 * E_HALT (the VM stops), or a program-interruption code for CP to reflect.
 *
 * `Record<PrivilegedMnemonic, Emulator>`, with the union type derived from the ISA table's rows,
 * makes the set exhaustive at compile time: a new privileged row without an emulator does not
 * type-check (test/monitor.test.ts checks the same at run time).
 */
import { PGM_ADDRESSING, PGM_SEGMENT, PGM_SPECIFICATION, PSW_RESERVED, PSW_SYSTEM_MASK } from '../cpu/arch.ts';
import { clockHex, clockValue, dwHigh, dwLow, setClock } from '../cpu/clocks.ts';
import { walkTables } from '../cpu/dat.ts';
import { eaRS, eaRX } from '../cpu/general.ts';
import { pswValid } from '../cpu/lowcore.ts';
import type { PrivilegedMnemonic } from '../cpu/isa.ts';
import { translateChannelProgram } from '../cpu/io/channel.ts';
import { guestReal, guestWords, VSCRATCH } from './vaccess.ts';
import type { VirtualMachine } from './vm.ts';
import { emulateDIAG } from './diagnose.ts';
import type { ControlProgram } from './cp.ts';

export const E_NEXT = 0;
export const E_JUMP = -1;
export const E_HALT = -3;

/** Everything an emulator may touch; `details` is non-null only while tracing. */
export interface EmuContext {
  cp: ControlProgram;
  vm: VirtualMachine;
  w: number;
  details: Record<string, number | string | boolean | number[] | Record<string, number>[]> | null;
}
export type Emulator = (c: EmuContext) => number;

/** The privileged mnemonics, derived from the ISA table's own rows (src/cpu/isa.ts). */
export type { PrivilegedMnemonic };

/** Read the doubleword operand (a PSW, a clock value) through the guest's translation. */
function guestDoubleword(vm: VirtualMachine, w: number, align8: boolean): number {
  const a = eaRS(vm, w);
  if (align8 && (a & 7) !== 0) return PGM_SPECIFICATION;
  const r = guestWords(vm, a, 2, false, VSCRATCH);
  return r < 0 ? -r : 0;
}

/** LPSW (PoO 4.10.3): the guest's new PSW becomes the virtual PSW, whatever state it names. */
export function emulateLPSW(c: EmuContext): number {
  const { vm } = c;
  const r = guestDoubleword(vm, c.w, true); if (r) return r;
  const flags = vm.mem[VSCRATCH[0] >>> 2], ia = vm.mem[VSCRATCH[1] >>> 2];
  if (!pswValid(flags, ia)) return PGM_SPECIFICATION;
  vm.setPsw(flags, ia);
  if (c.details) c.details.loaded = [flags, ia];
  return E_JUMP;
}

function setVirtualSystemMask(vm: VirtualMachine, mask: number): number {
  const f = (vm.flags & ~PSW_SYSTEM_MASK) | ((mask & 0xff) << 24);
  if ((f & PSW_RESERVED & PSW_SYSTEM_MASK) !== 0) return PGM_SPECIFICATION;
  vm.flags = f;
  return E_NEXT;
}

/** SSM (PoO 4.10.6): the guest's byte becomes the virtual system mask. */
export function emulateSSM(c: EmuContext): number {
  const a = guestReal(c.vm, eaRS(c.vm, c.w), false); if (a < 0) return -a;
  const mask = (c.vm.mem[a >>> 2] >>> (24 - ((a & 3) << 3))) & 0xff;
  if (c.details) c.details.mask = mask;
  return setVirtualSystemMask(c.vm, mask);
}

/** STNSM / STOSM (PoO 4.10.7). */
export function emulateSTxSM(c: EmuContext): number {
  const { vm, w } = c;
  const a = guestReal(vm, eaRS(vm, w), true); if (a < 0) return -a;
  const old = (vm.flags >>> 24) & 0xff, imm = (w >>> 16) & 0xff;
  const r = setVirtualSystemMask(vm, (w >>> 24) === 0xac ? old & imm : old | imm); if (r) return r;
  const i = a >>> 2, sh = 24 - ((a & 3) << 3);
  vm.mem[i] = (vm.mem[i] & ~(0xff << sh)) | (old << sh);
  return E_NEXT;
}

/** LCTL / STCTL (PoO 4.10.4): the virtual control registers. A new CR1 purges the shadow table. */
export function emulateCTL(c: EmuContext): number {
  const { vm, w } = c;
  const r1 = (w >>> 20) & 15, count = ((((w >>> 16) & 15) - r1) & 15) + 1;
  const store = (w >>> 24) === 0xb6;
  const r = guestWords(vm, eaRS(vm, w), count, store, VSCRATCH); if (r < 0) return -r;
  const cr1 = vm.cr[1];
  for (let i = 0; i < count; i++) {
    if (store) vm.mem[VSCRATCH[i] >>> 2] = vm.cr[(r1 + i) & 15];
    else vm.cr[(r1 + i) & 15] = vm.mem[VSCRATCH[i] >>> 2];
  }
  if (vm.cr[1] !== cr1) { vm.shadow.fill(0); if (c.details) c.details.shadowPurged = true; }
  return E_NEXT;
}

/** SCK, SPT, SCKC (PoO 7): the VM's own clocks, in the VM's own time. */
export function emulateSetClock(c: EmuContext): number {
  const { vm, w } = c;
  const r = guestDoubleword(vm, w, false); if (r) return r;
  const v = setClock(vm.clocks, vm.now, w >>> 24, vm.mem[VSCRATCH[0] >>> 2], vm.mem[VSCRATCH[1] >>> 2]);
  if (c.details) c.details.value = clockHex(v);
  return E_NEXT;
}

/** STPT, STCKC (PoO 7). */
export function emulateStoreClock(c: EmuContext): number {
  const { vm, w } = c;
  const v = clockValue(vm.clocks, vm.now, w >>> 24);
  const r = guestWords(vm, eaRS(vm, w), 2, true, VSCRATCH); if (r < 0) return -r;
  vm.mem[VSCRATCH[0] >>> 2] = dwHigh(v);
  vm.mem[VSCRATCH[1] >>> 2] = dwLow(v);
  if (c.details) c.details.value = clockHex(v);
  return E_NEXT;
}

/** PTLB (PoO 6.3): the guest's TLB is CP's shadow table, so purging it purges the shadow. */
export function emulatePTLB(c: EmuContext): number {
  c.vm.shadow.fill(0);
  return E_NEXT;
}

/** LRA (PoO 6.4): walk the guest's tables in guest storage; the answer is a guest-real address. */
export function emulateLRA(c: EmuContext): number {
  const { vm, w } = c;
  const va = eaRX(vm, w);
  const e = walkTables(vm.mem, vm.cr[1], va);
  if (e === -PGM_ADDRESSING) return PGM_ADDRESSING;
  if (e < 0) { vm.cc = e === -PGM_SEGMENT ? 1 : 2; return E_NEXT; }
  vm.gpr[(w >>> 20) & 15] = (e & 0xfff000) | (va & 0xfff);
  vm.cc = 0;
  return E_NEXT;
}

/**
 * SIO / TIO / HIO (PoO 8.3) on the VM's virtual channel. For START I/O, CP first translates the
 * guest's channel program (VM/370's CCW translation): every CCW and data area is checked against
 * the guest's storage, which is all the virtual channel can reach.
 */
export function emulateIO(c: EmuContext): number {
  const { vm, w } = c;
  const dev = eaRS(vm, w) & 0xffff;
  const op = w >>> 24;
  if (c.details) {
    c.details.device = dev;
    if (op === 0x9c) {
      const t = translateChannelProgram(vm.mem);
      c.details.ccws = t.ccws.map((x) => ({ address: x.address, command: x.command, data: x.dataAddress, flags: x.flags, count: x.count }));
      if ('error' in t) c.details.ccwError = t.error;
    }
  }
  const io = vm.io;
  if (!io) vm.cc = 3;
  else vm.cc = op === 0x9c ? io.startIO(dev, vm.mem, vm.now) : op === 0x9d ? io.testIO(dev, vm.mem, vm.now) : io.haltIO(dev, vm.mem, vm.now);
  if (c.details) c.details.cc = vm.cc;
  return E_NEXT;
}

/** The emulator of each privileged instruction. */
export const EMULATORS: Readonly<Record<PrivilegedMnemonic, Emulator>> = {
  SSM: emulateSSM, LPSW: emulateLPSW, DIAG: emulateDIAG, SIO: emulateIO, TIO: emulateIO, HIO: emulateIO,
  SCK: emulateSetClock, SPT: emulateSetClock, SCKC: emulateSetClock, STPT: emulateStoreClock, STCKC: emulateStoreClock,
  PTLB: emulatePTLB, STNSM: emulateSTxSM, STOSM: emulateSTxSM, LRA: emulateLRA, STCTL: emulateCTL, LCTL: emulateCTL,
};
