/**
 * The machine facade: "a machine I can run", the one contract front ends (the CLI, the debugger,
 * the DAP server, the benchmarks, the web page) program against, whether the program runs on
 * the bare machine or in a virtual machine under CP (STYLE.md items 6 and 7; trs80's `Hal`,
 * TinyEMU's `riscv_cpu_interp_x`). `Session` (session.ts) implements it for both modes.
 *
 * - `run(budget)` runs up to `budget` of the program's instructions and says why it stopped (an
 *   `Outcome`, whose `reason` is a `MachineStopReason`, src/cpu/stop.ts);
 * - the state the program sees: `psw()`, `gpr`, `cr`, `time`, `instructions`, `mem`;
 * - `events`: structured, multi-subscriber events (interruptions, privileged instructions, CP's
 *   trap events, CCWs, output lines), free when nobody subscribes.
 */
import type { CpuEvents, InterruptEvent, Listener, Listeners, PrivilegedEvent } from '../cpu/events.ts';
import type { Channel, CcwEvent } from '../cpu/io/channel.ts';
import type { MachineStopReason } from '../cpu/stop.ts';
import type { ControlProgram } from '../monitor/cp.ts';
import type { PswData, TrapEvent } from '../monitor/events.ts';

export type { MachineStopReason, StopReason } from '../cpu/stop.ts';

/** How a run ended (or that it has not). */
export interface Outcome {
  /** 'running': `run()` again goes on (after input, for 'input-wait'); 'ended': the program is done. */
  state: 'running' | 'ended';
  reason: MachineStopReason;
  /** Disabled-wait code (PSW instruction address) or test-result code. */
  code: number;
  /** The documented success: a disabled wait with code 0, or DIAGNOSE X'F0' with result 0. */
  success: boolean;
  /** One line for a person. */
  message: string;
}

/** What `Machine.events` offers, by name. */
export interface MachineEventMap {
  /**
   * Every interruption the program sees (PoO 5.1): delivered by the bare CPU, or reflected into
   * the VM by CP. The old PSW is stored, the new one not yet loaded. `address`/`word` name the
   * causing instruction on the bare machine; under CP they are -1/0 (CP's `trap` event has it).
   */
  interrupt: InterruptEvent;
  /** A privileged instruction the bare machine executes in supervisor state (under CP: never; it traps). */
  privileged: PrivilegedEvent;
  /** Each CP entry (under CP; on the bare machine nothing traps). Its `reason` prose is rendered only because someone listens. */
  trap: TrapEvent;
  /** Each CCW the program's channel uses, TICs included. */
  ccw: CcwEvent;
  /** Each line the program writes to its console (I/O or DIAGNOSE X'10') or printer. */
  output: OutputEvent;
}

/** A line of the program's output. */
export interface OutputEvent { device: 'console' | 'printer'; line: string }
export type MachineEventKind = keyof MachineEventMap;

/**
 * The events of one machine, for any number of subscribers. Each kind is wired to its source only
 * while it has a subscriber, so a machine nobody watches pays nothing.
 */
export class MachineEvents {
  constructor(
    private readonly guest: CpuEvents,
    private readonly real: CpuEvents,
    private readonly cp: ControlProgram | null,
    private readonly channel: Channel,
    private readonly output: Listeners<OutputEvent>,
  ) {}

  /** Subscribe to one kind; returns the function that unsubscribes. */
  on<K extends MachineEventKind>(kind: K, f: Listener<MachineEventMap[K]>): () => void {
    switch (kind) {
      case 'interrupt': return this.guest.on('interrupt', f as Listener<InterruptEvent>);
      // Under CP the real CPU runs privileged instructions only for CP itself, never for the guest.
      case 'privileged': return this.cp ? () => {} : this.real.on('privileged', f as Listener<PrivilegedEvent>);
      case 'trap': return this.cp ? this.cp.on(f as Listener<TrapEvent>) : () => {};
      case 'ccw': return this.channel.ccws.add(f as Listener<CcwEvent>);
      case 'output': return this.output.add(f as Listener<OutputEvent>);
      default: throw new RangeError(`no event kind '${String(kind)}'`);
    }
  }
}

/** The facade. See the module comment; `Session` is the implementation. */
export interface Machine {
  /** 'bare' or 'vm'. Front ends need not branch on it; it is for display and options. */
  readonly mode: 'bare' | 'vm';
  /** 'BARE', or the VM's user ID. */
  readonly name: string;
  /** True under CP (for display: a front end need not branch on it). */
  readonly virtual: boolean;
  /** Run up to `budget` instructions of the program; returns (and keeps in `outcome`) why it stopped. */
  run(budget: number): Outcome;
  readonly outcome: Outcome;
  /** The PSW as the program sees it (under CP: the virtual PSW). */
  psw(): PswData;
  /** General and control registers as the program sees them (live arrays). */
  readonly gpr: Int32Array;
  readonly cr: Int32Array;
  /** Virtual time: the program's instructions plus time skipped in its wait state. */
  readonly time: number;
  /** The program's instructions executed (what a budget counts). */
  readonly instructions: number;
  /** The program's storage (word array, big-endian words). */
  readonly mem: Int32Array;
  readonly events: MachineEvents;
  /** Type a line at the program's console. */
  input(line: string): void;
}
