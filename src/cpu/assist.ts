/**
 * The virtual-machine assist (PoO 2.9; VM/370's VMA and ECPS:VM, 370-XA's SIE): an
 * interpretive-execution mode of the real CPU. A host (CP) hands the CPU a guest's architected
 * state (`cpu.guest`, the interface of machine.ts); while the guest runs in real problem state,
 * the CPU completes by itself, against that virtual state and with the very handlers the real
 * machine uses (privileged.ts, diagnose.ts), what needs no decision from the host:
 *
 * - LPSW, SSM, STNSM, STOSM, STCTL, LCTL (CR1 too), SCK, SPT, SCKC, STPT, STCKC and LRA (a walk
 *   of the guest's own tables in its own storage), when the virtual PSW is in supervisor state.
 *   A new segment-table origin needs no shadow work but a purge of the shadow table, and while
 *   the guest runs the shadow table *is* the real CPU's TLB (the host made it so), so LCTL's own
 *   purge (PoO 6.3) is all of it, as SIE manages a guest's translation buffer itself. Nothing
 *   else here keeps a translation: the interpreter reads the TLB array afresh, and the JIT checks
 *   every TLB entry a compiled region depends on each time it enters it (jit.ts).
 * - SIO, TIO and HIO, SIE's I/O assist for a preferred guest: the guest's own channel
 *   (`ArchState.io`, the devices the host attached to it) over its own storage, so the guest's
 *   start, test and halt need no decision from the host. The channel's timing is the guest's
 *   virtual time, the same value the host would pass.
 * - DIAGNOSE IDENTIFY, STORAGE SIZE and CONSOLE WRITE (to the guest's own console sink): the
 *   functions that are pure functions of the guest's state (diagnose.ts `diagnoseOwn`, the one
 *   implementation the bare machine and CP's hypercalls run too). A CP command (X'08'), a test
 *   result (X'F0') and any other code stay with the host.
 * - the reflection of an SVC into the guest (its SVC new PSW must be valid);
 * - the reflection of a program interruption that is the guest's own: any program exception but a
 *   privileged operation in virtual supervisor state (that one the host emulates), when the
 *   guest's program new PSW is valid and the reflection is not the one that makes an
 *   interruption loop (PoO 5.2.1: the host stops the guest then).
 *
 * Everything else still stops the CPU for the host, as without the assist: the DIAGNOSE codes
 * above, PTLB, translation misses (the shadow table's fills), an exception in an assisted
 * instruction (an operand that does not translate or is outside storage, a bad PSW, a CONSOLE
 * WRITE operand outside storage: nothing has changed then, since handlers check every operand
 * before they change anything; the host executes it again and reflects the exception). An
 * assisted instruction that may make a virtual interruption pending or put the guest in the
 * wait state (new masks, CR0, clocks, an I/O operation started or halted) ends the CPU's run as
 * soon as one is due, so that the host presents it at exactly the time it would without the
 * assist.
 */
import { EV_INTERRUPT } from './events.ts';
import {
  INT_PROGRAM, INT_SVC, INTERRUPTION_LOOP_LIMIT, LC_PROGRAM_NEW, LC_SVC_NEW, pgmNullifies, PGM_PRIVILEGED, PSW_DAT, PSW_EXT, PSW_IO,
  PSW_KEY, PSW_PROBLEM, PSW_PROGRAM_MASK, PSW_WAIT,
} from './arch.ts';
import { diagnoseOwn } from './diagnose.ts';
import { executePrivileged, H_JUMP, H_NEXT } from './handlers.ts';
import { BY_OPCODE, OP, type Mnemonic } from './isa.ts';
import { pswValid } from './lowcore.ts';
import type { ArchState } from './machine.ts';
import { NEVER } from './clocks.ts';
import { horizon } from './pending.ts';

/** The counters' slot for program interruptions other than privileged operation (those count under their opcode). */
export const PROGRAM_SLOT = 256;

/** Counter slots per kind: one per opcode, and PROGRAM_SLOT. */
const SLOTS = PROGRAM_SLOT + 1;
/** Getter calls after which the counts move from 32-bit to 64-bit floating-point counters (a Smi). */
const WIDEN_AT = 2 ** 29;

/** Per-opcode counts (and PROGRAM_SLOT): 32-bit while they are small, then Float64 (exact to 2^53). */
export type OpcodeCounts = Uint32Array | Float64Array;

/**
 * Per-guest assist counters, by opcode (Hercules' ECPS:VM statistics): completed by the assist, or
 * passed to the host. Compact, for 1,000 logged-on VMs: both kinds live in one array made on first
 * use (a guest that has not left its direct execution yet has none; reading totals makes none),
 * of 32-bit counts (2 KiB) until the getters have been called WIDEN_AT times, then of Float64
 * (4 KiB). Every increment calls a getter (`completed[op]++`, as the assist and CP do), so no
 * 32-bit count can pass WIDEN_AT (far below 2^32) before it widens: counts are exact, whichever array holds them.
 * A caller must not keep the array across increments.
 */
