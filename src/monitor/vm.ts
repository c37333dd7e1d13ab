/**
 * A virtual machine as CP keeps it (RVirt's context, VM/370's VMBLOK): the guest's own virtual
 * PSW, control registers, clocks and time, its storage (the only storage it can address), its
 * shadow translation table and its virtual devices. Nothing here is the real machine's: the real
 * PSW and registers are loaded from this state when CP dispatches the VM, and saved back after.
 */
import { PGM_ADDRESSING, PGM_PROTECTION, PSW_DAT, PSW_EXT, PSW_IO, PTE_PFRA, TLB_ENTRIES, TLB_PROTECT, TLB_VALID } from '../cpu/arch.ts';
import { walkTables } from '../cpu/dat.ts';
import { AssistCounters } from '../cpu/assist.ts';
import { ArchState } from '../cpu/machine.ts';
import type { VmStopReason } from '../cpu/stop.ts';

/** Where a VM stands in CP's dispatcher. */
export type VmState =
  | 'ready' // can run
  | 'idle' // enabled wait with nothing scheduled: waits for input or a CP command
  | 'stopped' // disabled wait, halt, check-stop, loop detected, or operator stop: see `stop`
  | 'logged-off';

/** Why a VM stopped, as data (the CLI and the debugger narrate it). */
export interface VmStop {
  reason: VmStopReason;
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

/**
 * The shadow table of every VM that has no table of its own yet: all entries invalid, so every
 * access through it misses, exactly as through a VM's own empty table. One for the whole process
 * and never written: whatever writes a VM's shadow table first calls `ownShadow()`, and purging
 * it has nothing to purge. A VM whose guest never turns DAT on (an idle CMS user) never costs a
 * table (16 KiB for 4,096 pages).
 */
const NO_SHADOW = new Int32Array(TLB_ENTRIES);

/** True when `t` is the shared empty shadow table (a TLB that must not be written). */
export function isSharedShadow(t: Int32Array): boolean { return t === NO_SHADOW; }

/** Who must know when a VM gets its own shadow table: CP, whose real CPU may be running the VM with the old one as its TLB. */
export interface ShadowHost { shadowAllocated(vm: VirtualMachine): void }

/**
 * The architected state (cpu/machine.ts) is the guest's: its PSW, registers and clocks are virtual,
 * its storage is guest-real, its TLB is CP's shadow table. CP runs the shared privileged handlers
 * on it (cpu/handlers.ts `executePrivileged`).
 */
export class VirtualMachine extends ArchState {
  /** User ID: up to 8 upper-case letters and digits. */
  readonly name: string;
  /** Guest (virtual-real) storage. */
  mem: Int32Array;
  /**
   * Shadow translation table: guest-virtual page -> guest-real frame (the real CPU's TLB while the
   * VM runs). The shared empty table until the first entry is filled (`ownShadow`); read it freely,
   * write it only through `ownShadow()`. Once its own, it stays (a purge empties it in place).
   */
  shadow: Int32Array<ArrayBuffer> = NO_SHADOW;
  /**
   * CP (it sets itself when it adds the VM). While its real CPU runs the VM, the CPU's TLB is this
   * shadow table, so CP points the TLB at the table allocated then (by the assist, or by CP's own
   * handling of a trap within the run).
   */
  host: ShadowHost | null = null;
  state: VmState = 'ready';
  stop: VmStop | null = null;
  readonly counters = new VmCounters();
  /**
   * The virtual-machine assist for this VM (src/cpu/assist.ts): the real CPU completes the simplest
   * privileged instructions and SVCs itself. CP suspends it while the VM is traced or has ADSTOPs.
   */
  assist = true;
  /** Per instruction: completed by the assist, or passed to CP. */
  readonly assistCounters = new AssistCounters();
  /** ADSTOP addresses (CP's operator command): the VM stops before an instruction there. */
  readonly adstops = new Set<number>();
  /** False right after BEGIN, so the VM can leave the ADSTOP address it stopped at. */
  adstopArmed = true;

  constructor(name: string, mem: Int32Array, level = 1) {
    super();
    this.name = name;
    this.mem = mem;
    this.level = level;
    this.reset();
  }

  /** Virtual CPU reset (CP's SYSTEM RESET): registers, PSW, control registers, clocks, shadow. */
  reset(): void {
    this.resetArch();
    this.state = 'ready'; this.stop = null;
  }

  get size(): number { return this.mem.length << 2; }
  get enabledMask(): number { return this.flags & (PSW_EXT | PSW_IO); }

  /**
   * Guest-real address of guest address `a` (-1 with xcode / xaddr on failure), as CP resolves an
   * operand of an instruction it executes for the guest: through the guest's own tables when the
   * guest has DAT on, resolving a miss exactly as the real machine's TLB would (walk, fill the
   * shadow entry), so the instruction leaves the same translation state behind as on the bare machine.
   */
  translate(a: number, write: boolean): number {
    a &= 0xffffff;
    if ((this.flags & PSW_DAT) === 0) {
      if (a < this.size) return a;
      this.xcode = PGM_ADDRESSING; this.xaddr = -1; return -1;
    }
    let e = this.shadow[a >>> 12];
    if ((e & TLB_VALID) === 0) {
      e = walkTables(this.mem, this.cr[1], a);
      // The machine stores the address for any walk failure.
      if (e < 0) { this.xcode = -e; this.xaddr = a; this.xwrite = write; return -1; }
      this.ownShadow()[a >>> 12] = e;
      this.counters.shadowFills++;
    }
    if (write && (e & TLB_PROTECT) !== 0) { this.xcode = PGM_PROTECTION; this.xaddr = a; this.xwrite = true; return -1; }
    return (e & PTE_PFRA) | (a & 0xfff);
  }

  /** The guest's TLB is CP's shadow table: purging it purges the shadow (the shared empty one holds nothing). */
  purgeTlb(): void { if (this.shadow !== NO_SHADOW) this.shadow.fill(0); }

  /** True once the VM has a shadow table of its own. */
  get hasShadow(): boolean { return this.shadow !== NO_SHADOW; }

  /**
   * This VM's own shadow table, allocated (empty) if it still has the shared one: call it before
   * any write. The host is told at once, so a real CPU running the VM and CP never see two tables.
   */
  ownShadow(): Int32Array {
    if (this.shadow === NO_SHADOW) {
      this.shadow = new Int32Array(TLB_ENTRIES);
      this.host?.shadowAllocated(this);
    }
    return this.shadow;
  }

  /**
   * Put back a saved shadow table (snapshot restore, relocation): its entries, or an empty
   * table. A table of all invalid entries needs no table of its own.
   */
  restoreShadow(saved: Int32Array): void {
    if (saved.length !== TLB_ENTRIES) throw new RangeError(`a shadow table has ${TLB_ENTRIES} entries, not ${saved.length}`);
    if (this.shadow === NO_SHADOW && saved.every((e) => e === 0)) return;
    this.ownShadow().set(saved);
  }

  /**
   * Real bytes CP holds for this VM beyond its storage, in typed arrays: registers, the shadow
   * table once it has one, the assist counters once used (what `bytes_per_idle_vm_accounted` and
   * the time-sharing report's real storage count).
   */
  get overheadBytes(): number {
    return this.gpr.byteLength + this.cr.byteLength + this.scratch.byteLength
      + (this.shadow !== NO_SHADOW ? this.shadow.byteLength : 0) + this.assistCounters.byteLength;
  }
}
