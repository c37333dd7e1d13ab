/**
 * The real CPU (PoO 2-5): state, the run loop, and interruption delivery.
 *
 * `run(budget)` executes up to `budget` instructions and returns why it stopped (a STOP_* code).
 * The innocuous instructions run in `execute()` (interp.ts), a tight fetch/decode/switch loop over
 * locals; everything else leaves that loop with an exit code and is finished here or in the
 * handlers of privileged.ts. Interruptions are delivered by the old/new PSW swap (lowcore.ts),
 * unless the host asked to *intercept* their class: then the CPU stops and reports the event
 * (class, code, instruction address) without touching storage. That is how CP gets control;
 * nothing CP-specific lives here. The architected state and its plumbing are `ArchState`'s
 * (machine.ts), shared in shape with CP's virtual machines; a host may also hand the CPU a
 * guest's state for the virtual-machine assist (assist.ts, PoO 2.9).
 */
import {
  INT_PROGRAM, INT_SVC, PSW_DAT, PSW_EXT, PSW_FIXED_OVERFLOW, PSW_IO, PSW_PROBLEM,
  PSW_WAIT, pgmNullifies, TLB_ENTRIES, PGM_PRIVILEGED, PGM_OPERATION,
} from './arch.ts';
import { NEVER } from './clocks.ts';
import { checkstopMessage, type CheckstopCause } from './lowcore.ts';
import { ArchState } from './machine.ts';
import { assistPrivileged, assistProgram, assistSvc, type AssistedGuest } from './assist.ts';
import {
  execute, HOT_SIZE, INLINE_GO, INLINE_NONE, X_ACCESS, X_BUDGET, X_HOT, X_PGM, X_SLOW, X_STOP, X_SVC, XLATE_MISS,
} from './interp.ts';
import { JitCode, runHot } from './jit.ts';
import { HANDLERS, H_HALT, H_JUMP, H_MISS, H_NEXT, type Handler } from './handlers.ts';
import { walk } from './dat.ts';
import { xlate } from './access.ts';
import { horizon, takePending } from './pending.ts';
import { BY_OPCODE, OP, PRIVILEGED } from './isa.ts';
import { EV_INTERRUPT, EV_PRIVILEGED, EV_STEP } from './events.ts';
import { eaRS, eaRX } from './general.ts';
import { STOP_REASONS } from './stop.ts';

const OP_SVC = OP.SVC;

/** Longest slice handed to execute(): its counter is an int32. */
const MAX_SLICE = 0x3fff_ffff;

/** exit() results besides a STOP code: go on (nothing counted), or go on with one instruction counted. */
const GO_ON = -1;
const GO_ON_COUNTED = -2;
/** What an `InterceptHost` returns when it finished an interception and the run goes on: nothing counted (a retry). */
export const RESUME = GO_ON;
/** ... or: the intercepted instruction counted (the host advanced `now` by one). */
export const RESUME_COUNTED = GO_ON_COUNTED;

/** Why `run()` returned. */
export const STOP_BUDGET = 0; // the budget is spent
export const STOP_WAIT = 1; // enabled wait with nothing scheduled: the host must supply an event (input)
export const STOP_DISABLED_WAIT = 2; // wait state with the interruptions that could end it disabled
export const STOP_INTERCEPT = 3; // an intercepted event: see `CPU.icept`
export const STOP_BREAKPOINT = 4; // the instruction at a breakpoint address is next
export const STOP_CHECKSTOP = 5; // the machine stopped: an interruption's new PSW was invalid
export const STOP_HALT = 6; // DIAGNOSE X'F0' (test result) ended the run; see `CPU.haltCode`
/** The STOP codes' names (src/cpu/stop.ts names every stop reason once). */
export const STOP_NAMES = STOP_REASONS;

/** Interception controls (a host's mask, `CPU.intercepts`). */
export const ICPT_PROGRAM = 1; // every program interruption
export const ICPT_SVC = 2; // every supervisor-call interruption
export const ICPT_TRANSLATION = 4; // TLB misses: the host fills the TLB (CP's shadow tables)

