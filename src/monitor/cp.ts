/**
 * CP, the control program: runs each virtual machine on the one real CPU by trap-and-emulate.
 *
 * To dispatch a VM, CP points the real CPU at the VM's storage zone, registers, clocks and
 * shadow table, loads a real PSW that is the virtual PSW *in problem state with interruptions
 * masked*, asks the CPU to intercept program interruptions, SVCs and translation misses, and runs
 * it for a slice that ends no later than the VM's next virtual interruption. Innocuous
 * instructions run at full interpreter speed with no CP involvement; everything else stops the
 * CPU and comes to `handleTrap` (dispatcher.ts). Virtual time advances only with the VM's own
 * instructions, so a VM's behaviour does not depend on CP's scheduling or on other VMs.
 */
import { DIAG_TEST_RESULT, INT_EXTERNAL, PSW_EXT, PSW_IO, PSW_PROBLEM, PSW_PROGRAM_MASK, PSW_WAIT } from '../cpu/arch.ts';
import { realPswFlags as realFlags } from '../cpu/assist.ts';
import { NEVER } from '../cpu/clocks.ts';
import {
  CPU, ICPT_PROGRAM, ICPT_SVC, ICPT_TRANSLATION, RESUME, RESUME_COUNTED, STOP_BREAKPOINT, STOP_BUDGET, STOP_INTERCEPT, STOP_NAMES,
  type InterceptHost, type Interception,
} from '../cpu/cpu.ts';
import { disassemble } from '../guest/disasm.ts';
import { horizon, takePending } from '../cpu/pending.ts';
import { makeStorage } from '../cpu/storage.ts';
import { handleTrap } from './dispatcher.ts';
import { hybridIntercept } from './hybrid.ts';
import { storedInterruption, type TrapAction, type TrapCause, type TrapEvent, type TrapListener } from './events.ts';
import { reasonFor } from './narrate.ts';
import { reflect } from './reflect.ts';
import { newCommandState, runCommand, type CommandState } from './commands.ts';
import type { ShadowHost, VirtualMachine, VmStop } from './vm.ts';

const MAX_SLICE = 0x3fff_ffff;

/** How the dispatcher describes an instruction in events (front ends may install a disassembler). */
export type InstructionText = (word: number, address: number) => string;

/**
 * The real PSW's word 0 (without CC) CP loads to run `vm`: real problem state always; masks off
 * (CP presents virtual interruptions itself); the guest's DAT, key and program mask, so
 * translation and overflow behave as the guest asked. Its CC and address are the virtual PSW's.
 */
export function realPswFlags(vm: VirtualMachine): number { return realFlags(vm.flags); }

export class ControlProgram implements InterceptHost, ShadowHost {
  /** The real machine. Its own storage is CP's; a VM's storage is swapped in while the VM runs. */
  readonly cpu: CPU;
  readonly vms: VirtualMachine[] = [];
  /**
   * Guest instructions executed, all VMs together, whoever completed them: the real CPU directly,
   * or CP (an emulated privileged instruction, a reflected SVC or program interruption). CP's own
   * clock, and what every instruction budget (`tinycp system --max-instructions`) counts: a guest
   * whose every instruction CP handles (an SVC whose new PSW points at itself) must spend its
   * budget like any other.
   */
  realTime = 0;
  /**
   * CP's real time as of now, also in the middle of a dispatch: `realTime` takes the instructions
   * the CPU ran directly when the dispatch ends or CP takes a trap, but with the assist the CPU
   * calls out between (a console line by DIAGNOSE, a device's START I/O) at a point CP's trap
   * handler would have seen with `realTime` up to date. This is that value.
   */
  get realNow(): number { return this.running !== null ? this.realTime + (this.cpu.now - this.runStart) : this.realTime; }
  /**
   * True while CP handles an intercepted instruction: an event now belongs to that instruction,
   * which counts (or, after a shadow fill, is retried and counts) once CP is done.
   */
  inTrap = false;
  /** The hybrid VMM of theorem 3 (hybrid.ts): interpret while the virtual PSW is in supervisor state. */
  hybrid = false;
  /** Hybrid mode: instructions CP looked at, and how many of them it handled (sensitive). */
  hybridSteps = 0;
  hybridHandled = 0;
  /** The interception being handled was made by the hybrid monitor, not by the real CPU (its event says so). */
  hybridTaken = false;
  /** Sequence number of the last trap event. */
  seq = 0;
  instructionText: InstructionText = (w, a) => disassemble(w, a).text;
  private listeners: TrapListener[] = [];
  /** The VM the real CPU runs (between dispatch's load and save), its assist state, and the time its direct execution was last counted from. */
  private running: VirtualMachine | null = null;
  private runAssisted = false;
  private runStart = 0;
  /** The trap event being built (between beginEvent and endEvent), while tracing. */
  private open: TrapEvent | null = null;
  /** What happened while `open` was being built and must be reported after it (halts, guest output). */
  private held: (() => void)[] = [];

