/**
 * What the debugger traces: CP's trap events (src/monitor/events.ts) under CP, the same shape
 * made from the CPU's interruptions and decoded instructions on the bare machine, plus CCWs and
 * single instructions. One shape feeds TRACE output, trap stops, `--trace-json` and the DAP
 * adapter's exception stops.
 */
import {
  INT_CLASS_NAMES, INT_PROGRAM, INT_SVC, NEW_PSW, OLD_PSW, PGM_ADDRESSING, PGM_PAGE, PGM_PRIVILEGED, PGM_SEGMENT, PSW_CC, PSW_CC_SHIFT,
  PSW_DAT, PSW_PROBLEM, PTE_PFRA,
} from '../cpu/arch.ts';
import { OP, PRIVILEGED } from '../cpu/isa.ts';
import type { PrivilegedEvent } from '../cpu/events.ts';
import type { Machine } from '../session/machine.ts';
import { walkTables } from '../cpu/dat.ts';
import { storedInterruption, type PswData, type TrapAction, type TrapCause, type TrapEvent } from '../monitor/events.ts';
import { deliveredReason } from '../monitor/narrate.ts';
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


/** True for DIAGNOSE's instruction word. */
export function isDiagnose(word: number): boolean { return word >>> 24 === OP.DIAG; }
/** True for START I/O's instruction word (its CCWs are told after it). */
export function isStartIo(word: number): boolean { return word >>> 24 === OP.SIO; }

/**
 * Trap-shaped events of the bare machine, made from its CPU's events (the instruction word comes
 * with them: nothing is fetched or decoded again). Under CP this does nothing: CP's trap events
 * (`events.on('trap')`) tell the same interruptions with CP's reasons. `text` shows an instruction
 * (a disassembler with symbols, reading the registers as they are when the event comes);
 * `interruption` gets each delivered interruption and whether an instruction caused it (an SVC,
 * a program exception: it counts once the event is told); `privileged`, if given, each
 * privileged instruction the machine is about to execute in supervisor state. Returns the
 * function that unsubscribes.
 */
export function watchBare(m: Pick<Machine, 'mem' | 'events' | 'psw' | 'virtual'>,
  text: (word: number, address: number) => string, interruption: (e: DebugEvent, caused: boolean) => void,
  privileged?: (e: PrivilegedEvent) => void): () => void {
  if (m.virtual) return () => {};
  let last: PrivilegedEvent = { address: -1, word: 0, operand: 0, r1: 0, time: -1 };
  const offPriv = m.events.on('privileged', (e) => {
    last = { ...e };
    if (privileged && (m.psw().flags & PSW_PROBLEM) === 0) privileged(e);
  });
  const offInt = m.events.on('interrupt', (e) => {
    const instruction = e.address < 0 ? null : { address: e.address, word: e.word, text: text(e.word, e.address) };
    // A DIAGNOSE whose operand failed: its function, from the registers as it began.
    const diag = instruction && isDiagnose(e.word) && last.address === e.address && last.time === e.time ? last.operand & 0xfff : -1;
    interruption(bareInterruptEvent(m.mem, e.cls, e.code, e.time, instruction, diag), e.cls === INT_SVC || e.cls === INT_PROGRAM);
  });
  return () => { offPriv(); offInt(); };
}

/**
 * An interruption the bare machine delivered (from the CPU's `interrupt` event: the old PSW is already in
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
    reason: deliveredReason(name, code),
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
