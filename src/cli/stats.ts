/**
 * Trace lines of the bare machine for `tinycp run --trace` (the counters behind --stats are the
 * machine facade's: src/session/stats.ts).
 */
import { PGM_NAMES } from '../cpu/arch.ts';
import type { DebugEvent } from '../debug/events.ts';
import { pswState } from '../monitor/narrate.ts';
import { hex } from '../cpu/hex.ts';


/** One line for an interruption the bare machine delivered (tinycp run --trace, bare). */
export function bareInterruptionLine(e: DebugEvent): string {
  // The interruption class (the event's cause may be finer: translation, privileged...).
  const cls = e.cause === 'svc' || e.cause === 'external' || e.cause === 'io' ? e.cause : 'program';
  const what = cls === 'program' ? ` (${PGM_NAMES[e.code] ?? 'unknown'})` : '';
  const at = e.instruction ? ` at ${hex(e.instruction.address, 6)}: ${e.instruction.text}` : '';
  const fail = typeof e.details.failingAddress === 'number' ? `; failing address X'${hex(e.details.failingAddress, 6)}'` : '';
  return `t=${e.time} ${cls} interruption, code X'${hex(e.code, 4)}'${what}${at}; old PSW ${hex(e.before.flags, 8)} ${hex(e.before.ia, 8)}${fail}; ` +
    `new PSW ${hex(e.after.flags, 8)} ${hex(e.after.ia, 8)} (${pswState(e.after)})`;
}
