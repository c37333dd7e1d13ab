/**
 * TOD clock, CPU timer and clock comparator in virtual time (PoO 7). One time unit is one executed
 * instruction: there is no wall clock anywhere, so every run is reproducible to the instruction.
 *
 * The real CPU owns one Clocks; CP gives each virtual machine its own, advanced by that VM's own
 * instructions, so a guest sees the same interruptions at the same instruction counts bare and
 * under CP. Both execute SCK, SPT, SCKC, STCK, STPT and STCKC with the same handlers
 * (privileged.ts, general.ts) against their own Clocks, so the two cannot differ.
 *
 * Clock values are exact signed 64-bit integers (`bigint`, PoO 7.5), but they are only touched
 * when a program sets or stores a clock: the run loop compares plain numbers, the times (in units
 * of `now`) at which each condition becomes pending, computed once when a clock is set.
 */
import { CR0_CKC_MASK, CR0_CPT_MASK, CR0_KEY_MASK, EXT_CLOCK_COMPARATOR, EXT_CPU_TIMER, EXT_INTERRUPT_KEY } from './arch.ts';

/** "Never" as a time (a value of `now`): no event is due. */
export const NEVER = Number.MAX_SAFE_INTEGER;
/**
 * Virtual time `now` runs from 0 up to this bound (PoO 7.5: 2^52 instructions, months of host
 * time); an event that would fall at or beyond it is never reached, so `now + 1` stays exact.
 */
export const HORIZON_CAP = 2 ** 52;
/** The largest and smallest signed 64-bit clock values. X'7FFFFFFFFFFFFFFF' is "never" (PoO 7.5). */
export const CLOCK_MAX = (1n << 63n) - 1n;
export const CLOCK_MIN = -(1n << 63n);

/** A time (a value of `now`) as a number, or NEVER when it is beyond the horizon. */
function asTime(t: bigint, now: number): number {
  if (t <= BigInt(now)) return now;
  return t >= BigInt(HORIZON_CAP) ? NEVER : Number(t);
}

export class Clocks {
  /** TOD clock = now + todOffset (SET CLOCK changes the offset); it stops at CLOCK_MAX (PoO 7.1). */
  todOffset = 0n;
  /** CPU timer = cpuTimerZero - now; it stops at CLOCK_MIN (PoO 7.2). */
  cpuTimerZero = CLOCK_MAX;
  /** Clock comparator value (compared against the TOD clock, signed). */
  ckc = CLOCK_MAX;
  /** Interrupt key pressed (the operator's EXTERNAL command), not yet taken. */
  keyPending = false;
  /** The first `now` at which the comparator condition (TOD > comparator) holds, or NEVER. */
  ckcDue = NEVER;
  /** The first `now` at which the CPU-timer condition (timer < 0) holds, or NEVER. */
  cptDue = NEVER;

  /** The TOD clock at `now`: monotonic, it stays at X'7FFFFFFFFFFFFFFF' once there. */
  tod(now: number): bigint {
    const v = BigInt(now) + this.todOffset;
    return v > CLOCK_MAX ? CLOCK_MAX : v;
  }
  /** The CPU timer at `now`: it decreases to X'8000000000000000' and stays there. */
  cpuTimer(now: number): bigint {
    const v = this.cpuTimerZero - BigInt(now);
    return v < CLOCK_MIN ? CLOCK_MIN : v;
  }
  setTod(now: number, v: bigint): void { this.todOffset = v - BigInt(now); this.recompute(now); }
  setCpuTimer(now: number, v: bigint): void { this.cpuTimerZero = v + BigInt(now); this.recompute(now); }
  setComparator(now: number, v: bigint): void { this.ckc = v; this.recompute(now); }

  /**
   * PoO 7.3: the comparator condition holds while TOD > comparator, first at the time when
   * now + todOffset = ckc + 1. A comparator of X'7FFFFFFFFFFFFFFF' can never be exceeded (the TOD
   * clock stops there), so "never" never arrives. The timer condition holds while the timer is
   * negative: from now = cpuTimerZero + 1.
   */
  private recompute(now: number): void {
    this.ckcDue = this.ckc >= CLOCK_MAX ? NEVER : asTime(this.ckc + 1n - this.todOffset, now);
    this.cptDue = asTime(this.cpuTimerZero + 1n, now);
  }

  /**
   * Earliest time >= now at which an external interruption allowed by CR0 becomes pending
   * (PoO 7.3), or NEVER.
   */
  nextExternal(now: number, cr0: number): number {
    if (this.keyPending && (cr0 & CR0_KEY_MASK)) return now;
    let t = NEVER;
    if ((cr0 & CR0_CKC_MASK) && this.ckcDue < t) t = this.ckcDue;
    if ((cr0 & CR0_CPT_MASK) && this.cptDue < t) t = this.cptDue;
    return t < now ? now : t;
  }

  /** The external interruption code pending at `now`, highest priority first (PoO 5.4), or 0. */
  pendingExternal(now: number, cr0: number): number {
    if (this.keyPending && (cr0 & CR0_KEY_MASK)) return EXT_INTERRUPT_KEY;
    if ((cr0 & CR0_CKC_MASK) && now >= this.ckcDue) return EXT_CLOCK_COMPARATOR;
    if ((cr0 & CR0_CPT_MASK) && now >= this.cptDue) return EXT_CPU_TIMER;
    return 0;
  }

  /** Taking the interrupt-key interruption clears it; timer conditions persist until reset by software. */
  acknowledge(code: number): void { if (code === EXT_INTERRUPT_KEY) this.keyPending = false; }

  /** PoO 2.6: TOD 0, CPU timer and comparator "never" (X'7FFFFFFFFFFFFFFF'). */
  reset(): void {
    this.todOffset = 0n; this.cpuTimerZero = CLOCK_MAX; this.ckc = CLOCK_MAX; this.keyPending = false;
    this.ckcDue = NEVER; this.cptDue = NEVER;
  }
  /** Plain, JSON-serializable data (the 64-bit values as decimal strings). */
  save(): ClocksState {
    return { todOffset: String(this.todOffset), cpuTimerZero: String(this.cpuTimerZero), ckc: String(this.ckc), keyPending: this.keyPending, ckcDue: this.ckcDue, cptDue: this.cptDue };
  }
  restore(s: ClocksState): void {
    this.todOffset = BigInt(s.todOffset); this.cpuTimerZero = BigInt(s.cpuTimerZero); this.ckc = BigInt(s.ckc);
    this.keyPending = s.keyPending; this.ckcDue = s.ckcDue; this.cptDue = s.cptDue;
  }
}
export interface ClocksState { todOffset: string; cpuTimerZero: string; ckc: string; keyPending: boolean; ckcDue: number; cptDue: number }

/** A doubleword in storage (high word first) as a signed 64-bit value. */
export function fromDoubleword(hi: number, lo: number): bigint {
  return (BigInt(hi | 0) << 32n) | BigInt(lo >>> 0);
}
/** High word of a signed 64-bit value as stored (two's complement). */
export function dwHigh(v: bigint): number { return Number(BigInt.asIntN(32, v >> 32n)); }
/** Low word of a signed 64-bit value as stored. */
export function dwLow(v: bigint): number { return Number(BigInt.asIntN(32, v)); }
/** A clock value as 16 hex digits (two's complement), as a guest would dump it. */
export function clockHex(v: bigint): string { return BigInt.asUintN(64, v).toString(16).toUpperCase().padStart(16, '0'); }
