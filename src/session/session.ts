/**
 * A session: one guest program on the bare machine or in a virtual machine under CP, behind one
 * interface, the machine facade (`Machine`, machine.ts). Front ends (CLI, tests, benchmark, fuzzer,
 * debugger, DAP, the web page) drive `run()` and read the outcome, PSW, registers, time, counters
 * and storage from here, and subscribe to `events`; none of them reaches into the interpreter,
 * and none needs to know whether the program runs bare or under CP.
 */
import { CPU, STOP_BREAKPOINT, STOP_BUDGET, STOP_CHECKSTOP, STOP_DISABLED_WAIT, STOP_HALT, STOP_WAIT } from '../cpu/cpu.ts';
import { Listeners, type CpuEvents } from '../cpu/events.ts';
import type { Clocks } from '../cpu/clocks.ts';
import { INT_CLASS_NAMES } from '../cpu/arch.ts';
import { CONSOLE_ADDRESS } from '../cpu/io/console.ts';
import { standardDevices, type UnitRecordConfig, type UnitRecordDevices } from '../cpu/io/standard.ts';
import { makeStorage } from '../cpu/storage.ts';
import { applyProfile, type Profile } from '../cpu/profiles.ts';
import { checkstopMessage, pswValid } from '../cpu/lowcore.ts';
import { load } from '../guest/loader.ts';
import type { ObjectImage } from '../guest/object.ts';
import { ControlProgram, type InstructionText } from '../monitor/cp.ts';
import type { PswData } from '../monitor/events.ts';
import { VirtualMachine } from '../monitor/vm.ts';
import { MachineEvents, type Machine, type Outcome, type OutputEvent } from './machine.ts';
import { machineCounterRows, machineCountersLine, machineStatsObject, machineStatsText, machineTrapSignal } from './stats.ts';
import { hex } from '../cpu/hex.ts';

export type { Outcome } from './machine.ts';
export type Mode = 'bare' | 'vm';

/** A guest-visible interruption, for equivalence checks and traces. */
export interface GuestInterrupt { cls: string; code: number; oldIa: number; time: number }

export interface SessionOptions extends UnitRecordConfig {
  mode: Mode;
  /** Storage size in bytes (default 1 MiB). */
  storage?: number;
  /** User ID of the VM (vm mode). */
  name?: string;
  /** Record guest-visible interruptions (equivalence tests). */
  recordInterrupts?: boolean;
  /** Compile hot loops (default true); false: the interpreter only (benchmarks, equivalence). */
  jit?: boolean;
  /** Instruction-set profile of the real machine (src/cpu/profiles.ts); default: the architecture. */
  profile?: Profile;
  /** With `profile`: count each leaky instruction's problem-state executions here, by opcode. */
  leakCounts?: Float64Array;
  /** Under CP: the hybrid VMM (theorem 3), interpreting while the virtual PSW is in supervisor state. */
  hybrid?: boolean;
  /** vm mode: the virtual-machine assist (default on; `--no-assist`). */
  assist?: boolean;
}

/** The architectural state a guest can see, for comparisons. */
export interface GuestState { gpr: number[]; psw: [number, number]; cr: number[]; time: number }

/**
 * What a front end sees of the guest's processor, bare or virtual: the real CPU on the bare
 * machine, the virtual machine's state under CP. Both implement it (only the shape is shared).
 */
interface GuestProcessor {
  readonly gpr: Int32Array; readonly cr: Int32Array; flags: number; cc: number; ia: number; now: number;
  readonly clocks: Clocks; readonly events: CpuEvents; pswFlags(): number; setPsw(flags: number, ia: number): void; reset(): void;
}

export class Session implements Machine {
  readonly mode: Mode;
  readonly mem: Int32Array;
  readonly devices: UnitRecordDevices;
  /** The real CPU (bare mode: the machine itself; vm mode: CP's real CPU). Below the facade. */
  readonly cpu: CPU;
  /** CP and the virtual machine (vm mode), or null. Below the facade. */
  readonly cp: ControlProgram | null = null;
  readonly vm: VirtualMachine | null = null;
  readonly interrupts: GuestInterrupt[] = [];
  outcome: Outcome = { state: 'running', reason: 'budget', code: 0, success: false, message: 'not started' };
  readonly events: MachineEvents;
  /** The processor the guest sees (the one place that tells bare from virtual). */
  private readonly guest: GuestProcessor;

