/**
 * The differential runner: one image on the bare machine and in a virtual machine under CP, with
 * the same console input and reader cards, then everything a guest (or its operator) can observe
 * compared: how the run ended, console / printer / punch output, the guest-visible interruption
 * log (class, code, old PSW address, virtual time), the final registers, PSW, control registers
 * and virtual time, and a hash of the whole storage.
 *
 * Interruption loops (INTERRUPTION_LOOP_LIMIT interruptions in a row with no instruction
 * completed) stop both the bare machine and the VM at the same point, so they compare like any
 * other end.
 */
import { Session, type GuestInterrupt, type Outcome, type SessionOptions } from '../../src/session/session.ts';
import type { FuzzImage } from './generator.ts';
import { storageHash } from '../../src/cpu/storage.ts';
import { EXT_CLOCK_COMPARATOR, EXT_CPU_TIMER, INT_EXTERNAL } from '../../src/cpu/arch.ts';
import { CLOCK_MAX } from '../../src/cpu/clocks.ts';
import { hex } from '../../src/cpu/hex.ts';

/** What one differential run found. */
export interface DiffResult {
  equal: boolean;
  /** First differences, for a person (only when not equal). */
  diff?: string;
  /** Instructions the bare machine executed. */
  instructions: number;
  /**
   * The run reached a documented difference between the machines (PoO 10.13), so what follows it
   * is not compared: a DIAGNOSE X'08' made of random data executes a CP command under CP and gives
   * CC 3 on the bare machine.
   */
  known?: string;
}

/** Fixed console input and reader cards: the same for both machines, every run. */
export const INPUT_LINES = ['HELLO', 'a much longer line of console input, longer than most buffers', '', 'Q'];
export const READER_CARDS = ['CARD ONE', 'CARD TWO 0123456789', ''];

/** Everything observable about one run. */
export interface RunRecord {
  outcome: Outcome;
  console: string[];
  printer: string[];
  punch: string[];
  interrupts: GuestInterrupt[];
  state: ReturnType<Session['guestState']>;
  memHash: number;
  instructions: number;
  /** CP commands the guest issued (DIAGNOSE X'08'), under CP; 0 on the bare machine. */
  cpCommands: number;
}

/**
 * Thrown when a run delivers far more interruptions than it has instructions: `run(budget)` would
 * never return (interruptions that execute no instruction do not spend the budget). A host bug.
 */
export class HostHang {
  constructor(readonly mode: string, readonly detail: string) {}
  toString(): string { return `host hang (${this.mode}): ${this.detail}`; }
}

/** Hook for tests: adjust a session before it runs (e.g. sabotage CP to prove the fuzzer can fail). */
export type SessionHook = (s: Session) => void;

export interface DiffOptions {
  storage?: number;
  /** Known bug BUG-1: ignore the outcome code of a check-stop (0 bare, the interruption code under CP). */
  tolerateCheckStopCode?: boolean;
  /** Called on the CP session after construction. */
  vmHook?: SessionHook;
  /** The virtual-machine assist under CP (default on, as CP runs). */
  assist?: boolean;
}


/** Run one image in one mode and record what is observable. */
export function runOne(image: FuzzImage, budget: number, mode: 'bare' | 'vm', opts: DiffOptions = {}): RunRecord {
  const console: string[] = [], printer: string[] = [], punch: string[] = [];
  const so: SessionOptions = {
    mode, storage: opts.storage ?? 64 * 1024, recordInterrupts: true,
    console: (l) => console.push(l), printer: (l) => printer.push(l),
    punch: (c) => punch.push(String.fromCharCode(...c)),
    input: INPUT_LINES, cards: READER_CARDS,
  };
  const s = new Session(image, so);
  if (mode === 'vm' && s.vm) s.vm.assist = opts.assist ?? true;
  if (mode === 'vm' && opts.vmHook) opts.vmHook(s);
  // DIAGNOSE X'08' is the other documented difference (PoO 10.13): count the CP commands it runs.
  let cpCommands = 0;
  const cp = s.cp;
  if (cp) { const command = cp.command.bind(cp); cp.command = (vm, text, classes) => { cpCommands++; return command(vm, text, classes); }; }
  // DIAGNOSE IDENTIFY's nesting level is the one documented difference (PoO 11): 0 bare, 1 under
  // CP. The generator never emits it, but a random store can turn another DIAG into it, so the
  // bare machine reports level 1 here and the comparison is about everything else.
  if (mode === 'bare') s.cpu.level = 1;
  // Guard against run() never returning: cap the interruptions one run may deliver.
  const cap = budget + 10_000;
  // Subscribed after the session's own recorder: s.interrupts already holds this interruption.
  s.events.on('interrupt', (e) => {
    if (s.interrupts.length > cap) {
      const last = s.interrupts[s.interrupts.length - 2];
      throw new HostHang(mode, `${cap} interruptions delivered within ${s.time} instructions (last: ${last.cls} ${last.code.toString(16)} at ${last.oldIa.toString(16)}): run(${budget}) would not return`);
    }
    clockOracle(s, mode, [e.cls, e.code]);
  });
  const outcome = s.run(budget);
  return {
    outcome, console, printer, punch, interrupts: s.interrupts, state: s.guestState(), memHash: storageHash(s.mem),
    instructions: s.cpu.counters.instructions, cpCommands,
  };
}

