/**
 * What the debugger traces: CP's trap events (src/monitor/events.ts) under CP, the same shape
 * made from the CPU's interruptions and decoded instructions on the bare machine, plus CCWs and
 * single instructions. One shape feeds TRACE output, trap stops, `--trace-json` and the DAP
 * adapter's exception stops.
 */
import {
  INT_CLASS_NAMES, NEW_PSW, OLD_PSW, PGM_ADDRESSING, PGM_PAGE, PGM_PRIVILEGED, PGM_SEGMENT, PSW_CC, PSW_CC_SHIFT, PSW_DAT, PSW_PROBLEM, PTE_PFRA,
} from '../cpu/arch.ts';
import { OP, PRIVILEGED } from '../cpu/isa.ts';
import { walkTables } from '../cpu/dat.ts';
import { storedInterruption, type PswData, type TrapAction, type TrapCause, type TrapEvent } from '../monitor/events.ts';
import type { SourceLoc } from './source.ts';

import { classesOf } from '../monitor/trace.ts';
export { TRACE_ABBREV, TRACE_CLASSES, classesOf, ruleMatches, type TraceClass, type TraceRule } from '../monitor/trace.ts';

export type DebugCause = TrapCause | 'ccw' | 'instruction';
/** CP's actions, plus what the bare machine does: 'delivered' an interruption, 'executed' an instruction. */
export type DebugAction = TrapAction | 'delivered' | 'executed' | 'traced';

/** One traced event. */
export interface DebugEvent extends Omit<TrapEvent, 'cause' | 'action'> {
  cause: DebugCause;
  action: DebugAction;
  /** Debugger position (instructions executed since the start) after the step that produced it. */
  step: number;
  /** 'cp': a CP trap event; 'bare': made by the debugger from the bare machine. */
  origin: 'cp' | 'bare' | 'channel' | 'debugger';
  /** The real PSW when the event happened (under CP: the guest as the real CPU ran it). */
  real: PswData | null;
}

/**
 * The stable `--trace-json` record (schema "tinycp-trace/1"; docs/debugging.md documents it).
 * Fields are only ever added, never renamed or removed, within one schema version.
 */
export interface TraceRecord {
  schema: 'tinycp-trace/1';
  seq: number;
  step: number;
  time: number;
  vm: string;
  origin: DebugEvent['origin'];
  classes: string[];
  cause: DebugCause;
  code: number;
  action: DebugAction;
  reason: string;
  instruction: { address: number; word: number; text: string } | null;
  source: SourceLoc | null;
  before: PswData;
  after: PswData;
  real: PswData | null;
  details: DebugEvent['details'];
}

/** The JSON-lines record of an event. */
export function traceRecord(e: DebugEvent, source: SourceLoc | null): TraceRecord {
  return {
    schema: 'tinycp-trace/1', seq: e.seq, step: e.step, time: e.time, vm: e.vm, origin: e.origin,
    classes: classesOf(e).map((c) => c.toLowerCase()), cause: e.cause, code: e.code, action: e.action, reason: e.reason,
    instruction: e.instruction, source, before: e.before, after: e.after, real: e.real, details: e.details,
  };
}

/**
 * An interruption the bare machine delivered (from `cpu.onInterrupt`: the old PSW is already in
 * low storage, the new one about to load), as an event of the same shape as CP's. `instruction`
 * is the one that caused it (SVC, program) or null (external, I/O); `diagFunction` the DIAGNOSE
 * function when it is a DIAGNOSE (computed before the interruption changed any register).
 */
export function bareInterruptEvent(mem: Int32Array, cls: number, code: number, time: number,
  instruction: DebugEvent['instruction'], diagFunction = -1): DebugEvent {
  const o = OLD_PSW[cls] >>> 2, n = NEW_PSW[cls] >>> 2;
  const psw = (i: number): PswData => ({ flags: mem[i], cc: (mem[i] & PSW_CC) >>> PSW_CC_SHIFT, ia: mem[i + 1] & 0xffffff });
  const name = INT_CLASS_NAMES[cls];
  const stored = { before: psw(o), details: {} as DebugEvent['details'] };
  storedInterruption(mem, cls, code, stored); // the failing address as stored, as CP's events carry it
  const cause: DebugCause = name === 'program' ? programCause(code, stored.before.flags, instruction)
    : name === 'svc' || name === 'external' || name === 'io' ? name : 'program';
  // A DIAGNOSE whose operand failed: its function, as CP's event for the same interruption names it.
  if (cause === 'diagnose' && diagFunction >= 0) stored.details.function = diagFunction;
  return {
    seq: 0, step: 0, vm: 'BARE', time, cause, code, origin: 'bare', real: null, instruction,
    before: stored.before, after: psw(n), action: 'delivered', details: stored.details,
    reason: `the bare machine has no CP: the CPU stores the old PSW and interruption code X'${code.toString(16).toUpperCase().padStart(4, '0')}' in low storage and loads the ${name} new PSW.`,
  };
}

/**
 * The cause a program interruption of the bare machine gets: the one CP's event for the same
 * interruption names (one schema, one meaning in both modes). A privileged instruction whose
 * operand failed in supervisor state is 'privileged' (or 'diagnose'), as CP's emulation reports
 * it; a segment-, page- or (with DAT on, a table entry outside storage) addressing exception is
 * 'translation', as CP's shadow-table miss reports it.
 */
function programCause(code: number, oldFlags: number, instruction: DebugEvent['instruction']): DebugCause {
  if (code === PGM_PRIVILEGED) return 'privileged-problem';
  const op = instruction ? instruction.word >>> 24 : -1;
  if (op >= 0 && PRIVILEGED[op] && (oldFlags & PSW_PROBLEM) === 0) return op === OP.DIAG ? 'diagnose' : 'privileged';
  if (code === PGM_SEGMENT || code === PGM_PAGE || (code === PGM_ADDRESSING && (oldFlags & PSW_DAT) !== 0)) return 'translation';
  return 'program';
}

/**
 * The instruction word at guest address `a` as the guest's PSW (`flags`, CR1 `cr1`) addresses
 * it, through its DAT tables without touching any TLB; null when it cannot be fetched (then no
 * instruction is shown, never a made-up `.word 0`).
 */
export function instructionWord(mem: Int32Array, flags: number, cr1: number, a: number): number | null {
  let r = a & 0xffffff;
  if (flags & PSW_DAT) {
    const e = walkTables(mem, cr1, r);
    if (e < 0) return null;
    r = (e & PTE_PFRA) | (r & 0xfff);
  }
  if ((r & 3) !== 0 || r >= mem.length * 4) return null;
  return mem[r >>> 2];
}