export type { IoSubsystem } from './machine.ts';

/** What an interception reports. Fields are reused (no allocation per event). */
export class Interception {
  /** 'program' | 'svc' | 'translation' */
  kind: 'program' | 'svc' | 'translation' = 'program';
  /** Program interruption code, or SVC number. */
  code = 0;
  /** Address of the instruction (the PSW still points at it). */
  address = 0;
  /** The instruction word. */
  word = 0;
  /** Failing virtual address (translation, protection), or -1. */
  failAddress = -1;
  /** The failing access was a store. */
  write = false;
}

/**
 * A host that finishes interceptions without the CPU leaving run() (CP: a trapped instruction
 * emulated and the guest resumed costs no return to the host's dispatcher). Called with
 * `cpu.icept` filled; returns STOP_INTERCEPT to leave run() with the interception unfinished,
 * another STOP code to leave run() with it finished, or RESUME / RESUME_COUNTED to go on: the host
 * has then loaded the PSW and `now` it wants and bounded the run with `limitRun`.
 */
export interface InterceptHost {
  intercepted(cpu: CPU): number;
}

/** Counters of the real machine (observability; cheap integer increments off the hot loop). */
export class CpuCounters {
  instructions = 0;
  interruptions = new Float64Array(6);
  tlbMisses = 0;
}

export class CPU extends ArchState {
  /** Main storage (a CP zone when a VM runs). */
  mem: Int32Array;
  /** Storage size in bytes. */
  size: number;
  /** TLB: one entry per page of the 16 MiB virtual space (frame | TLB_VALID | TLB_PROTECT). */
  tlb = new Int32Array(TLB_ENTRIES);
  /**
   * Interpretive execution (assist.ts): the guest whose state a host handed the CPU; the CPU then
   * completes the guest's simplest privileged instructions and SVCs itself. null: no assist.
   */
  guest: AssistedGuest | null = null;
  /** Set by an assisted instruction: the time by which the host must see the guest again. */
  private guestDeadline = NEVER;
  /** ICPT_* bits: interruption classes the host takes instead of the architected delivery. */
  intercepts = 0;
  /** Who finishes an interception within run(), or null: run() stops with STOP_INTERCEPT. */
  host: InterceptHost | null = null;
  readonly icept = new Interception();
  /** DIAGNOSE test result (STOP_HALT). */
  haltCode = 0;
  /**
   * The instruction-set profile (profiles.ts), a thought experiment: opcode -> what a privileged
   * instruction does in problem state instead of trapping, as if the ISA broke Popek & Goldberg's
   * theorem 1 (x86's POPF). Null: the architecture, every privileged instruction traps.
   */
  leaky: readonly (Handler | undefined)[] | null = null;
  /** Breakpoint addresses; when non-empty the CPU runs one instruction at a time. */
  breakpoints = new Set<number>();
  /**
   * @deprecated A compatibility path for front ends written before `events`: called after each
   * interruption delivered by the PSW swap. One slot, which another front end can overwrite;
   * subscribe with `events.on('interrupt', ...)` instead.
   */
  onInterrupt: ((cls: number, code: number, oldIa: number) => void) | null = null;
  readonly counters = new CpuCounters();
  /** The instruction word an interpreter exit is about (xcode, xaddr, xwrite: see ArchState). */
  xword = 0;
  /** Remaining slice when execute() returned (set by execute). */
  xremain = 0;
  /** Instructions of the current slice completed before this call of execute() (the JIT's, and execute()'s before them). */
  xdone = 0;
  /** Set by finishInline: 1 when the instruction it finished did not count (a retry), else 0. */
  xuncounted = 0;
  /** The STOP code of a host that finished an instruction within the interpreter's loop and ended the run (X_STOP). */
  private hostStop = 0;
  checkstop = false;
  /** Why the machine check-stopped (PoO 5.9), and the one-line reason (`checkstopMessage`). */
  checkstopReason: CheckstopCause = 'new-psw';
  checkstopDetail = '';
  /** Run hot loops compiled (jit.ts) when no debugger is stepping (DAT on or off); false: interpreter only. */
  jit = true;
  /** Taken backward branches to one target before it is offered to the JIT. */
  jitThreshold = 64;
  /** The JIT's code cache and counters (a host may give several CPUs one). */
  jitCode = new JitCode();
  /** The interpreter's taken-backward-branch counters (interp.ts `hot`). */
  readonly hot = new Uint16Array(HOT_SIZE);

