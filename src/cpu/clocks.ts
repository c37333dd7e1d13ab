/**
 * TOD clock, CPU timer and clock comparator in virtual time (PoO 7). One time unit is one executed
 * instruction: there is no wall clock anywhere, so every run is reproducible to the instruction.
 *
 * The real CPU owns one Clocks; CP gives each virtual machine its own, advanced by that VM's own
 * instructions, so a guest sees the same interruptions at the same instruction counts bare and
 * under CP. Values are JavaScript numbers, exact within +/-2^53 (larger loads are clamped).
 */
import { CR0_CKC_MASK, CR0_CPT_MASK, CR0_KEY_MASK, EXT_CLOCK_COMPARATOR, EXT_CPU_TIMER, EXT_INTERRUPT_KEY } from './arch.ts';

const TWO32 = 4294967296;
/** "Never": far beyond any reachable time, still an exact integer. */
export const NEVER = Number.MAX_SAFE_INTEGER;
/**
 * Events at or beyond this time are treated as never happening, so that a far comparator or
 * timer value (a clock set forward past a "never" comparator) cannot send virtual time to where
 * `t + 1 === t` (PoO 7.4).
 */
export const HORIZON_CAP = 2 ** 52;

export class Clocks {
  /** TOD clock = now + todOffset (SET CLOCK changes the offset). */
  todOffset = 0;
  /** The time at which the CPU timer reads zero; it is negative (pending) after that. */
  cpuTimerZero = NEVER;
  /** Clock comparator value (compared against the TOD clock). */
  ckc = NEVER;
  /** Interrupt key pressed (the operator's EXTERNAL command), not yet taken. */
  keyPending = false;

  tod(now: number): number { return now + this.todOffset; }
  setTod(now: number, v: number): void { this.todOffset = v - now; }
  cpuTimer(now: number): number { return this.cpuTimerZero - now; }
  setCpuTimer(now: number, v: number): void { this.cpuTimerZero = now + v; }

  /**
   * Earliest time >= now at which an external interruption allowed by CR0 becomes pending
   * (PoO 7.3: CPU timer pending while negative, comparator while TOD > comparator), or NEVER.
   */
  nextExternal(now: number, cr0: number): number {
    if (this.keyPending && (cr0 & CR0_KEY_MASK)) return now;
    let t = NEVER;
    if (cr0 & CR0_CKC_MASK) t = Math.min(t, Math.max(now, this.ckc - this.todOffset + 1));
    if (cr0 & CR0_CPT_MASK) t = Math.min(t, Math.max(now, this.cpuTimerZero + 1));
    return t >= HORIZON_CAP ? NEVER : t;
  }

  /** The external interruption code pending at `now`, highest priority first (PoO 5.4), or 0. */
  pendingExternal(now: number, cr0: number): number {
    if (this.keyPending && (cr0 & CR0_KEY_MASK)) return EXT_INTERRUPT_KEY;
    if ((cr0 & CR0_CKC_MASK) && this.tod(now) > this.ckc) return EXT_CLOCK_COMPARATOR;
    if ((cr0 & CR0_CPT_MASK) && this.cpuTimer(now) < 0) return EXT_CPU_TIMER;
    return 0;
  }

  /** Taking the interrupt-key interruption clears it; timer conditions persist until reset by software. */
  acknowledge(code: number): void { if (code === EXT_INTERRUPT_KEY) this.keyPending = false; }

  reset(): void { this.todOffset = 0; this.cpuTimerZero = NEVER; this.ckc = NEVER; this.keyPending = false; }
  save(): ClocksState { return { todOffset: this.todOffset, cpuTimerZero: this.cpuTimerZero, ckc: this.ckc, keyPending: this.keyPending }; }
  restore(s: ClocksState): void { Object.assign(this, s); }
}
export interface ClocksState { todOffset: number; cpuTimerZero: number; ckc: number; keyPending: boolean }

/** A doubleword in storage as a number: high word signed, low word unsigned; clamped to +/-2^53. */
export function fromDoubleword(hi: number, lo: number): number {
  const v = (hi | 0) * TWO32 + (lo >>> 0);
  return Math.max(-NEVER, Math.min(NEVER, v));
}
/** High word of a number as a doubleword (two's complement). */
export function dwHigh(v: number): number { return Math.floor(v / TWO32) | 0; }
/** Low word of a number as a doubleword. */
export function dwLow(v: number): number { return (v - Math.floor(v / TWO32) * TWO32) | 0; }
