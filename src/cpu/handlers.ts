/**
 * The slow-path handler table: `HANDLERS[opcode]`, a flat array built once at load time from the
 * ISA table's mnemonics (no Map lookups when an instruction leaves the hot loop). Every opcode the
 * table defines and the hot loop does not execute has a handler here; test/isa.test.ts checks that.
 */
import type { CPU } from './cpu.ts';
import { ISA } from './isa.ts';
import * as g from './general.ts';
import * as p from './privileged.ts';

export { H_HALT, H_JUMP, H_MISS, H_NEXT } from './access.ts';

export type Handler = (cpu: CPU, w: number) => number;

const BY_NAME: Readonly<Record<string, Handler>> = {
  SPM: g.opSPM, MR: g.opMR, DR: g.opDR, M: g.opM, D: g.opD, SRDL: g.opDoubleShift, SLDL: g.opDoubleShift,
  STM: g.opLoadStoreMultiple, LM: g.opLoadStoreMultiple, TS: g.opTS, CS: g.opCS, STCK: g.opSTCK,
  SSM: p.opSSM, LPSW: p.opLPSW, DIAG: p.opDIAG, SIO: p.opIO, TIO: p.opIO, HIO: p.opIO,
  SCK: p.opSetClock, SPT: p.opSetClock, SCKC: p.opSetClock, STPT: p.opStoreClock, STCKC: p.opStoreClock,
  PTLB: p.opPTLB, STNSM: p.opSTxSM, STOSM: p.opSTxSM, LRA: p.opLRA, STCTL: p.opLCTL, LCTL: p.opLCTL,
};

/** Opcode -> handler; undefined means the hot loop executes it, or (undefined in the ISA) an operation exception. */
export const HANDLERS: readonly (Handler | undefined)[] = (() => {
  const t: (Handler | undefined)[] = new Array(256).fill(undefined);
  for (const d of ISA) if (BY_NAME[d.mnemonic]) t[d.opcode] = BY_NAME[d.mnemonic];
  return t;
})();