  constructor(mem: Int32Array) {
    super();
    this.mem = mem;
    this.size = mem.length << 2;
    this.reset();
  }

  /** CPU reset (PoO 2.6): registers, PSW, control registers, clocks and TLB cleared. Storage kept. */
  reset(): void {
    this.resetArch();
    this.now = 0; this.checkstop = false; this.checkstopDetail = ''; this.haltCode = 0;
  }

  /** Point the CPU at another storage (CP dispatching a VM's zone). The TLB is the host's to manage. */
  setStorage(mem: Int32Array): void { this.mem = mem; this.size = mem.length << 2; }

  /** Real address of `a` through the TLB; a miss is XLATE_MISS, for run() to walk and retry. */
  translate(a: number, write: boolean): number { return xlate(this, a, write); }
  /** The real TLB (CP's shadow table of the running VM while CP runs one). */
  purgeTlb(): void { this.tlb.fill(0); }

  /** Execute up to `budget` instructions; return a STOP_* code. */
  run(budget: number): number {
    let left = Math.max(0, Math.floor(budget));
    let first = true;
    for (;;) {
      if (this.checkstop) return STOP_CHECKSTOP;
      // With the wait bit and both masks off (a guest under CP always) no interruption can be due:
      // one test stands for the wait state, the pending check and the horizon.
      const maybe = (this.flags & (PSW_WAIT | PSW_EXT | PSW_IO)) !== 0;
      if (maybe) {
        if (this.flags & PSW_WAIT) {
          const w = this.waitState();
          if (w >= 0) return w;
          continue;
        }
        if (this.deliverPending()) continue;
      }
      if (left <= 0) return STOP_BUDGET;
      // Slices stay int32 for the interpreter's counter (PoO 7: time is the instruction count).
      let slice = left < MAX_SLICE ? left : MAX_SLICE;
      if (maybe) { const room = this.horizon() - this.now; if (room < slice) slice = room; }
      if (this.breakpoints.size > 0 || (this.events.mask & EV_STEP) !== 0) {
        if (!first && this.breakpoints.has(this.ia)) return STOP_BREAKPOINT;
        if ((this.events.mask & EV_STEP) !== 0) this.events.step(this.ia, this.now);
        slice = Math.min(slice, 1);
      }
      first = false;
      // Nothing deliverable although the horizon is due (an inconsistent device): make progress anyway.
      if (slice <= 0) slice = 1;
      this.xdone = 0;
      let x = execute(this, slice);
      // A hot loop head (X_HOT): run it compiled for what is left of the slice, then interpret on.
      while (x === X_HOT) {
        const rest = this.xremain - runHot(this, this.xremain);
        this.xdone = slice - rest;
        if (rest > 0) x = execute(this, rest); else { this.xremain = 0; x = X_BUDGET; }
      }
      const used = slice - this.xremain;
      left -= used; this.now += used; this.counters.instructions += used;
      if (used > 0) this.completed();
      if (x !== X_BUDGET) {
        if (x === X_STOP) return this.hostStop;
        const stop = this.intercepts === 0 ? this.exit(x) : this.hostedExit(x);
        if (stop >= 0) return stop;
        if (stop === GO_ON_COUNTED) left -= 1; // the exiting instruction completed or was interrupted: it counts
      }
      if (this.guestDeadline !== NEVER) { // an assisted or host-finished instruction: end the run when the host is due
        const room = this.guestDeadline - this.now;
        if (room < left) left = room > 0 ? room : 0;
        this.guestDeadline = NEVER;
      }
    }
  }

