/**
 * A session: one guest program on the bare machine or in a virtual machine under CP, behind one
 * interface. Front ends (CLI, tests, benchmark, fuzzer, debugger) drive `run()` and read outcomes,
 * counters and state from here; none of them reaches into the interpreter.
 */
import { INT_CLASS_NAMES } from '../cpu/arch.ts';
import { CPU, STOP_BREAKPOINT, STOP_BUDGET, STOP_CHECKSTOP, STOP_DISABLED_WAIT, STOP_HALT, STOP_WAIT } from '../cpu/cpu.ts';
import { CONSOLE_ADDRESS } from '../cpu/io/console.ts';
import { standardDevices, type UnitRecordConfig, type UnitRecordDevices } from '../cpu/io/standard.ts';
import { makeStorage } from '../cpu/storage.ts';
import { checkstopMessage, pswValid } from '../cpu/lowcore.ts';
import { load } from '../guest/loader.ts';
import type { ObjectImage } from '../guest/object.ts';
import { ControlProgram } from '../monitor/cp.ts';
import { VirtualMachine } from '../monitor/vm.ts';
import { hex } from '../cpu/hex.ts';

export type Mode = 'bare' | 'vm';

/** How a run ended (or that it has not). */
export interface Outcome {
  state: 'running' | 'ended';
  reason: 'budget' | 'disabled-wait' | 'halt' | 'check-stop' | 'input-wait' | 'interruption-loop' | 'breakpoint';
  /** Disabled-wait code (PSW instruction address) or test-result code. */
  code: number;
  /** The documented success: a disabled wait with code 0, or DIAGNOSE X'F0' with result 0. */
  success: boolean;
  /** One line for a person. */
  message: string;
}

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
  /** vm mode: the virtual-machine assist (default on; `--no-assist`). */
  assist?: boolean;
}

/** The architectural state a guest can see, for comparisons. */
export interface GuestState { gpr: number[]; psw: [number, number]; cr: number[]; time: number }

export class Session {
  readonly mode: Mode;
  readonly mem: Int32Array;
  readonly devices: UnitRecordDevices;
  /** The real CPU (bare mode: the machine itself; vm mode: CP's real CPU). */
  readonly cpu: CPU;
  readonly cp: ControlProgram | null = null;
  readonly vm: VirtualMachine | null = null;
  readonly interrupts: GuestInterrupt[] = [];
  outcome: Outcome = { state: 'running', reason: 'budget', code: 0, success: false, message: 'not started' };

  constructor(image: Pick<ObjectImage, 'segments' | 'entry'>, opts: SessionOptions) {
    this.mode = opts.mode;
    this.mem = makeStorage(opts.storage ?? 1024 * 1024);
    const loaded = load(this.mem, image);
    if (!loaded.ok) throw new RangeError(loaded.error);
    // Under CP, guest output made while CP handles a trap is told after that trap's event (cp.afterEvent).
    const cp = opts.mode === 'bare' ? null : new ControlProgram();
    const gate = (f: ((l: string) => void) | undefined) => (f && cp ? (l: string) => cp.afterEvent(() => f(l)) : f);
    if (cp) opts = { ...opts, console: gate(opts.console), printer: gate(opts.printer) };
    this.devices = standardDevices(opts);
    const psw0 = this.mem[0], psw1 = this.mem[1];
    const rec = opts.recordInterrupts ?? false;
    if (opts.mode === 'bare') {
      this.cpu = new CPU(this.mem);
      this.cpu.io = this.devices.channel;
      this.cpu.consoleWrite = opts.console ?? null;
      this.cpu.setPsw(psw0, psw1);
      if (!pswValid(psw0, psw1)) this.cpu.checkStop('ipl-psw', 0, psw0, psw1); // PoO 5.1.2: an invalid IPL PSW stops the machine at once
      if (rec) this.cpu.onInterrupt = (cls, code, oldIa) => this.interrupts.push({ cls: INT_CLASS_NAMES[cls], code, oldIa, time: this.cpu.now });
    } else {
      this.cp = cp!;
      this.cpu = this.cp.cpu;
      const vm = new VirtualMachine((opts.name ?? 'GUEST').toUpperCase(), this.mem);
      vm.io = this.devices.channel;
      vm.consoleWrite = opts.console ?? null;
      vm.assist = opts.assist ?? true;
      vm.setPsw(psw0, psw1);
      if (!pswValid(psw0, psw1)) this.cp.stopVm(vm, 'check-stop', 0, checkstopMessage('ipl-psw', 0, psw0, psw1));
      if (rec) vm.onInterrupt = (cls, code, oldIa, time) => this.interrupts.push({ cls: INT_CLASS_NAMES[cls], code, oldIa, time });
      this.vm = this.cp.addVm(vm);
    }
  }

  /** Run up to `budget` guest instructions; returns (and keeps) the outcome. */
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
    const now = this.vm ? this.vm.now : this.cpu.now;
    this.devices.channel.inputArrived(CONSOLE_ADDRESS, now, this.mem);
    if (this.vm) this.cp!.wake(this.vm);
  }

  /** The guest's virtual time: instructions executed plus time skipped in the wait state. */
  get time(): number { return this.vm ? this.vm.now : this.cpu.now; }
  /** Guest instructions executed (directly or handled by CP); what an instruction budget counts. */
  get instructions(): number { return this.vm ? this.vm.counters.direct + this.vm.counters.handled : this.cpu.counters.instructions; }

  /** The state the guest can observe (registers, PSW, control registers, time). */
  guestState(): GuestState {
    if (this.vm) {
      const v = this.vm;
      return { gpr: [...v.gpr], psw: [v.pswFlags() | 0, v.ia], cr: [...v.cr], time: v.now };
    }
    const c = this.cpu;
    return { gpr: [...c.gpr], psw: [c.pswFlags() | 0, c.ia], cr: [...c.cr], time: c.now };
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