  constructor(cpu?: CPU) {
    this.cpu = cpu ?? new CPU(makeStorage(64 * 1024));
  }

  addVm(vm: VirtualMachine): VirtualMachine { vm.host = this; this.vms.push(vm); return vm; }
  /** ShadowHost: `vm` got its own shadow table; if the real CPU is running it, that table is now its TLB. */
  shadowAllocated(vm: VirtualMachine): void { if (this.running === vm) this.cpu.tlb = vm.shadow; }
  vm(name: string): VirtualMachine | undefined { return this.vms.find((v) => v.name === name.toUpperCase()); }

  /** Subscribe to trap events; returns the unsubscribe function. */
  on(l: TrapListener): () => void {
    this.listeners.push(l);
    return () => { this.listeners = this.listeners.filter((x) => x !== l); };
  }
  get tracing(): boolean { return this.listeners.length > 0; }

  /** Run one VM for up to `budget` of its instructions (the mirror of CPU.run). Returns instructions used. */
  runVm(vm: VirtualMachine, budget: number): number {
    budget = Math.max(0, Math.floor(budget)); // budgets are whole instructions (a fraction would never be spent)
    let left = budget;
    while (vm.state === 'ready') {
      if (vm.flags & PSW_WAIT) { if (!this.waitState(vm)) break; continue; }
      if (this.deliverPending(vm)) continue;
      if (left <= 0) break;
      if (vm.adstops.size > 0 && this.adstop(vm)) break;
      let slice = Math.min(left, horizon(vm.flags, vm.cr[0], vm.clocks, vm.io, vm.now) - vm.now, MAX_SLICE);
      if (slice <= 0) slice = 1;
      const before = vm.now;
      // Theorem 3 (--hybrid, hybrid.ts): in virtual supervisor state CP looks at each instruction first.
      const hy = this.hybrid && (vm.flags & PSW_PROBLEM) === 0;
      this.hybridTaken = hy && hybridIntercept(this, vm);
      const stop = this.hybridTaken ? STOP_INTERCEPT : this.dispatch(vm, hy ? 1 : slice);
      left -= vm.now - before;
      if (stop === STOP_BUDGET || stop === STOP_BREAKPOINT) continue; // an ADSTOP is checked at the loop top
      if (stop === STOP_INTERCEPT) {
        if (this.trap(vm, this.cpu.icept)) left -= 1;
        continue;
      }
      this.stopVm(vm, 'check-stop', 0, `the real CPU stopped with '${STOP_NAMES[stop]}' while running the guest`);
    }
    return budget - left;
  }

  /** Handle one interception of `vm` (its state saved from the real CPU). True when the instruction counted. */
  private trap(vm: VirtualMachine, ic: Interception): boolean {
    this.inTrap = true;
    try {
      if (!handleTrap(this, vm, ic)) return false;
      vm.now += 1; vm.counters.handled++; this.realTime += 1;
      return true;
    } finally {
      this.trapDone();
    }
  }