  constructor(image: Pick<ObjectImage, 'segments' | 'entry'>, opts: SessionOptions) {
    this.mode = opts.mode;
    this.mem = makeStorage(opts.storage ?? 1024 * 1024);
    const loaded = load(this.mem, image);
    if (!loaded.ok) throw new RangeError(loaded.error);
    // Under CP, guest output made while CP handles a trap is told after that trap's event (cp.afterEvent).
    const cp = opts.mode === 'bare' ? null : new ControlProgram();
    const gate = (f: ((l: string) => void) | undefined) => (f && cp ? (l: string) => cp.afterEvent(() => f(l)) : f);
    // Output lines go to the options' sinks and to `output` subscribers (an event record only when someone listens).
    const output = new Listeners<OutputEvent>();
    const tee = (device: OutputEvent['device'], f: ((l: string) => void) | undefined) => (line: string) => {
      f?.(line);
      if (output.active) output.emit({ device, line });
    };
    opts = { ...opts, console: gate(tee('console', opts.console)), printer: gate(tee('printer', opts.printer)) };
    this.devices = standardDevices(opts);
    const psw0 = this.mem[0], psw1 = this.mem[1];
    const rec = opts.recordInterrupts ?? false;
    if (opts.mode === 'bare') {
      this.cpu = new CPU(this.mem);
      this.cpu.io = this.devices.channel;
      this.cpu.consoleWrite = opts.console ?? null;
      this.cpu.setPsw(psw0, psw1);
      if (!pswValid(psw0, psw1)) this.cpu.checkStop('ipl-psw', 0, psw0, psw1); // PoO 5.1.2: an invalid IPL PSW stops the machine at once
      this.guest = this.cpu;
    } else {
      this.cp = cp!;
      this.cpu = this.cp.cpu;
      const vm = new VirtualMachine((opts.name ?? 'GUEST').toUpperCase(), this.mem);
      vm.io = this.devices.channel;
      vm.consoleWrite = opts.console ?? null;
      vm.assist = opts.assist ?? true;
      vm.setPsw(psw0, psw1);
      if (!pswValid(psw0, psw1)) this.cp.stopVm(vm, 'check-stop', 0, checkstopMessage('ipl-psw', 0, psw0, psw1));
      this.vm = this.cp.addVm(vm);
      this.guest = vm;
      if (opts.hybrid) this.cp.hybrid = true;
    }
    if (opts.jit !== undefined) this.cpu.jit = opts.jit;
    if (opts.profile) applyProfile(this.cpu, opts.profile, opts.leakCounts);
    this.events = new MachineEvents(this.guest.events, this.cpu.events, this.cp, this.devices.channel, output);
    if (rec) this.events.on('interrupt', (e) => this.interrupts.push({ cls: INT_CLASS_NAMES[e.cls], code: e.code, oldIa: e.oldIa, time: e.time }));
  }

  /* ---- the facade (machine.ts) ---- */

  /** 'BARE', or the virtual machine's user ID. */
  get name(): string { return this.vm ? this.vm.name : 'BARE'; }
  /** True when the program runs in a virtual machine under CP. */
  get virtual(): boolean { return this.vm !== null; }
  /** The PSW as the program sees it (under CP: the virtual PSW). */
  psw(): PswData { const g = this.guest; return { flags: g.pswFlags() | 0, cc: g.cc, ia: g.ia }; }
  /** PSW word 0 without the condition code, as the program sees it. */
  get flags(): number { return this.guest.flags; }
  get ia(): number { return this.guest.ia; }
  /** Set the instruction address (BEGIN at an address). */
  set ia(a: number) { this.guest.ia = a; }
  /** Load a whole PSW, as the program sees it (STORE PSW; no validity check: the caller's). */
  setPsw(flags: number, ia: number): void { this.guest.setPsw(flags, ia); }
  get gpr(): Int32Array { return this.guest.gpr; }
  get cr(): Int32Array { return this.guest.cr; }
  /** The program's TOD clock, CPU timer and clock comparator. */
  get clocks(): Clocks { return this.guest.clocks; }
  /**
   * The translation table the hardware uses for the program: the real CPU's TLB on the bare
   * machine; under CP the VM's shadow table (the real TLB while the VM runs).
   */
  get tlb(): Int32Array { return this.vm ? this.vm.shadow : this.cpu.tlb; }
  /** CPU reset of the program's processor (PoO 2.6; CP's SYSTEM RESET for a VM). Storage is kept. */
  reset(): void { this.guest.reset(); }
  /** The interrupt key (EXTERNAL): an external interruption becomes pending for the program. */
  externalKey(): void {
    this.guest.clocks.keyPending = true;
    if (this.vm) this.cp!.wake(this.vm);
  }
  /** True while CP handles a trapped instruction: an event now belongs to it, and it counts once CP is done. */
  get inTrap(): boolean { return this.cp !== null && this.cp.inTrap; }
  /** How trap events and CP's messages show an instruction (a front end's disassembler with symbols). */
  set instructionText(f: InstructionText) { if (this.cp) this.cp.instructionText = f; }
  /** The counters as data (`--stats --json`): CP's for a VM, the CPU's on the bare machine. */
  statsObject(outcome?: Outcome): Record<string, unknown> { return machineStatsObject(this, outcome); }
  /** The counters for a person (`--stats`). */
  statsText(): string { return machineStatsText(this); }
  /** CP entries so far (0 on the bare machine: nothing traps). */
  get cpEntries(): number { return this.vm ? this.vm.counters.totalEntries : 0; }
  /** The counters as named rows (the DAP adapter's Counters scope). */
  counterRows(): [name: string, value: string][] { return machineCounterRows(this); }
  /** The counters in one line (the debugger's stop descriptions). */
  countersLine(): string { return machineCountersLine(this); }
  /** Changes whenever an interruption or CP (not the program's own instruction) may have written storage. */
  trapSignal(): number { return machineTrapSignal(this); }
  /** The real CPU's PSW (under CP: as the real CPU last ran the guest, in problem state). */
  realPsw(): PswData { const c = this.cpu; return { flags: c.pswFlags() | 0, cc: c.cc, ia: c.ia }; }

