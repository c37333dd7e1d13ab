/**
 * CP's emulation of the privileged instructions (VM/370's DMKPRV). The instructions themselves
 * are the real machine's: CP runs the same handlers the real CPU runs (cpu/privileged.ts),
 * against the virtual machine's state (virtual PSW, control registers, clocks, shadow table,
 * devices), through `executePrivileged`. What is CP's own stays here: DIAGNOSE, its hypercall
 * interface (diagnose.ts), and what a trace event records about an emulated instruction (the
 * mask set, the PSW loaded, the clock value, the channel program), computed only while someone
 * listens. Results are the handlers' (H_NEXT, H_JUMP, H_HALT, or a program code to reflect).
 */
import { PGM_SPECIFICATION } from '../cpu/arch.ts';
import { clockHex, fromDoubleword } from '../cpu/clocks.ts';
import { eaRS } from '../cpu/general.ts';
import { executePrivileged, H_JUMP, H_NEXT } from '../cpu/handlers.ts';
import { BY_OPCODE, OP, type PrivilegedMnemonic } from '../cpu/isa.ts';
import { translateChannelProgram } from '../cpu/io/channel.ts';
import { emulateDIAG, type Details } from './diagnose.ts';
import type { VirtualMachine } from './vm.ts';
import type { ControlProgram } from './cp.ts';

export type { Details };

/**
 * What a trace event records about one privileged instruction: called before it executes, it may
 * note what only the state before shows and returns what to note once the result `r` is known.
 */
type Recorder = (vm: VirtualMachine, w: number, d: Details) => ((r: number) => void) | void;

/** The doubleword at the operand words the handler translated (vm.scratch), as 16 hex digits. */
function operandClock(vm: VirtualMachine): string {
  return clockHex(fromDoubleword(vm.mem[vm.scratch[0] >>> 2], vm.mem[vm.scratch[1] >>> 2]));
}
const clock: Recorder = (vm, _w, d) => (r) => { if (r === H_NEXT) d.value = operandClock(vm); };
const device: Recorder = (vm, w, d) => { d.device = eaRS(vm, w) & 0xffff; return () => { d.cc = vm.cc; }; };

const RECORDERS: Partial<Record<PrivilegedMnemonic, Recorder>> = {
  LPSW: (vm, _w, d) => (r) => { if (r === H_JUMP) d.loaded = [vm.pswFlags(), vm.ia]; },
  // The mask byte, also when it was refused (reserved bits): the operand was translated by then.
  SSM: (vm, w, d) => (r) => {
    if (r !== H_NEXT && r !== PGM_SPECIFICATION) return;
    const a = vm.translate(eaRS(vm, w), false);
    if (a >= 0) d.mask = (vm.mem[a >>> 2] >>> (24 - ((a & 3) << 3))) & 0xff;
  },
  LCTL: (vm, _w, d) => { const cr1 = vm.cr[1]; return (r) => { if (r === H_NEXT && vm.cr[1] !== cr1) d.shadowPurged = true; }; },
  SCK: clock, SPT: clock, SCKC: clock, STPT: clock, STCKC: clock,
  // START I/O: the channel program CP translates (VM/370's CCW translation), as it stood before the start.
  SIO: (vm, w, d) => {
    d.device = eaRS(vm, w) & 0xffff;
    const t = translateChannelProgram(vm.mem);
    d.ccws = t.ccws.map((x) => ({ address: x.address, command: x.command, data: x.dataAddress, flags: x.flags, count: x.count }));
    if ('error' in t) d.ccwError = t.error;
    return () => { d.cc = vm.cc; };
  },
  TIO: device, HIO: device,
};

const DIAG = OP.DIAG;

/**
 * Emulate the privileged instruction `w` for `vm` (in virtual supervisor state): DIAGNOSE as CP's
 * hypercall, every other one by the real machine's own handler on the VM's state. `details` is
 * non-null only while tracing. vm.xaddr is the failing address of a program code returned.
 */
export function emulate(cp: ControlProgram, vm: VirtualMachine, w: number, details: Details | null): number {
  vm.xaddr = -1; // only an access the instruction makes may set a failing address
  if (w >>> 24 === DIAG) return emulateDIAG(cp, vm, w, details);
  return details === null ? executePrivileged(vm, w) : recorded(vm, w, details); // nobody traces: nothing to record
}

/** Emulate `w` and record in `details` what a trace event tells about it. */
function recorded(vm: VirtualMachine, w: number, details: Details): number {
  const rec = RECORDERS[BY_OPCODE[w >>> 24]!.mnemonic as PrivilegedMnemonic];
  const after = rec ? rec(vm, w, details) : undefined;
  const r = executePrivileged(vm, w);
  if (after) after(r);
  return r;
}
