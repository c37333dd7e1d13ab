/**
 * What the debugger traces: CP's trap events (src/monitor/events.ts) under CP, the same shape
 * made from the CPU's interruptions and decoded instructions on the bare machine, plus CCWs and
 * single instructions. One shape feeds TRACE output, trap stops, `--trace-json` and the DAP
 * adapter's exception stops.
 */
import type { PswData, TrapAction, TrapCause, TrapEvent } from '../monitor/events.ts';
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