  /** A trap handled, or CP failed inside its handler (an Error on its way out): nothing may stay held behind an event left open. */
  private trapDone(): void {
    this.inTrap = false;
    if (this.open) { this.open = null; const h = this.held; while (h.length) h.shift()!(); }
  }

  /**
   * Load the real CPU with the VM, run it, save it back. Returns the CPU's STOP code. While nobody
   * traces, no ADSTOP is set and CP is not the hybrid monitor, the CPU hands interceptions to
   * `intercepted` without leaving its run: CP handles the trap there and resumes the VM at once.
   */
  private dispatch(vm: VirtualMachine, slice: number): number {
    const cpu = this.cpu;
    cpu.setStorage(vm.mem);
    cpu.gpr = vm.gpr;
    cpu.tlb = vm.shadow;
    cpu.clocks = vm.clocks;
    cpu.io = null;
    cpu.intercepts = ICPT_PROGRAM | ICPT_SVC | ICPT_TRANSLATION;
    cpu.breakpoints = vm.adstops; // the real CPU stops at the VM's ADSTOPs (and steps while it has any)
    // The assist works on the VM's own state; off while anyone traces (every event must reach CP) or at ADSTOPs.
    const assisted = this.assisting(vm);
    cpu.guest = assisted ? vm : null;
    cpu.host = !this.hybrid && !this.tracing && vm.adstops.size === 0 ? this : null;
    this.running = vm; this.runAssisted = assisted;
    this.load(vm);
    try {
      return cpu.run(slice);
    } finally {
      cpu.guest = null; cpu.host = null; this.running = null;
      // CP failed inside a trap handled within the run (an Error): the VM keeps what CP had done.
      if (this.inTrap) this.trapDone(); else this.save(vm);
    }
  }

  /** The real CPU's PSW and time from the VM's: what CP loads to run it. */
  private load(vm: VirtualMachine): void {
    const cpu = this.cpu, now = vm.now;
    cpu.flags = realFlags(vm.flags);
    cpu.cc = vm.cc; cpu.ia = vm.ia; cpu.now = now;
    this.runStart = now; // the assist brings vm.now up to date as it goes
  }

  /** The VM's PSW and time from the real CPU's, and the instructions it ran counted as direct execution. */
  private save(vm: VirtualMachine): void {
    const cpu = this.cpu, now = cpu.now;
    vm.ia = cpu.ia; vm.cc = cpu.cc;
    vm.flags = (vm.flags & ~PSW_PROGRAM_MASK) | (cpu.flags & PSW_PROGRAM_MASK); // SPM is innocuous
    const used = now - this.runStart;
    if (used !== 0) {
      if (!this.runAssisted) vm.intStreak = 0; // with the assist the CPU kept the streak (it may reflect)
      vm.now = now;
      vm.counters.direct += used;
      this.realTime += used;
      this.runStart = now;
    }
  }

  /**
   * The real CPU intercepted an event of the running VM (InterceptHost): CP handles the trap as
   * runVm would, then resumes the VM in the same run, until its next virtual interruption is due
   * (at once when it entered the wait state): runVm's loop would present it exactly there. The run
   * ends instead (runVm goes on) when the VM stopped or when the handler changed what dispatch
   * decided: someone traces, an ADSTOP was set, the assist was switched, the storage replaced.
   * (CP never replaces a VM's registers or clocks, and the hybrid monitor is chosen at start.)
   */
  intercepted(cpu: CPU): number {
    const vm = this.running!;
    this.save(vm);
    this.inTrap = true;
    // No try/finally on this path (it costs): dispatch's finally cleans up after a failure.
    const counted = handleTrap(this, vm, cpu.icept);
    this.inTrap = false;
    if (counted) { vm.now += 1; vm.counters.handled++; this.realTime += 1; }
    this.load(vm);
    if (vm.state !== 'ready' || this.listeners.length !== 0 || vm.adstops.size !== 0 || vm.assist !== this.runAssisted
      || cpu.mem !== vm.mem) return STOP_BUDGET;
    // Masks off and no wait bit: no virtual interruption can be due (horizon() is NEVER), nothing to bound.
    if (vm.flags & (PSW_WAIT | PSW_EXT | PSW_IO)) this.bound(vm);
    return counted ? RESUME_COUNTED : RESUME;
  }

