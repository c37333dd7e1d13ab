/**
 * The architected state of a System/370-like machine (PoO 2-5), named once: PSW, general and
 * control registers, clocks and timers, storage, address translation, the channel. Two things
 * implement it: the real CPU (cpu.ts) and each virtual machine CP keeps (monitor/vm.ts). Their
 * state stays apart (STYLE 4: real and virtual never mixed); only the shape and the plumbing that
 * goes with it (PSW load and store, reset) are shared, so that every privileged instruction is
 * written once (privileged.ts) and runs against either: the real CPU on its own state, CP on a
 * virtual machine's state (as Hercules runs SIE guests on its one set of instruction routines).
 */
import { CR0_RESET, INT_SVC, INTERRUPTION_LOOP_LIMIT, PSW_CC, PSW_CC_SHIFT, PSW_DAT } from './arch.ts';
import { Clocks } from './clocks.ts';
import { CpuEvents } from './events.ts';
import { interrupt, pswValid, type Psw } from './lowcore.ts';

/** The channel subsystem as a machine sees it (PoO 8); io/channel.ts implements it. */
export interface IoSubsystem {
  startIO(addr: number, mem: Int32Array, now: number): number;
  testIO(addr: number, mem: Int32Array, now: number): number;
  haltIO(addr: number, mem: Int32Array, now: number): number;
  nextInterruptTime(): number;
  takeInterrupt(mem: Int32Array, now: number): number;
}

/** Most words one instruction translates before it changes anything (LM, STM, LCTL, STCTL). */
export const SCRATCH_WORDS = 16;

/**
 * A machine's architected state. Subclasses say how an operand address is translated and what
 * purging the TLB means for them; everything else is the same for the real and a virtual machine.
 */
export abstract class ArchState {
  /** Storage the machine addresses (the real CPU's may be swapped for a VM's zone by CP). */
  abstract mem: Int32Array;
  /** Storage size in bytes. */
  abstract readonly size: number;
  /** General registers. */
  gpr = new Int32Array(16);
  /** Control registers. */
  readonly cr = new Int32Array(16);
  /** PSW word 0 without the condition code. */
  flags = 0;
  /** Condition code 0-3. */
  cc = 0;
  /** Instruction address. */
  ia = 0;
  /** The machine's time: its instructions executed, plus time skipped in its wait state (PoO 7). */
  now = 0;
  /** TOD clock, CPU timer and clock comparator. */
  clocks = new Clocks();
  /** The channel subsystem, or null (then every I/O instruction gets condition code 3). */
  io: IoSubsystem | null = null;
  /** Nesting level reported by DIAGNOSE IDENTIFY (0: the bare machine). */
  level = 0;
  /** Console line sink for DIAGNOSE X'10'. */
  consoleWrite: ((line: string) => void) | null = null;
  /** Why the last storage access failed: a program code (or XLATE_MISS), the failing address or -1, a store. */
  xcode = 0;
  xaddr = -1;
  xwrite = false;
  /** Real addresses of an instruction's operand words, translated before anything changes. */
  readonly scratch = new Int32Array(SCRATCH_WORDS);
  /** The new PSW an interruption fetches (PoO 5.1), reused: no allocation per interruption. */
  readonly newPsw: Psw = { flags: 0, ia: 0 };
  /** Interruptions delivered since an instruction last completed (interruption-loop detection). */
  intStreak = 0;
  /**
   * Structured events (events.ts), for any number of subscribers: the interruptions this machine
   * takes (delivered by the real CPU, reflected by CP or the assist into a VM); on the real CPU
   * also privileged instructions executed and, while someone subscribes to `step`, each instruction.
   */
  readonly events = new CpuEvents();
  /** Counts whole-PSW loads (setPsw, reset): DIAGNOSE X'08' sees whether a CP command replaced the PSW. */
  pswLoads = 0;

  /**
   * Real address (for a virtual machine: guest-real) of operand address `a`, or -1 with the reason
   * in xcode / xaddr / xwrite (PoO 3.3, 6.2).
   */
  abstract translate(a: number, write: boolean): number;
  /** PURGE TLB (PoO 6.3): forget every translation made through the current tables. */
  abstract purgeTlb(): void;

  /** PSW word 0 with the condition code, as stored. */
  pswFlags(): number { return (this.flags & ~PSW_CC) | (this.cc << PSW_CC_SHIFT); }
  /** Load a whole PSW (no validity check; see `loadPswChecked`). */
  setPsw(flags: number, ia: number): void {
    this.flags = flags & ~PSW_CC; this.cc = (flags & PSW_CC) >>> PSW_CC_SHIFT; this.ia = ia;
    this.pswLoads++;
  }
  /** Load a PSW the way LPSW does (PoO 4.10.3); false if its format is invalid. */
  loadPswChecked(flags: number, ia: number): boolean {
    if (!pswValid(flags, ia)) return false;
    this.setPsw(flags, ia);
    return true;
  }
  /**
   * The PSW swap (PoO 5.1), first half, on this machine's storage: the old PSW (instruction
   * address `ia`) and the interruption code stored, the new PSW fetched into `newPsw`. False when
   * the new PSW is invalid (nothing loaded: the machine check-stops).
   */
  storeOldPsw(cls: number, code: number, ia: number, failAddr: number): boolean {
    return interrupt(this.mem, cls, code, this.flags, this.cc, ia, failAddr, this.newPsw);
  }
  /**
   * The PSW swap, second half: `newPsw` becomes the current PSW. An SVC completes its instruction;
   * any other interruption in a long run with no completed instruction is a loop (an enabled new
   * PSW meeting a condition that stays pending, or a handler that faults at once): false then, and
   * the machine stops rather than hang the host (PoO 5.2.1).
   */
  loadNewPsw(cls: number): boolean {
    this.setPsw(this.newPsw.flags, this.newPsw.ia);
    if (cls === INT_SVC) { this.intStreak = 0; return true; }
    return ++this.intStreak <= INTERRUPTION_LOOP_LIMIT;
  }

  /** True when DAT is on. */
  get dat(): boolean { return (this.flags & PSW_DAT) !== 0; }

  /** CPU reset (PoO 2.6): registers, PSW, control registers, clocks and TLB cleared; storage kept. */
  protected resetArch(): void {
    this.gpr.fill(0); this.cr.fill(0); this.cr[0] = CR0_RESET;
    this.flags = 0; this.cc = 0; this.ia = 0;
    this.clocks.reset(); this.purgeTlb(); this.intStreak = 0; this.pswLoads++;
  }
}
