/**
 * The slow-path handler tables, flat arrays built once at load time from the ISA table's
 * mnemonics (no Map lookups when an instruction leaves the hot loop). Every opcode the table
 * defines and the hot loop does not execute has a handler here; test/isa.test.ts checks that.
 *
 * `executePrivileged(m, w)` is "execute this privileged instruction against that machine's
 * state" as one call: the real CPU's slow path and CP's emulation both come through it.
 */
import { PGM_OPERATION } from './arch.ts';
import type { CPU } from './cpu.ts';
import { opDIAG } from './diagnose.ts';
import { ISA, OP } from './isa.ts';
import * as g from './general.ts';
import type { ArchState } from './machine.ts';
import { opLPSW, opSSM, PRIVILEGED_OPS, type MachineHandler } from './privileged.ts';

export { H_HALT, H_JUMP, H_MISS, H_NEXT } from './access.ts';

export type Handler = (cpu: CPU, w: number) => number;

const BY_NAME: Readonly<Record<string, Handler>> = {
  SPM: g.opSPM, MR: g.opMR, DR: g.opDR, M: g.opM, D: g.opD, SRDL: g.opSRDL, SLDL: g.opSLDL,
  STM: g.opSTM, LM: g.opLM, TS: g.opTS, CS: g.opCS, STCK: g.opSTCK, DIAG: opDIAG, ...PRIVILEGED_OPS,
};

/** Opcode -> handler; undefined means the hot loop executes it, or (undefined in the ISA) an operation exception. */
export const HANDLERS: readonly (Handler | undefined)[] = (() => {
  const t: (Handler | undefined)[] = new Array(256).fill(undefined);
  for (const d of ISA) if (BY_NAME[d.mnemonic]) t[d.opcode] = BY_NAME[d.mnemonic];
  return t;
})();

/**
 * Opcode -> the shared handler of a privileged instruction. DIAGNOSE excepted: its functions of
 * the machine's own state are diagnose.ts's `diagnoseOwn`; the rest are each machine's own.
 */
const PRIVILEGED_HANDLERS: readonly (MachineHandler | undefined)[] = (() => {
  const t: (MachineHandler | undefined)[] = new Array(256).fill(undefined);
  const ops: Readonly<Record<string, MachineHandler>> = PRIVILEGED_OPS;
  for (const d of ISA) if (ops[d.mnemonic]) t[d.opcode] = ops[d.mnemonic];
  return t;
})();

/**
 * Execute the privileged instruction `w` against machine `m`'s state (the privilege check is the
 * caller's). Returns H_NEXT (advance), H_JUMP (the handler set the PSW), H_MISS (the real CPU's
 * TLB missed: walk and retry) or a program-interruption code, with m.xaddr the failing address.
 */
export function executePrivileged(m: ArchState, w: number): number {
  const op = w >>> 24;
  // The system-mask instructions and LPSW, the commonest CP emulates, by direct calls: V8 inlines
  // those; a call through the table goes through its generic Call builtin (a trap's few ns).
  if (op === SSM) return opSSM(m, w);
  if (op === LPSW) return opLPSW(m, w);
  const h = PRIVILEGED_HANDLERS[op];
  if (h === undefined) { m.xaddr = -1; return PGM_OPERATION; }
  return h(m, w);
}
const SSM = OP.SSM, LPSW = OP.LPSW;
