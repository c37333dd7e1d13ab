/**
 * Which asynchronous interruption is due (PoO 5.4, 5.5, 5.6). One function for the real CPU
 * and one for CP's virtual CPUs: given a PSW's masks, control register 0, clocks, a channel
 * subsystem and the time, the answer must be the same bare and under CP.
 */
import { INT_EXTERNAL, INT_IO, PSW_EXT, PSW_IO } from './arch.ts';
import { NEVER, type Clocks } from './clocks.ts';
import type { IoSubsystem } from './cpu.ts';

/** Earliest time of an interruption the masks allow: bounds a run slice, ends a wait. NEVER if none. */
export function horizon(flags: number, cr0: number, clocks: Clocks, io: IoSubsystem | null, now: number): number {
  let t = NEVER;
  if (flags & PSW_EXT) t = clocks.nextExternal(now, cr0);
  if ((flags & PSW_IO) && io) t = Math.min(t, io.nextInterruptTime());
  return t;
}

/**
 * Take the highest-priority pending interruption the masks allow (external before I/O): the
 * interrupt key is acknowledged, the channel stores its CSW. Returns (class << 16) | code, or -1.
 */
export function takePending(flags: number, cr0: number, clocks: Clocks, io: IoSubsystem | null, mem: Int32Array, now: number): number {
  if (flags & PSW_EXT) {
    const code = clocks.pendingExternal(now, cr0);
    if (code) { clocks.acknowledge(code); return (INT_EXTERNAL << 16) | code; }
  }
  if ((flags & PSW_IO) && io && io.nextInterruptTime() <= now) {
    const dev = io.takeInterrupt(mem, now);
    if (dev >= 0) return (INT_IO << 16) | dev;
  }
  return -1;
}
