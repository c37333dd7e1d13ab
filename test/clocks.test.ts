/**
 * The clocks over the whole signed 64-bit range (PoO 7.1-7.5), from the host side: exact
 * doubleword round trips, a monotonic TOD clock that stops at X'7FFFFFFFFFFFFFFF', a CPU timer
 * that stops at X'8000000000000000', a "never" comparator that never becomes pending, and
 * pending times that agree with the architectural conditions evaluated directly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CR0_RESET, EXT_CLOCK_COMPARATOR, EXT_CPU_TIMER } from '../src/cpu/arch.ts';
import { CLOCK_MAX, CLOCK_MIN, Clocks, clockHex, dwHigh, dwLow, fromDoubleword, NEVER } from '../src/cpu/clocks.ts';

// A fixed seed: the same cases on every run (a failure prints its counterexample to replay).
fc.configureGlobal({ seed: 0x7c10c5, numRuns: 200 });

const i64 = fc.bigInt({ min: CLOCK_MIN, max: CLOCK_MAX });
const nearEdges = fc.oneof(i64, ...[0n, 1n << 53n, -(1n << 53n), CLOCK_MAX, CLOCK_MIN].map((e) => fc.bigInt({ min: -64n, max: 64n }).map((d) => {
  const v = e + d;
  return v > CLOCK_MAX ? CLOCK_MAX : v < CLOCK_MIN ? CLOCK_MIN : v;
})));

describe('clocks: exact 64-bit values', () => {
  it('a doubleword round-trips exactly', () => {
    fc.assert(fc.property(nearEdges, (v) => fromDoubleword(dwHigh(v), dwLow(v)) === v));
  });

  it('the TOD clock is exact and monotonic from any setting, and stops at the maximum', () => {
    fc.assert(fc.property(nearEdges, fc.integer({ min: 0, max: 1000 }), (v, t0) => {
      const c = new Clocks();
      c.setTod(t0, v);
      let prev = c.tod(t0);
      expect(prev).toBe(v);
      for (let t = t0 + 1; t < t0 + 70; t++) {
        const now = c.tod(t);
        expect(now >= prev).toBe(true);
        expect(now).toBe(v + BigInt(t - t0) > CLOCK_MAX ? CLOCK_MAX : v + BigInt(t - t0));
        prev = now;
      }
    }));
  });

  it('the CPU timer stops at the most negative value', () => {
    const c = new Clocks();
    c.setCpuTimer(10, CLOCK_MIN + 2n);
    expect([c.cpuTimer(11), c.cpuTimer(12), c.cpuTimer(13), c.cpuTimer(1000)]).toEqual([CLOCK_MIN + 1n, CLOCK_MIN, CLOCK_MIN, CLOCK_MIN]);
  });

  it('pending conditions agree with PoO 7.3 evaluated directly, at every time', () => {
    fc.assert(fc.property(nearEdges, nearEdges, nearEdges, fc.integer({ min: 0, max: 50 }), (tod, ckc, cpt, t0) => {
      const c = new Clocks();
      c.setTod(t0, tod); c.setComparator(t0, ckc); c.setCpuTimer(t0, cpt);
      for (let t = t0; t < t0 + 40; t++) {
        const ckcPending = ckc < CLOCK_MAX && c.tod(t) > ckc;
        const cptPending = c.cpuTimer(t) < 0n;
        const code = c.pendingExternal(t, CR0_RESET);
        expect(code).toBe(ckcPending ? EXT_CLOCK_COMPARATOR : cptPending ? EXT_CPU_TIMER : 0);
        // nextExternal is the first time from t at which something is pending.
        const next = c.nextExternal(t, CR0_RESET);
        if (ckcPending || cptPending) expect(next).toBe(t);
        else expect(next > t).toBe(true);
      }
    }));
  });

  it('"never" never arrives, even with the TOD clock at its maximum, and clears a pending comparator', () => {
    const c = new Clocks();
    c.setTod(0, CLOCK_MAX - 1n);
    c.setComparator(0, 0n);
    expect(c.pendingExternal(0, CR0_RESET)).toBe(EXT_CLOCK_COMPARATOR);
    c.setComparator(0, CLOCK_MAX);
    for (const t of [0, 1, 2, 1e6]) expect(c.pendingExternal(t, CR0_RESET)).toBe(0);
    expect(c.nextExternal(0, CR0_RESET)).toBe(NEVER);
    expect(clockHex(c.ckc)).toBe('7FFFFFFFFFFFFFFF');
  });

  it('save and restore give plain data (JSON) and the same behaviour', () => {
    const c = new Clocks();
    c.setTod(5, CLOCK_MAX - 3n); c.setComparator(5, CLOCK_MAX - 2n); c.setCpuTimer(5, -7n);
    const d = new Clocks();
    d.restore(JSON.parse(JSON.stringify(c.save())));
    for (let t = 5; t < 12; t++) {
      expect(d.tod(t)).toBe(c.tod(t));
      expect(d.cpuTimer(t)).toBe(c.cpuTimer(t));
      expect(d.pendingExternal(t, CR0_RESET)).toBe(c.pendingExternal(t, CR0_RESET));
    }
  });
});