  /**
   * Finish an interpreter exit while a host (CP) runs a guest: an SVC or a privileged instruction
   * in problem state, completed by the assist (a guest handed over, assist.ts) or intercepted for
   * the host; anything else as exit() does. The same decisions as exit()'s, in a method of their
   * own so that V8 compiles the host's commonest paths whole, apart from the bare machine's.
   */
  private hostedExit(x: number): number {
    const w = this.xword, g = this.guest;
    if (x === X_SVC && (this.intercepts & ICPT_SVC) !== 0) {
      if (g !== null) { const d = assistSvc(this, g, w & 0xff); if (d >= 0) return this.assisted(d); }
      return this.intercept('svc', w & 0xff, -1, false);
    }
    if (x === X_SLOW && PRIVILEGED[w >>> 24] && (this.flags & PSW_PROBLEM) !== 0 && this.leaky === null) {
      if (g !== null) { const d = assistPrivileged(this, g, w); if (d >= 0) return this.assisted(d); }
      else if ((this.intercepts & ICPT_PROGRAM) !== 0) return this.intercept('program', PGM_PRIVILEGED, -1, this.xwrite);
      return this.programCheck(PGM_PRIVILEGED, -1);
    }
    return this.exit(x);
  }

  /** Finish an interpreter exit: a STOP code, GO_ON (retry, nothing counted) or GO_ON_COUNTED. */
  private exit(x: number): number {
    const w = this.xword;
    if (x === X_SVC) { // not intercepted (an intercepted SVC is hostedExit's)
      const ok = this.deliver(INT_SVC, w & 0xff, (this.ia + 4) & 0xffffff, -1, true);
      this.tick();
      return ok ? GO_ON_COUNTED : STOP_CHECKSTOP;
    }
    if (x === X_ACCESS) return this.access(this.xcode, this.xaddr, this.xwrite);
    if (x === X_PGM) return this.programCheck(this.xcode, -1);
    // X_SLOW: privileged and rare instructions.
    const op = w >>> 24;
    let h = HANDLERS[op];
    if (PRIVILEGED[op] && (this.flags & PSW_PROBLEM)) {
      h = this.leaky === null ? undefined : this.leaky[op]; // PoO 4.3.1: a leaky profile's problem-state behaviour
      if (!h) {
        if (this.guest) { const d = assistPrivileged(this, this.guest, w); if (d >= 0) return this.assisted(d); }
        return this.programCheck(PGM_PRIVILEGED, -1);
      }
    }
    if (!h) return this.programCheck(PGM_OPERATION, -1);
    if ((this.events.mask & EV_PRIVILEGED) !== 0 && PRIVILEGED[op]) {
      this.events.privileged(this.ia, w, BY_OPCODE[op]!.format === 'RX' ? eaRX(this, w) : eaRS(this, w), this.gpr[(w >>> 20) & 15], this.now);
    }
    const r = h(this, w);
    if (r === H_NEXT) { this.ia = (this.ia + 4) & 0xffffff; this.tick(); this.completed(); return GO_ON_COUNTED; }
    if (r === H_JUMP) { this.tick(); this.completed(); return GO_ON_COUNTED; }
    if (r === H_HALT) { this.ia = (this.ia + 4) & 0xffffff; this.tick(); this.completed(); return STOP_HALT; }
    if (r === H_MISS) return this.access(XLATE_MISS, this.xaddr, this.xwrite);
    return this.programCheck(r, this.xaddr);
  }

