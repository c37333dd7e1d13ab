/**
 * The run loop of `tinycp system --relocate USER:PORT@N` (the source) and `--accept-relocation
 * PORT` (the target), kept apart from src/cli/system.ts so the time-sharing system is untouched.
 * The source runs until CP's real instruction count reaches N, then sends the VM between two
 * dispatches and goes on with whatever stays. The target runs its own users and waits (up to
 * `waitMs`) for one relocation, then runs until every VM is idle or stopped.
 */
import type { TimeSharingSystem } from '../timesharing/time-sharing-system.ts';
import { acceptVms, sendVm } from './relocate.ts';
import type { RelocateTarget } from './relocate-args.ts';

export { parseRelocate } from './relocate-args.ts';

export interface RelocateOptions {
  relocate?: RelocateTarget;
  acceptRelocation?: number;
  waitMs?: number;
}

export async function runWithRelocation(sys: TimeSharingSystem, o: RelocateOptions, budget: number): Promise<'idle' | 'budget'> {
  const start = sys.cp.realTime;
  const left = () => budget - (sys.cp.realTime - start);
  if (o.relocate) {
    const { user, port, at } = o.relocate;
    while (sys.cp.realTime < at && left() > 0 && sys.run(Math.min(at - sys.cp.realTime, left())) !== 'idle') { /* run to the moment */ }
    const r = await sendVm(sys, user, port);
    sys.mux.system(r.ok ? `RELOCATION: ${user} MOVED TO 127.0.0.1:${port} AT ITS INSTRUCTION ${r.instructions} (CP REAL TIME ${sys.cp.realTime})`
      : `RELOCATION OF ${user} REFUSED: ${r.reason}; IT GOES ON HERE`);
    return sys.runUntilQuiet(Math.max(1, left()));
  }
  let arrived = false;
  const server = await acceptVms(sys, o.acceptRelocation ?? 0, (user, r) => {
    arrived = true;
    sys.mux.system(r.ok ? `RELOCATION: ${user} ARRIVED AT ITS INSTRUCTION ${r.instructions}; IT RUNS HERE NOW` : `RELOCATION OF ${user} REFUSED: ${r.reason}`);
  });
  try {
    const addr = server.address();
    sys.mux.system(`ACCEPTING RELOCATIONS ON 127.0.0.1:${typeof addr === 'object' && addr ? addr.port : '?'}`);
    const deadline = Date.now() + (o.waitMs ?? 120_000);
    let r: 'idle' | 'budget' = 'idle';
    while (left() > 0) {
      r = sys.runUntilQuiet(Math.min(left(), 1_000_000));
      if (r === 'budget') continue;
      if (arrived) { r = sys.runUntilQuiet(Math.max(1, left())); break; }
      if (Date.now() > deadline) { sys.mux.system('RELOCATION: NONE ARRIVED'); break; }
      await new Promise((res) => setTimeout(res, 10)); // let the event loop hand over a relocation
    }
    return left() <= 0 ? 'budget' : r;
  } finally { server.close(); }
}
