/**
 * Trap events: every CP entry as structured data first (JSON lines, the debugger, the web view)
 * and text second (narrate.ts). Events are built only when somebody listens, so tracing costs
 * nothing when it is off (STYLE.md item 8).
 */
import { INT_PROGRAM, LC_TRANS_ADDR, OLD_PSW, PGM_PAGE, PGM_PROTECTION, PGM_SEGMENT, PSW_CC, PSW_CC_SHIFT } from '../cpu/arch.ts';

/** Why CP got control. */
export type TrapCause =
  | 'privileged' // a privileged instruction (guest in virtual supervisor state)
  | 'privileged-problem' // a privileged instruction in virtual problem state
  | 'diagnose' // DIAGNOSE: CP's hypercall interface
  | 'svc' // SUPERVISOR CALL
  | 'program' // any other program interruption
  | 'translation' // shadow-table miss (TLB miss in OSTEP's terms)
  | 'external' // a virtual external interruption became deliverable
  | 'io' // a virtual I/O interruption became deliverable
  | 'command' // a CP command (operator, DIAGNOSE X'08')
  | 'wait' // the guest loaded a wait PSW (an enabled wait with nothing scheduled, or a disabled wait)
  | 'stop'; // the VM check-stopped with no guest interruption behind it (an invalid IPL PSW, a CP or real-CPU failure)

/** What CP did about it. */
export type TrapAction =
  | 'emulated' // performed the instruction against the virtual state, resumed after it
  | 'reflected' // delivered an interruption into the guest (old PSW, code, new PSW)
  | 'hypercall' // performed a DIAGNOSE function
  | 'shadow-fill' // copied a guest translation into the shadow table, retried the instruction
  | 'wait' // the guest entered the wait state
  | 'halt' // the VM stopped (test result, disabled wait, check-stop, loop)
  | 'injected'; // presented a pending external or I/O interruption

/** A PSW as data. */
export interface PswData { flags: number; cc: number; ia: number }

/** One CP entry. */
export interface TrapEvent {
  /** Sequence number across the whole CP run, from 1. */
  seq: number;
  /** User ID of the VM. */
  vm: string;
  /** The VM's virtual time (instruction count) at the event. */
  time: number;
  cause: TrapCause;
  /** Program interruption code, SVC number, DIAGNOSE code, external code, device address (per cause). */
  code: number;
  /** The guest instruction involved, if any. */
  instruction: { address: number; word: number; text: string } | null;
  /**
   * The virtual PSW before the event and after it. For an interruption (reflected, injected, and
   * the bare machine's delivered) `before` is the old PSW exactly as stored in the guest's low
   * storage, what the guest's handler sees (PoO 5.1: for an SVC or a suppressing program check,
   * the next instruction's address; for a nullifying one, the instruction's own), and `after`
   * the new PSW. For an emulated instruction `before` is the PSW as the instruction began.
   */
  before: PswData;
  after: PswData;
  action: TrapAction;
  /**
   * Why CP decided so, in one sentence (Popek & Goldberg terms where they apply). Rendered by
   * narrate.ts from the structured fields when the event is emitted (only when someone listens).
   */
  reason: string;
  /**
   * Cause-specific details (operands, CCWs, translation results). A reflected segment- or
   * page-translation or protection exception carries `failingAddress`, read back from the guest's low storage
   * (X'90'), in both modes.
   */
  details: Record<string, number | string | boolean | number[] | Record<string, number>[]>;
}

export type TrapListener = (e: TrapEvent) => void;

/**
 * Set `ev.before` to the old PSW of class `cls` as stored in `mem`, and for a segment- or
 * page-translation or protection exception (those always store one, PoO 5.3.3)
 * `ev.details.failingAddress` to the address stored at X'90'. The
 * bare machine's events use the same function, so both modes say the same.
 */
export function storedInterruption(mem: Int32Array, cls: number, code: number, ev: Pick<TrapEvent, 'before' | 'details'>): void {
  const o = OLD_PSW[cls] >>> 2;
  ev.before = { flags: mem[o], cc: (mem[o] & PSW_CC) >>> PSW_CC_SHIFT, ia: mem[o + 1] & 0xffffff };
  if (cls === INT_PROGRAM && (code === PGM_SEGMENT || code === PGM_PAGE || code === PGM_PROTECTION)) ev.details.failingAddress = mem[LC_TRANS_ADDR >>> 2] & 0xffffff;
}