  /**
   * Finish within the interpreter's loop (interp.ts) an SVC or a problem-state privileged
   * instruction `w` of a hosted guest, at `ia` with condition code `cc`, `done` instructions into
   * this call of execute() (its time is now + xdone + done): the assist completes it (assist.ts),
   * or, with no guest handed over, the host takes the interception (InterceptHost). The same
   * decisions and the same work as after the loop (hostedExit), without leaving it. Returns
   * INLINE_NONE (nothing changed: the loop leaves as it would), INLINE_GO (go on), or the exit
   * code to leave the loop with: X_BUDGET (the host is due, or DAT or the program mask changed),
   * X_STOP (the run ends with hostStop). cpu.ia / cc / flags then hold the PSW to go on with.
   */
  finishInline(w: number, done: number, ia: number, cc: number): number {
    const svc = w >>> 24 === OP_SVC, g = this.guest, f = this.flags;
    if (svc ? (this.intercepts & ICPT_SVC) === 0 : (f & PSW_PROBLEM) === 0 || this.leaky !== null) return INLINE_NONE;
    if (g === null && (this.host === null || (!svc && (this.intercepts & ICPT_PROGRAM) === 0))) return INLINE_NONE;
    const now = this.now, at = now + this.xdone + done;
    this.ia = ia; this.cc = cc; this.now = at; // what the assist or the host reads of the real PSW and time
    if (g !== null) {
      const d = svc ? assistSvc(this, g, w & 0xff) : assistPrivileged(this, g, w);
      this.now = now; // execute()'s caller counts the slice's instructions, this one with them
      if (d < 0) return INLINE_NONE; // nothing changed (the assist loads the real PSW only when it completes)
      this.xuncounted = 0;
      if (d !== NEVER) { this.guestDeadline = d; return X_BUDGET; }
    } else {
      this.xword = w;
      const r = svc ? this.intercept('svc', w & 0xff, -1, false) : this.intercept('program', PGM_PRIVILEGED, -1, this.xwrite);
      // The host advanced the time by one if the instruction counted; execute()'s caller counts it with the slice.
      const counted = this.now === at + 1;
      if (counted) this.counters.instructions -= 1; // the host's instruction, not the real CPU's
      this.xuncounted = counted ? 0 : 1;
      this.now = now;
      if (r >= 0) { this.hostStop = r; return X_STOP; }
      if (this.guestDeadline !== NEVER) return X_BUDGET;
    }
    // A new DAT bit or program mask: execute() holds both in constants, so it starts afresh.
    return ((this.flags ^ f) & (PSW_DAT | PSW_FIXED_OVERFLOW)) !== 0 ? X_BUDGET : INLINE_GO;
  }

  /**
   * End the current run by time `t` (absolute), or now if `t` has passed: a host that resumed the
   * guest after an interception must see it again when its next virtual interruption is due.
   */
  limitRun(t: number): void { this.guestDeadline = t; }

  /** An instruction the assist completed for the guest; `deadline`: when the host must see the guest. */
  private assisted(deadline: number): number {
    this.tick(); this.completed();
    if (deadline !== NEVER) this.guestDeadline = deadline; // NEVER: nothing to bound (the commonest case)
    return GO_ON_COUNTED;
  }

  /**
   * An instruction completed: no interruption loop (PoO 5.2.1). With a guest handed over, its
   * streak is kept here too, since the assist reflects interruptions into it within the run.
   */
  private completed(): void {
    this.intStreak = 0;
    if (this.guest !== null) this.guest.intStreak = 0;
  }

  /** Count one instruction finished outside execute(). */
  private tick(): void { this.now += 1; this.counters.instructions += 1; }

  /** A storage access failed in execute() or a handler: a TLB miss to resolve, or a program check. */
  private access(code: number, addr: number, write: boolean): number {
    if (code !== XLATE_MISS) return this.programCheck(code, addr);
    this.counters.tlbMisses++;
    if (this.intercepts & ICPT_TRANSLATION) return this.intercept('translation', 0, addr, write);
    const e = walk(this, addr);
    if (e < 0) return this.programCheck(-e, addr);
    this.tlb[addr >>> 12] = e;
    return GO_ON; // retry the instruction; it has not counted
  }

