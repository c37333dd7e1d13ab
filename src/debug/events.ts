/**
 * What the debugger traces: CP's trap events (src/monitor/events.ts) under CP, the same shape
 * made from the CPU's interruptions and decoded instructions on the bare machine, plus CCWs and
 * single instructions. One shape feeds TRACE output, trap stops, `--trace-json` and the DAP
 * adapter's exception stops.
 */
import { PGM_PRIVILEGED } from '../cpu/arch.ts';
import type { PswData, TrapAction, TrapCause, TrapEvent } from '../monitor/events.ts';
import type { SourceLoc } from './source.ts';

/** VM/370's TRACE classes (plus TRANSLATION for shadow-table activity). */
export const TRACE_CLASSES = ['SVC', 'PRIV', 'PROGRAM', 'EXTERNAL', 'IO', 'DIAG', 'CCW', 'INSTRUCTION', 'TRANSLATION', 'ALL'] as const;
export type TraceClass = (typeof TRACE_CLASSES)[number];

/** Shortest abbreviation of each TRACE class (as VM/370 allowed them). */
export const TRACE_ABBREV: Readonly<Record<TraceClass, number>> = {
  SVC: 3, PRIV: 4, PROGRAM: 4, EXTERNAL: 3, IO: 2, DIAG: 4, CCW: 3, INSTRUCTION: 4, TRANSLATION: 5, ALL: 3,
};

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

/** Trace classes an event belongs to (ALL matches every class but INSTRUCTION). */
export function classesOf(e: Pick<DebugEvent, 'cause' | 'action' | 'code' | 'instruction'>): TraceClass[] {
  const op = e.instruction ? e.instruction.word >>> 24 : -1;
  const io = op >= 0x9c && op <= 0x9e;
  switch (e.cause) {
    case 'svc': return ['SVC'];
    case 'privileged': return io ? ['PRIV', 'IO'] : ['PRIV'];
    case 'privileged-problem': return ['PRIV', 'PROGRAM'];
    case 'diagnose': return ['DIAG'];
    case 'program':
      if (e.action === 'halt' || e.action === 'wait') return [];
      return e.code === PGM_PRIVILEGED ? ['PROGRAM', 'PRIV'] : ['PROGRAM'];
    case 'translation': return e.action === 'reflected' ? ['PROGRAM', 'TRANSLATION'] : ['TRANSLATION'];
    case 'external': return ['EXTERNAL'];
    case 'io': return ['IO'];
    case 'ccw': return ['CCW'];
    case 'instruction': return ['INSTRUCTION'];
    case 'command': return [];
  }
}

/** One TRACE setting. */
export interface TraceRule {
  cls: TraceClass;
  /** Only this code (SVC number, program code, DIAGNOSE code, opcode for PRIV/INSTRUCTION, device for IO, command for CCW). */
  code: number | null;
  /** true: log and go on (RUN); false: stop (NORUN, the default as in VM/370). */
  run: boolean;
  /** Who set it ('dap': the adapter's exception filters), so front ends can replace their own. */
  tag?: string;
}

/** The code a rule's filter compares with: the opcode for PRIV/INSTRUCTION, else the event code. */
function filterCode(rule: TraceRule, e: DebugEvent): number {
  if ((rule.cls === 'PRIV' || rule.cls === 'INSTRUCTION') && e.instruction) return e.instruction.word >>> 24;
  return e.code;
}

/** Does `rule` select `e`? */
export function ruleMatches(rule: TraceRule, e: DebugEvent): boolean {
  const cls = classesOf(e);
  const inClass = rule.cls === 'ALL' ? e.cause !== 'instruction' : cls.includes(rule.cls);
  return inClass && (rule.code === null || filterCode(rule, e) === rule.code);
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
