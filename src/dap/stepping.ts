/**
 * Runs of the guest as bounded ticks. The DAP server serves many sessions on one event loop, so
 * no request may run the guest for long in one go: each run (continue, a line step, a line step
 * back, STEP n from the debug console) is a `Tick` that does a bounded amount of work per call
 * and returns null to be called again on the next turn of the event loop, or the Stop that ends
 * it. Between ticks other sessions are served, and this session's `pause` is seen.
 */
import { isCall, isReturn } from '../cpu/isa.ts';
import type { Debugger, Stop } from '../debug/debugger.ts';

/** One bounded piece of a run: null to go on, or where the run stopped. */
export type Tick = () => Stop | null;

/** Instructions run per tick while continuing (breakpoints make it one at a time: keep it short). */
export const SLICE = 50_000;
/** Most instructions one continue runs before it stops with reason 'pause'. */
export const RUN_LIMIT = 50_000_000;
/** Most instructions one line step may take, and how many per tick. */
export const LINE_STEP_LIMIT = 1_000_000;
const LINE_TICK = 20_000;
/** Most instructions one line step back may go back, and how many per tick (each replays from a snapshot). */
export const BACK_LIMIT = 5_000;
const BACK_TICK = 50;

/** Continue until something stops the guest (or RUN_LIMIT): `count` bounds it (STEP n). */
export function runTick(d: Debugger, count = RUN_LIMIT): Tick {
  let first = true, done = 0;
  return () => {
    const n = Math.min(SLICE, count - done);
    const stop = d.resume(n, first);
    first = false;
    done += n;
    if (stop.reason !== 'step') return stop;
    if (done >= count) return count === RUN_LIMIT ? d.stop('limit', [`paused after ${done} instructions`]) : stop;
    return null;
  };
}

/** Where `a` is in the source, as a comparable key. */
function where(d: Debugger, a: number): string { const l = d.locate(a); return l ? `${l.file}:${l.line}` : `@${a}`; }

/** Step by source line: run until the line changes (over calls when `over`), or something stops it. */
export function lineStepTick(d: Debugger, kind: 'in' | 'over' | 'out', byInstruction: boolean): Tick {
  if (byInstruction) return () => d.resume(1);
  const start = where(d, d.ia);
  let returnTo = -1;
  if (kind === 'over') {
    // BAL, BALR with a branch register, BRAS: a call; stop at the instruction after it.
    if (isCall(d.fetch(d.ia) ?? 0)) returnTo = (d.ia + 4) & 0xffffff;
  }
  let i = 0;
  return () => {
    for (const end = Math.min(i + LINE_TICK, LINE_STEP_LIMIT); i < end; i++) {
      const w = kind === 'out' ? d.fetch(d.ia) ?? 0 : 0;
      const stop = d.resume(1, i === 0);
      if (stop.reason !== 'step') return stop;
      if (kind === 'out') {
        // BR Rn (BCR 15,Rn) and LPSW are the returns of a routine and of an interruption handler.
        if (isReturn(w)) return stop;
        continue;
      }
      if (returnTo >= 0) { if (d.ia === returnTo) return stop; continue; }
      if (where(d, d.ia) !== start && d.locate(d.ia)) return stop;
    }
    return i >= LINE_STEP_LIMIT ? d.stop('limit', [`no line change after ${LINE_STEP_LIMIT} instructions`]) : null;
  };
}

/** Step back by source line (or one instruction). */
export function stepBackTick(d: Debugger, byInstruction: boolean): Tick {
  if (byInstruction || d.position === 0) return () => d.back(1);
  const start = where(d, d.ia);
  let stop: Stop | null = null, n = 0;
  return () => {
    for (let k = 0; k < BACK_TICK; k++) {
      if (stop && !(d.position > 0 && (where(d, d.ia) === start || !d.locate(d.ia)))) return stop;
      if (n++ >= BACK_LIMIT) return d.stop('limit', [`no earlier line within ${BACK_LIMIT} instructions`]);
      stop = d.back(1);
    }
    return null;
  };
}