  /** A program exception for the instruction at `ia` (PoO 5.3). */
  private programCheck(code: number, failAddr: number): number {
    if (this.intercepts & ICPT_PROGRAM) {
      if (this.guest) {
        // Reflected into the guest by the assist: the interrupted instruction counts, as under CP.
        const d = assistProgram(this, this.guest, code, failAddr);
        if (d >= 0) { this.tick(); this.guestDeadline = d; return GO_ON_COUNTED; }
      }
      return this.intercept('program', code, failAddr, this.xwrite);
    }
    // The interruption is logged at the time before the instruction counts, as CP's reflect does.
    const next = pgmNullifies(code) ? this.ia : (this.ia + 4) & 0xffffff;
    const ok = this.deliver(INT_PROGRAM, code, next, failAddr, true);
    this.tick();
    return ok ? GO_ON_COUNTED : STOP_CHECKSTOP;
  }

  private intercept(kind: Interception['kind'], code: number, failAddr: number, write: boolean): number {
    const i = this.icept;
    i.kind = kind; i.code = code; i.address = this.ia; i.word = this.xword; i.failAddress = failAddr; i.write = write;
    return this.host === null ? STOP_INTERCEPT : this.host.intercepted(this);
  }

  /**
   * The PSW swap (PoO 5.1) on real storage. `ia` is the instruction address for the old PSW.
   * Returns false (and check-stops) when the new PSW is invalid. `caused`: the instruction at the
   * current PSW address (word `xword`) caused it (an SVC, a program exception).
   */
  deliver(cls: number, code: number, ia: number, failAddr: number, caused = false): boolean {
    const p = this.newPsw;
    const ok = this.storeOldPsw(cls, code, ia, failAddr);
    this.counters.interruptions[cls]++;
    if ((this.events.mask & EV_INTERRUPT) !== 0) {
      // A fetch that failed has no instruction (the interpreter reports word 0 at the failing address).
      const fetched = caused && !(this.xword === 0 && failAddr === this.ia);
      this.events.interrupt(cls, code, ia, fetched ? this.ia : -1, this.xword, failAddr, this.now);
    }
    if (this.onInterrupt !== null) this.onInterrupt(cls, code, ia);
    if (!ok) { this.checkStop('new-psw', cls, p.flags, p.ia); return false; }
    if (!this.loadNewPsw(cls)) this.checkStop('interruption-loop', cls, p.flags, p.ia);
    return true;
  }

  /** Enter the check-stop state (PoO 5.9) for `cause`; the offending PSW names the reason. */
  checkStop(cause: CheckstopCause, cls: number, flags: number, ia: number): void {
    this.checkstop = true; this.checkstopReason = cause; this.checkstopDetail = checkstopMessage(cause, cls, flags, ia);
  }

  /** Time of the next interruption the current masks allow, or NEVER (bounds execute() slices). */
  private horizon(): number { return horizon(this.flags, this.cr[0], this.clocks, this.io, this.now); }

  /** Deliver one pending, enabled external or I/O interruption (PoO 5.4, 5.5). */
  private deliverPending(): boolean {
    const p = takePending(this.flags, this.cr[0], this.clocks, this.io, this.mem, this.now);
    if (p < 0) return false;
    this.deliver(p >>> 16, p & 0xffff, this.ia, -1);
    return true;
  }

  /** The wait state (PoO 5.6): skip virtual time to the next enabled event, or stop. */
  private waitState(): number {
    if (this.deliverPending()) return -1;
    const enabled = this.flags & (PSW_EXT | PSW_IO);
    const t = this.horizon();
    if (t < NEVER && t > this.now) { this.now = t; return -1; }
    return enabled ? STOP_WAIT : STOP_DISABLED_WAIT;
  }

  /** True when the PSW has the wait bit and could never leave it (the "disabled wait" program end). */
  get disabledWait(): boolean { return (this.flags & PSW_WAIT) !== 0 && (this.flags & (PSW_EXT | PSW_IO)) === 0; }
}