  /** Run up to `budget` guest instructions; returns (and keeps) the outcome: why it stopped. */
  run(budget: number): Outcome {
    return (this.outcome = this.vm ? this.runVm(budget) : this.runBare(budget));
  }

  private runBare(budget: number): Outcome {
    const cpu = this.cpu;
    const stop = cpu.run(budget);
    switch (stop) {
      case STOP_BUDGET: return running('budget', 'instruction budget spent');
      case STOP_BREAKPOINT: return running('breakpoint', `breakpoint at X'${hex(cpu.ia, 0)}'`);
      case STOP_WAIT: return running('input-wait', 'enabled wait: waiting for console input');
      case STOP_DISABLED_WAIT: return waitOutcome(cpu.ia);
      case STOP_HALT: return haltOutcome(cpu.haltCode);
      case STOP_CHECKSTOP: return ended(cpu.checkstopReason === 'interruption-loop' ? 'interruption-loop' : 'check-stop', 0, false, cpu.checkstopDetail);
      default: return ended('check-stop', 0, false, `unexpected stop ${stop}`);
    }
  }

  private runVm(budget: number): Outcome {
    const cp = this.cp!, vm = this.vm!;
    cp.runVm(vm, budget);
    if (vm.state === 'stopped') {
      const s = vm.stop!;
      if (s.reason === 'disabled-wait') return waitOutcome(s.code);
      if (s.reason === 'halt') return haltOutcome(s.code);
      if (s.reason === 'operator') return running('breakpoint', s.detail); // ADSTOP or TRACE NORUN: BEGIN resumes
      return ended(s.reason === 'interruption-loop' ? 'interruption-loop' : 'check-stop', s.code, false, s.detail);
    }
    if (vm.state === 'idle') return running('input-wait', 'enabled wait: waiting for console input');
    return running('budget', 'instruction budget spent');
  }

  /** Type a line at the console: queued for the next READ, or completing a waiting one. */
  input(line: string): void {
    this.devices.console.input(line);
    this.devices.channel.inputArrived(CONSOLE_ADDRESS, this.guest.now, this.mem);
    if (this.vm) this.cp!.wake(this.vm);
  }

  /** The guest's virtual time: instructions executed plus time skipped in the wait state. */
  get time(): number { return this.guest.now; }
  /** Guest instructions executed (directly or handled by CP); what an instruction budget counts. */
  get instructions(): number { return this.vm ? this.vm.counters.direct + this.vm.counters.handled : this.cpu.counters.instructions; }

  /** The state the guest can observe (registers, PSW, control registers, time). */
  guestState(): GuestState {
    const g = this.guest;
    return { gpr: [...g.gpr], psw: [g.pswFlags() | 0, g.ia], cr: [...g.cr], time: g.now };
  }

}

function running(reason: Outcome['reason'], message: string): Outcome { return { state: 'running', reason, code: 0, success: false, message }; }
function ended(reason: Outcome['reason'], code: number, success: boolean, message: string): Outcome { return { state: 'ended', reason, code, success, message }; }
function waitOutcome(code: number): Outcome {
  return ended('disabled-wait', code, code === 0, code === 0 ? 'disabled wait, code 0 (success)' : `disabled wait, code X'${hex(code, 0)}'`);
}
function haltOutcome(code: number): Outcome {
  return ended('halt', code, code === 0, code === 0 ? 'test result: PASS' : `test result: FAIL, code ${code}`);
}
