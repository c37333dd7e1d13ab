/**
 * Trap events: every CP entry as structured data first (JSON lines, the debugger, the web view)
 * and text second (narrate.ts). Events are built only when somebody listens, so tracing costs
 * nothing when it is off (STYLE.md item 8).
 */

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
  | 'command'; // a CP command (operator, DIAGNOSE X'08')

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
  /** The virtual PSW before CP acted and after. */
  before: PswData;
  after: PswData;
  action: TrapAction;
  /** Why CP decided so, in one sentence (Popek & Goldberg terms where they apply). */
  reason: string;
  /** Cause-specific details (operands, CCWs, translation results). */
  details: Record<string, number | string | boolean | number[] | Record<string, number>[]>;
}

export type TrapListener = (e: TrapEvent) => void;
