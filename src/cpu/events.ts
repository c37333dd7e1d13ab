/**
 * Structured, multi-subscriber events of a machine (STYLE.md item 8: observability built in and
 * free when off). The real CPU offers them (`CPU.events`) and so does a virtual machine
 * (`VirtualMachine.events`, for the interruptions CP reflects into it); the channel offers its
 * CCWs the same way (`Channel.ccws`). Any number of front ends subscribe at once (the debugger,
 * `run --trace`, the equivalence recorder, the web page) without overwriting one another.
 *
 * Cost when nobody listens: the emitting code tests one integer (`mask`, a bit per kind with at
 * least one subscriber) and does nothing else; no event record is made. While someone listens,
 * each kind reuses one record (no allocation per event): a subscriber that keeps an event copies it.
 *
 * The events are facts (what the hardware did, with the instruction word involved), never prose:
 * narration renders them (src/monitor/narrate.ts), and only when someone listens.
 */

/** Bits of `mask`: which kinds have subscribers. */
export const EV_STEP = 1;
export const EV_INTERRUPT = 2;
export const EV_PRIVILEGED = 4;

/**
 * An interruption delivered by the PSW swap (PoO 5.1): the old PSW is already stored in low
 * storage, the new PSW not yet loaded (the registers are as the interrupted program left them).
 */
export interface InterruptEvent {
  /** Interruption class (INT_* of arch.ts). */
  cls: number;
  /** Interruption code (program code, SVC number, external code, device address). */
  code: number;
  /** The instruction address stored in the old PSW. */
  oldIa: number;
  /**
   * Address of the instruction that caused it (SVC, program), or -1 when none did (external,
   * I/O) or it could not be fetched (a fetch that failed has no instruction to show).
   */
  address: number;
  /** That instruction's word (0 when `address` is -1). */
  word: number;
  /** Failing address stored for a translation or protection exception, or -1. */
  failAddress: number;
  /** The machine's virtual time when the interruption was taken (before the instruction counts). */
  time: number;
}

/**
 * A privileged instruction the machine is about to execute itself, in supervisor state (on the
 * bare machine nothing traps: no control program sees it). Registers are as the instruction
 * begins; if it raises a program exception, an `interrupt` event follows.
 */
export interface PrivilegedEvent {
  /** Its address and word. */
  address: number;
  word: number;
  /** The second operand's effective address (D2(B2), or D2(X2) for RX), from the registers as it begins. */
  operand: number;
  /** The value of its R1 register as it begins (DIAGNOSE's test result, LRA's target...). */
  r1: number;
  time: number;
}

/** Before each instruction while stepping (someone subscribes to `step`): its address and the time. */
export interface StepEvent { address: number; time: number }

/** The kinds, by name. */
export interface CpuEventMap { step: StepEvent; interrupt: InterruptEvent; privileged: PrivilegedEvent }
export type CpuEventKind = keyof CpuEventMap;
export type Listener<E> = (e: E) => void;

const BIT: Record<CpuEventKind, number> = { step: EV_STEP, interrupt: EV_INTERRUPT, privileged: EV_PRIVILEGED };

/** The list of a Listeners nobody has subscribed to: shared, never changed (`add` makes a new list). */
const NOBODY: readonly never[] = Object.freeze([]);

/**
 * A list of subscribers of one kind of event, for emitters outside the CPU (the channel's CCWs).
 * `active` is the one test an emitter makes before building an event.
 */
export class Listeners<E> {
  private list: readonly Listener<E>[] = NOBODY;
  /** True when at least one subscriber listens. */
  active = false;
  /** Subscribe; returns the function that unsubscribes. */
  add(f: Listener<E>): () => void {
    this.list = [...this.list, f]; // a copy: emitting iterates the old list undisturbed
    this.active = true;
    return () => { this.list = this.list.filter((x) => x !== f); this.active = this.list.length > 0; };
  }
  emit(e: E): void { for (const f of this.list) f(e); }
}

/** The subscribers of one machine and the records it reuses, made at the first subscription. */
class Subscribed {
  readonly subs: { [K in CpuEventKind]: Listeners<CpuEventMap[K]> } = {
    step: new Listeners(), interrupt: new Listeners(), privileged: new Listeners(),
  };
  readonly rInt: InterruptEvent = { cls: 0, code: 0, oldIa: 0, address: -1, word: 0, failAddress: -1, time: 0 };
  readonly rPriv: PrivilegedEvent = { address: 0, word: 0, operand: 0, r1: 0, time: 0 };
  readonly rStep: StepEvent = { address: 0, time: 0 };
}

/**
 * The events of one machine (the real CPU or a virtual machine). Lists and records are made at
 * the first subscription: a machine nobody observes (each of 1,000 idle VMs) holds one integer.
 */
export class CpuEvents {
  /** EV_* bits of the kinds with at least one subscriber: the emitters' one test. */
  mask = 0;
  private s: Subscribed | null = null;

  /** Subscribe to one kind; returns the function that unsubscribes. */
  on<K extends CpuEventKind>(kind: K, f: Listener<CpuEventMap[K]>): () => void {
    const l = (this.s ??= new Subscribed()).subs[kind] as Listeners<CpuEventMap[K]>;
    const off = l.add(f);
    this.mask |= BIT[kind];
    return () => { off(); if (!l.active) this.mask &= ~BIT[kind]; };
  }

  /** Emit an interruption (callers test `mask & EV_INTERRUPT` first, so someone subscribed). */
  interrupt(cls: number, code: number, oldIa: number, address: number, word: number, failAddress: number, time: number): void {
    const s = this.s;
    if (s === null) return;
    const e = s.rInt;
    e.cls = cls; e.code = code; e.oldIa = oldIa; e.address = address; e.word = address < 0 ? 0 : word; e.failAddress = failAddress; e.time = time;
    s.subs.interrupt.emit(e);
  }

  /** Emit a privileged instruction about to execute (callers test `mask & EV_PRIVILEGED` first). */
  privileged(address: number, word: number, operand: number, r1: number, time: number): void {
    const s = this.s;
    if (s === null) return;
    const e = s.rPriv;
    e.address = address; e.word = word; e.operand = operand; e.r1 = r1; e.time = time;
    s.subs.privileged.emit(e);
  }

  /** Emit a step (callers test `mask & EV_STEP` first). */
  step(address: number, time: number): void {
    const s = this.s;
    if (s === null) return;
    const e = s.rStep;
    e.address = address; e.time = time;
    s.subs.step.emit(e);
  }
}