export class AssistCounters {
  private c: OpcodeCounts | null = null;
  private p: OpcodeCounts | null = null;
  /**
   * Getter calls left before the next look at the arrays (a countdown: one decrement and one test
   * per increment on CP's trap path): the first call makes them, WIDEN_AT-th after that widens them.
   */
  private left = 0;
  /** `widenAt`: getter calls before the counts widen (tests pass a small one; at most WIDEN_AT). */
  constructor(private readonly widenAt = WIDEN_AT) {}
  /** Per opcode (and PROGRAM_SLOT): completed by the assist. */
  get completed(): OpcodeCounts { this.use(); return this.c!; }
  /** Per opcode (and PROGRAM_SLOT): passed to the host. */
  get passed(): OpcodeCounts { this.use(); return this.p!; }
  /** Bytes of counters held (0 until first used). */
  get byteLength(): number { return this.c === null ? 0 : 2 * this.c.byteLength; }
  private use(): void { if (--this.left < 0) this.refill(); }
  /** The countdown ran out: make the 32-bit arrays (first use), widen them, or (widened) count down again. */
  private refill(): void {
    if (this.c === null) { this.make(new Uint32Array(2 * SLOTS)); this.left = this.widenAt - 1; return; }
    if (this.c instanceof Uint32Array) this.make(new Float64Array(2 * SLOTS));
    this.left = WIDEN_AT; // Float64 counts are exact to 2^53: nothing left to do but count down again
  }
  /** Hold the counts in `all` (completed, then passed), with what they counted so far. */
  private make(all: OpcodeCounts): void {
    if (this.c !== null && this.p !== null) { all.set(this.c); all.set(this.p, SLOTS); }
    this.c = all.subarray(0, SLOTS); this.p = all.subarray(SLOTS);
  }
  /** Totals over every instruction (SVC reflections under SVC's opcode, other program interruptions in PROGRAM_SLOT). */
  get total(): { completed: number; passed: number } {
    let c = 0, p = 0;
    const cs = this.c, ps = this.p;
    if (cs !== null && ps !== null) for (let i = 0; i <= PROGRAM_SLOT; i++) { c += cs[i]; p += ps[i]; }
    return { completed: c, passed: p };
  }
  /** Fraction of the instructions that left the guest's direct execution completed by the assist (1 when none left). */
  get hitRatio(): number { const t = this.total; return t.completed + t.passed === 0 ? 1 : t.completed / (t.completed + t.passed); }
  /** Per mnemonic, only those seen: { completed, passed }. */
  byInstruction(): Record<string, { completed: number; passed: number }> {
    const out: Record<string, { completed: number; passed: number }> = {};
    const cs = this.c, ps = this.p;
    if (cs === null || ps === null) return out;
    for (let i = 0; i <= PROGRAM_SLOT; i++) {
      if (cs[i] + ps[i] === 0) continue;
      const name = i === PROGRAM_SLOT ? 'program interruption' : BY_OPCODE[i]?.mnemonic ?? `X'${i.toString(16)}'`;
      out[name] = { completed: cs[i], passed: ps[i] };
    }
    return out;
  }
}

/** A guest the assist can run: its architected state (its events included) and its counters. */
export interface AssistedGuest extends ArchState {
  readonly assistCounters: AssistCounters;
}

/**
 * The real PSW (word 0 without CC) that runs a guest whose virtual PSW is `virtualFlags`: real
 * problem state always; masks off (the host presents virtual interruptions itself); the guest's
 * DAT, key and program mask, so translation and overflow behave as the guest asked.
 */
export function realPswFlags(virtualFlags: number): number {
  return PSW_PROBLEM | (virtualFlags & (PSW_DAT | PSW_KEY | PSW_PROGRAM_MASK));
}

/** The opcodes the assist completes in virtual supervisor state (DIAGNOSE: three of its function codes). */
export const ASSISTED_MNEMONICS: readonly Mnemonic[] = [
  'LPSW', 'SSM', 'STNSM', 'STOSM', 'STCTL', 'LCTL', 'SCK', 'SPT', 'SCKC', 'STPT', 'STCKC', 'LRA', 'SIO', 'TIO', 'HIO', 'DIAG',
];
const ASSISTED: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (const m of ASSISTED_MNEMONICS) t[OP[m]] = 1;
  return t;
})();

/** The real CPU's view needed here (cpu.ts implements it; no import of the CPU class). */
export interface AssistHost {
  flags: number; cc: number; ia: number; now: number;
  /** The instruction word of the exit (0 when its fetch failed). */
  xword: number;
}

