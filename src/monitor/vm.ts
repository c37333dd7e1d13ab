/**
 * A virtual machine as CP keeps it (RVirt's context, VM/370's VMBLOK): the guest's own virtual
 * PSW, control registers, clocks and time, its storage (the only storage it can address), its
 * shadow translation table and its virtual devices. Nothing here is the real machine's: the real
 * PSW and registers are loaded from this state when CP dispatches the VM, and saved back after.
 */
import { CR0_RESET, PSW_CC, PSW_CC_SHIFT, PSW_DAT, PSW_EXT, PSW_IO, TLB_ENTRIES } from '../cpu/arch.ts';
import { Clocks } from '../cpu/clocks.ts';
import type { IoSubsystem } from '../cpu/cpu.ts';

/** The shadow table of every VM that has not yet run with DAT on: all zero (no valid entry), never written. */
const NO_SHADOW = new Int32Array(TLB_ENTRIES);

/** Where a VM stands in CP's dispatcher. */
export type VmState =
  | 'ready' // can run
  | 'idle' // enabled wait with nothing scheduled: waits for input or a CP command
  | 'stopped' // disabled wait, halt, check-stop, loop detected, or operator stop: see `stop`
  | 'logged-off';

/** Why a VM stopped, as data (the CLI and the debugger narrate it). */
export interface VmStop {
  reason: 'disabled-wait' | 'halt' | 'check-stop' | 'interruption-loop' | 'operator';
  /** Disabled-wait code (the PSW's instruction address), DIAGNOSE test result, or 0. */
  code: number;
  detail: string;
}

/** CP entries by cause (VM/370's trace classes). */
export interface CpEntries {
  privileged: number; // privileged instruction in virtual supervisor state: emulated
  diagnose: number; // DIAGNOSE: a hypercall
  svc: number; // SUPERVISOR CALL: reflected
  program: number; // program interruption (incl. privileged operation in virtual problem state): reflected
  translation: number; // shadow-table miss: filled, or a guest page fault reflected
  external: number; // virtual external interruption presented (timer, comparator, EXTERNAL command)
  io: number; // virtual I/O interruption presented
}

export class VmCounters {
  /** Guest instructions the real CPU ran with no CP involvement. */
  direct = 0;
  /** Guest instructions CP handled (emulated, or reflected as interruptions). */
  handled = 0;
  emulated = 0;
  reflected = 0;
  shadowFills = 0;
  entries: CpEntries = { privileged: 0, diagnose: 0, svc: 0, program: 0, translation: 0, external: 0, io: 0 };
  /** Fraction of guest instructions run with no CP involvement (1 when none ran). */
  get efficiency(): number { const t = this.direct + this.handled; return t === 0 ? 1 : this.direct / t; }
  /** Total CP entries. */
  get totalEntries(): number { return Object.values(this.entries).reduce((a, b) => a + b, 0); }
}

export class VirtualMachine {
  /** User ID: up to 8 upper-case letters and digits. */
  readonly name: string;
  /** Guest (virtual-real) storage. */
  mem: Int32Array;
  readonly gpr = new Int32Array(16);
  /** Virtual control registers. */
  readonly cr = new Int32Array(16);
  /** Virtual PSW word 0 without the condition code. */
  flags = 0;
  cc = 0;
  ia = 0;
  /** The VM's virtual time: its own instructions, plus time skipped in its wait state. */
  now = 0;
  /** Virtual TOD clock, CPU timer and clock comparator. */
  readonly clocks = new Clocks();
  /**
   * Shadow translation table: guest-virtual page -> guest-real frame (the real CPU's TLB while the
   * VM runs). Allocated (16 KiB) on first use with the guest's DAT on; until then, a shared all-zero
   * table, which nothing writes: CP fills shadow entries only for a guest with DAT on, and the CPU
   * reads no TLB with DAT off. So an idle VM that never turned DAT on costs none (issue 11).
   */
  get shadow(): Int32Array<ArrayBuffer> { return this.shadowTable ?? ((this.flags & PSW_DAT) === 0 ? NO_SHADOW : (this.shadowTable = new Int32Array(TLB_ENTRIES))); }
  private shadowTable: Int32Array<ArrayBuffer> | null = null;
  /** Virtual channel subsystem and devices. */
  io: IoSubsystem | null = null;
  state: VmState = 'ready';
  stop: VmStop | null = null;
  /** Nesting level this VM sees in DIAGNOSE IDENTIFY. */
  readonly level: number;
  readonly counters = new VmCounters();
  /** Console line sink for DIAGNOSE X'10' (the paravirtual console path). */
  consoleWrite: ((line: string) => void) | null = null;
  /** Guest-visible interruption log hook (equivalence tests compare it with the bare machine's). */
  onInterrupt: ((cls: number, code: number, oldIa: number, now: number) => void) | null = null;
  /** Interruptions reflected since an instruction last completed (interruption-loop detection). */
  intStreak = 0;
  /** ADSTOP addresses (CP's operator command): the VM stops before an instruction there. */
  readonly adstops = new Set<number>();
  /** False right after BEGIN, so the VM can leave the ADSTOP address it stopped at. */
  adstopArmed = true;

  constructor(name: string, mem: Int32Array, level = 1) {
    this.name = name;
    this.mem = mem;
    this.level = level;
    this.reset();
  }

  /** Virtual CPU reset (CP's SYSTEM RESET): registers, PSW, control registers, clocks, shadow. */
  reset(): void {
    this.gpr.fill(0); this.cr.fill(0); this.cr[0] = CR0_RESET;
    this.flags = 0; this.cc = 0; this.ia = 0;
    this.clocks.reset(); this.shadow.fill(0);
    this.state = 'ready'; this.stop = null; this.intStreak = 0; this.pswLoads++;
  }

  get size(): number { return this.mem.length << 2; }
  get enabledMask(): number { return this.flags & (PSW_EXT | PSW_IO); }
  /** The virtual PSW's word 0 with the condition code, as the guest would store it. */
  pswFlags(): number { return (this.flags & ~PSW_CC) | (this.cc << PSW_CC_SHIFT); }
  /** Counts whole-PSW loads (setPsw, reset): DIAGNOSE X'08' sees whether a CP command replaced the PSW. */
  pswLoads = 0;
  setPsw(flags: number, ia: number): void {
    this.flags = flags & ~PSW_CC; this.cc = (flags & PSW_CC) >>> PSW_CC_SHIFT; this.ia = ia;
    this.pswLoads++;
  }
}