  /** End the real CPU's run when the VM's next virtual interruption is due, at once in its wait state. */
  private bound(vm: VirtualMachine): void {
    this.cpu.limitRun(vm.flags & PSW_WAIT ? vm.now : horizon(vm.flags, vm.cr[0], vm.clocks, vm.io, vm.now));
  }

  /** True when the real CPU may assist `vm` now: its assist is on, nobody traces, no ADSTOP is set. */
  assisting(vm: VirtualMachine): boolean { return vm.assist && !this.tracing && vm.adstops.size === 0; }

  /** Present one pending virtual interruption the virtual masks allow (the mirror of the CPU's). */
  private deliverPending(vm: VirtualMachine): boolean {
    const p = takePending(vm.flags, vm.cr[0], vm.clocks, vm.io, vm.mem, vm.now);
    if (p < 0) return false;
    const cls = p >>> 16, code = p & 0xffff;
    const ext = cls === INT_EXTERNAL;
    if (ext) vm.counters.entries.external++; else vm.counters.entries.io++;
    const before = this.tracing ? this.psw(vm) : null;
    const why = reflect(vm, cls, code, vm.ia, -1);
    if (before) {
      const stored = { before, details: {} };
      storedInterruption(vm.mem, cls, code, stored);
      this.emit(vm, ext ? 'external' : 'io', code, null, stored.before, 'injected', null, {});
    }
    if (why) this.stopVm(vm, why.reason, 0, why.detail, ext ? 'external' : 'io', code);
    return true;
  }

  /** The virtual wait state: skip the VM's time to its next enabled event, or park it. */
  private waitState(vm: VirtualMachine): boolean {
    if (this.deliverPending(vm)) return true;
    const t = horizon(vm.flags, vm.cr[0], vm.clocks, vm.io, vm.now);
    if (t < NEVER && t > vm.now) { vm.now = t; return true; }
    if (vm.enabledMask) {
      vm.state = 'idle';
      if (this.tracing) this.emit(vm, 'wait', 0, null, this.psw(vm), 'wait', null, {});
    } else {
      this.stopVm(vm, 'disabled-wait', vm.ia, `disabled wait, code X'${vm.ia.toString(16).toUpperCase()}'`);
    }
    return false;
  }

  /**
   * ADSTOP (VM/370): stop the VM before the instruction at an ADSTOP address. The real CPU
   * checks every instruction but the first of a dispatch; this checks that one, once per
   * instruction (not again right after BEGIN resumed the VM there).
   */
  private adstop(vm: VirtualMachine): boolean {
    const hit = vm.adstopArmed && vm.adstops.has(vm.ia);
    vm.adstopArmed = true;
    if (!hit) return false;
    vm.consoleWrite?.(`ADSTOP AT ${vm.ia.toString(16).toUpperCase().padStart(6, '0')}`);
    this.stopVm(vm, 'operator', vm.ia, `ADSTOP at X'${vm.ia.toString(16).toUpperCase()}'; #CP BEGIN resumes`);
    return true;
  }

  /** Make an idle VM ready again (input arrived, an interruption was injected). */
  wake(vm: VirtualMachine): void { if (vm.state === 'idle') vm.state = 'ready'; }