/** Copy what the real CPU holds of the guest's PSW and time into the guest's state. */
function syncIn(host: AssistHost, g: ArchState): void {
  g.ia = host.ia; g.cc = host.cc; g.now = host.now;
  g.flags = (g.flags & ~PSW_PROGRAM_MASK) | (host.flags & PSW_PROGRAM_MASK); // SPM runs directly
}

/** Load the real CPU from the guest's (possibly new) PSW. */
function syncOut(host: AssistHost, g: ArchState): void {
  host.flags = realPswFlags(g.flags); host.cc = g.cc; host.ia = g.ia;
}

/**
 * The time (absolute) by which the host must see the guest again: now when the guest entered the
 * wait state or an enabled virtual interruption is due, else its next one (NEVER if none).
 */
function deadline(g: ArchState, now: number): number {
  const f = g.flags;
  if ((f & (PSW_WAIT | PSW_EXT | PSW_IO)) === 0) return NEVER; // the commonest case, with no operand to load
  if (f & PSW_WAIT) return now;
  return horizon(f, g.cr[0], g.clocks, g.io, now);
}

/**
 * A privileged instruction `w` trapped in real problem state: complete it for the guest when the
 * assist may. Returns the guest's new deadline (>= 0: completed, the instruction counts), or -1
 * (passed to the host: nothing changed but shadow entries the host would fill the same way).
 */
export function assistPrivileged(host: AssistHost, g: AssistedGuest, w: number): number {
  const op = w >>> 24;
  if (!ASSISTED[op] || (g.flags & PSW_PROBLEM) !== 0) return -1;
  syncIn(host, g);
  g.xaddr = -1;
  // DIAGNOSE: the guest's own functions, or DIAG_NOT_OWN (a CP command, a test result: the host's).
  const r = op === OP.DIAG ? diagnoseOwn(g, w) : executePrivileged(g, w);
  if (r !== H_NEXT && r !== H_JUMP) return -1; // an exception to reflect, or not ours: the host's (nothing changed)
  if (r === H_NEXT) g.ia = (g.ia + 4) & 0xffffff;
  g.intStreak = 0; // an instruction completed
  g.assistCounters.completed[op]++;
  syncOut(host, g);
  return deadline(g, host.now + 1);
}

/**
 * SUPERVISOR CALL `code` at host.ia: reflect it into the guest (PoO 5.1) when its SVC new PSW is
 * valid (an invalid one check-stops the guest: the host's to report). Returns the deadline, or -1.
 */
export function assistSvc(host: AssistHost, g: AssistedGuest, code: number): number {
  const nf = g.mem[LC_SVC_NEW >>> 2], nia = g.mem[(LC_SVC_NEW + 4) >>> 2];
  if (!pswValid(nf, nia)) return -1;
  syncIn(host, g);
  const ia = (host.ia + 4) & 0xffffff;
  g.storeOldPsw(INT_SVC, code, ia, -1);
  if ((g.events.mask & EV_INTERRUPT) !== 0) g.events.interrupt(INT_SVC, code, ia, -1, 0, -1, g.now); // as reflect() tells it
  g.loadNewPsw(INT_SVC);
  g.assistCounters.completed[OP.SVC]++;
  syncOut(host, g);
  return deadline(g, host.now + 1);
}

/**
 * A program exception `code` (failing address `failAddr` or -1) for the instruction at host.ia:
 * reflect it into the guest when it is the guest's own (PoO 5.3; CP's rule, 10.3). Returns the
 * deadline, or -1 (passed to the host).
 */
export function assistProgram(host: AssistHost, g: AssistedGuest, code: number, failAddr: number): number {
  if (code === PGM_PRIVILEGED && (g.flags & PSW_PROBLEM) === 0) return -1; // the host emulates it
  const nf = g.mem[LC_PROGRAM_NEW >>> 2], nia = g.mem[(LC_PROGRAM_NEW + 4) >>> 2];
  if (!pswValid(nf, nia) || g.intStreak >= INTERRUPTION_LOOP_LIMIT) return -1; // the host stops the guest
  syncIn(host, g);
  const ia = pgmNullifies(code) ? host.ia : (host.ia + 4) & 0xffffff;
  g.storeOldPsw(INT_PROGRAM, code, ia, failAddr);
  if ((g.events.mask & EV_INTERRUPT) !== 0) g.events.interrupt(INT_PROGRAM, code, ia, -1, 0, failAddr, g.now); // as reflect() tells it
  g.loadNewPsw(INT_PROGRAM);
  g.assistCounters.completed[code === PGM_PRIVILEGED ? host.xword >>> 24 : PROGRAM_SLOT]++;
  syncOut(host, g);
  return deadline(g, host.now + 1);
}