/**
 * An oracle beside the comparison (bare and CP share the clock code, so they cannot disagree about
 * it): every timer interruption must be justified by PoO 7.3 evaluated directly on the 64-bit
 * values, TOD > comparator (never for X'7FFFFFFFFFFFFFFF') or CPU timer < 0.
 */
function clockOracle(s: Session, mode: string, [cls, code]: number[]): void {
  if (cls !== INT_EXTERNAL) return;
  const c = s.vm ? s.vm.clocks : s.cpu.clocks, now = s.vm ? s.vm.now : s.cpu.now;
  if (code === EXT_CLOCK_COMPARATOR && !(c.ckc < CLOCK_MAX && c.tod(now) > c.ckc)) {
    throw new HostHang(mode, `clock-comparator interruption at t=${now} with TOD ${c.tod(now)} not above comparator ${c.ckc}`);
  }
  if (code === EXT_CPU_TIMER && !(c.cpuTimer(now) < 0n)) throw new HostHang(mode, `CPU-timer interruption at t=${now} with timer ${c.cpuTimer(now)}`);
}

const fmtInt = (i: GuestInterrupt | undefined) => i ? `${i.cls} ${hex(i.code, 0)} @${hex(i.oldIa, 0)} t=${i.time}` : '(none)';

/** Compare two records; returns the list of differences (empty: equal). */
export function compareRuns(bare: RunRecord, vm: RunRecord, opts: DiffOptions = {}): string[] {
  const d: string[] = [];
  const ob = bare.outcome, ov = vm.outcome;
  const codeMatters = !(opts.tolerateCheckStopCode && ob.reason === 'check-stop' && ov.reason === 'check-stop');
  if (ob.state !== ov.state || ob.reason !== ov.reason || (codeMatters && ob.code !== ov.code)) {
    d.push(`outcome: bare ${ob.state}/${ob.reason}/${hex(ob.code, 0)} (${ob.message}) / vm ${ov.state}/${ov.reason}/${hex(ov.code, 0)} (${ov.message})`);
  }
  for (const k of ['console', 'printer', 'punch'] as const) {
    if (bare[k].length !== vm[k].length || bare[k].some((l, i) => l !== vm[k][i])) {
      const show = (a: string[]) => JSON.stringify(a.slice(0, 3).map((l) => (l.length > 40 ? l.slice(0, 40) + '...' : l)));
      d.push(`${k}: bare ${show(bare[k])} (${bare[k].length} lines) / vm ${show(vm[k])} (${vm[k].length} lines)`);
    }
  }
  const n = Math.max(bare.interrupts.length, vm.interrupts.length);
  const k = firstIntDiff(bare.interrupts, vm.interrupts, n);
  if (k >= 0) {
    d.push(`interrupts #${k} of ${bare.interrupts.length}/${vm.interrupts.length}: bare ${fmtInt(bare.interrupts[k])} / vm ${fmtInt(vm.interrupts[k])}`);
  }
  const sb = bare.state, sv = vm.state;
  const psw = (p: readonly number[]) => `${hex(p[0], 0)} ${hex(p[1], 0)}`;
  if (sb.psw[0] !== sv.psw[0] || sb.psw[1] !== sv.psw[1]) d.push(`psw: bare ${psw(sb.psw)} / vm ${psw(sv.psw)}`);
  if (sb.time !== sv.time) d.push(`time: bare ${sb.time} / vm ${sv.time}`);
  for (let i = 0; i < 16; i++) {
    if (sb.gpr[i] !== sv.gpr[i]) d.push(`R${i}: bare ${hex(sb.gpr[i], 0)} / vm ${hex(sv.gpr[i], 0)}`);
    if (sb.cr[i] !== sv.cr[i]) d.push(`CR${i}: bare ${hex(sb.cr[i], 0)} / vm ${hex(sv.cr[i], 0)}`);
  }
  if (bare.memHash !== vm.memHash) d.push(`storage hash: bare ${hex(bare.memHash, 0)} / vm ${hex(vm.memHash, 0)}`);
  return d;
}

/** Index of the first differing interruption among the first `n`, or -1. */
function firstIntDiff(a: GuestInterrupt[], b: GuestInterrupt[], n: number): number {
  for (let i = 0; i < n; i++) {
    const x = a[i], y = b[i];
    if (!x || !y || x.cls !== y.cls || x.code !== y.code || x.oldIa !== y.oldIa || x.time !== y.time) return i;
  }
  return -1;
}

/**
 * Run `image` bare and under CP for `budget` instructions each and compare. A host exception
 * (anything thrown by the emulator or CP) propagates: the caller counts those separately.
 */
export function runDifferential(image: FuzzImage, budget: number, opts: DiffOptions = {}): DiffResult {
  const bare = runOne(image, budget, 'bare', opts);
  const vm = runOne(image, budget, 'vm', opts);
  const d = compareRuns(bare, vm, opts);
  if (d.length !== 0 && vm.cpCommands > 0) return { equal: true, instructions: bare.instructions, known: "DIAGNOSE X'08' (PoO 10.13)" };
  return d.length === 0 ? { equal: true, instructions: bare.instructions } : { equal: false, diff: d.slice(0, 12).join('\n'), instructions: bare.instructions };
}