  /**
   * Stop a VM with a reason; the others keep running. The halt event names what caused the stop
   * (`cause`, `eventCode`: the interruption that could not be reflected, or by default DIAGNOSE
   * X'F0' for a test result, 'wait' for a disabled wait, 'command' for an operator stop, 'stop'
   * for a check-stop with no interruption behind it); a stop
   * made while CP handles a trap is reported after that trap's own event.
   */
  stopVm(vm: VirtualMachine, reason: VmStop['reason'], code: number, detail: string, cause?: TrapCause, eventCode?: number): void {
    vm.state = 'stopped';
    vm.stop = { reason, code, detail };
    if (!this.tracing) return;
    const c: TrapCause = cause ?? (reason === 'halt' ? 'diagnose' : reason === 'disabled-wait' ? 'wait' : reason === 'operator' ? 'command' : 'stop');
    const ec = eventCode ?? (reason === 'halt' ? DIAG_TEST_RESULT : code);
    const details: TrapEvent['details'] = reason === 'halt' ? { reason, result: code } : { reason };
    const psw = this.psw(vm);
    this.afterEvent(() => this.emit(vm, c, ec, null, psw, 'halt', detail, details));
  }

  /**
   * Run `f` now, or, while CP is building a trap event, right after that event is reported: what
   * a trapped instruction caused (a halt, guest console output) is told after the trap itself.
   */
  afterEvent(f: () => void): void {
    if (this.open) this.held.push(f); else f();
  }

  /**
   * Execute a CP command for a VM (DIAGNOSE X'08', the console). Returns a return code. It runs
   * with the VM's user's privilege classes, or `classes` when given (commands.ts).
   */
  command(vm: VirtualMachine, text: string, classes?: string): number { return runCommand(this, vm, text, classes); }
  /** What the command language keeps for this CP: the time-sharing services, the TRACE settings. */
  readonly commands: CommandState = newCommandState();

  /* ---- trap events ---- */

  private psw(vm: VirtualMachine) { return { flags: vm.pswFlags(), cc: vm.cc, ia: vm.ia }; }

  /** Start an event for an interception (only called while tracing). */
  beginEvent(vm: VirtualMachine, ic: Interception): TrapEvent {
    return this.open = {
      seq: 0, vm: vm.name, time: vm.now, cause: 'program', code: ic.code,
      // A failed instruction fetch has no instruction (the CPU reports word 0): none is shown.
      instruction: ic.word === 0 && ic.failAddress === ic.address ? null
        : { address: ic.address, word: ic.word, text: this.instructionText(ic.word, ic.address) },
      before: this.psw(vm), after: this.psw(vm), action: 'emulated', reason: '', details: this.hybridTaken ? { hybrid: true } : {},
    };
  }

  /** Finish and report the open event (its reason rendered now: someone listens), then what it caused. */
  endEvent(vm: VirtualMachine, ev: TrapEvent, cause: TrapCause, code: number, action: TrapAction): void {
    ev.seq = ++this.seq; ev.cause = cause; ev.code = code; ev.action = action;
    ev.reason = reasonFor(ev);
    ev.after = this.psw(vm);
    this.open = null;
    this.report(ev);
  }

  /**
   * Give `ev` to every listener, then run what was held for after it: a listener that stops the
   * VM (TRACE NORUN) or writes to a console is reported after every listener has seen `ev`.
   */
  private report(ev: TrapEvent): void {
    const outer = this.open;
    const caused = this.held; // what the event's instruction caused: told after the listeners' own lines
    this.held = [];
    this.open = ev;
    try { for (const l of this.listeners) l(ev); } finally {
      this.open = outer;
      this.held.push(...caused);
    }
    if (outer) return;
    const held = this.held;
    while (held.length) held.shift()!();
  }

  private emit(vm: VirtualMachine, cause: TrapCause, code: number, instruction: TrapEvent['instruction'],
    before: TrapEvent['before'], action: TrapAction, reason: string | null, details: TrapEvent['details']): void {
    const ev: TrapEvent = {
      seq: ++this.seq, vm: vm.name, time: vm.now, cause, code, instruction, before, after: this.psw(vm), action, reason: reason ?? '', details,
    };
    if (reason === null) ev.reason = reasonFor(ev); // prose only here, where someone listens (narrate.ts)
    this.report(ev);
  }
}
