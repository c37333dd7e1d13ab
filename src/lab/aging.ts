/**
 * Aging and its cure: three long-running counter services on kernels that leak a word of a table
 * per system call and stop (wait code X'A6C') when it is full. CP watches for that stop and
 * re-IPLs the VM: under the VM model that is one service's kernel, the others go on; in the
 * container model it is the shared kernel, and every service goes down with it. The shared
 * kernel's table is N times larger (the same storage per service), so it fails about as often
 * in total. The library OS keeps no table and is run the same way. Measured over a fixed window of real instructions: crashes, each service's downtime
 * (real instructions from the kernel's last words to the service's next line), and requests
 * lost (counter lines it served fewer than in the same window without the leak).
 */
import { round } from './blast.ts';
import { boot, deploy, serviceLines, type Model } from './models.ts';
import type { LabMachine } from './machine.ts';

export const AGING_WINDOW = 2_000_000;
/** System calls a one-service kernel makes before its table is full. */
export const LEAK_PER_SERVICE = 400;
const CHECK = 1_000; // CP looks at the VMs this often (real instructions)
const N = 3;

export interface AgingResult {
  window: number;
  crashes: number;
  /** Services down at each crash. */
  services_per_crash: number;
  /** Mean per service: real instructions down, and requests lost, over the window. */
  downtime_per_service: number;
  requests_lost_per_service: number;
}

function served(d: ReturnType<typeof deploy>, m: LabMachine): number[] {
  return d.tasks.map((_, i) => serviceLines(d, m, i).filter((l) => l.text.startsWith('count ') && l.text !== 'count done').length);
}

/** The library OS has no kernel and keeps no table: its run is measured the same way, to show that nothing ages. */
export function agingDowntime(model: Model): AgingResult {
  const tasks = Array.from({ length: N }, () => ({ service: 'count' as const, share: 1 }));
  const leakMax = model === 'container' ? LEAK_PER_SERVICE * N : LEAK_PER_SERVICE;
  // The same window without the leak, run in the same steps (so CP slices the VMs the same way).
  const base = deploy(model, tasks, { count: 1_000_000_000 });
  const b = boot(base);
  let want: number[];
  try { while (b.realTime < AGING_WINDOW) b.sys.run(Math.min(CHECK, AGING_WINDOW - b.realTime)); want = served(base, b); } finally { b.close(); }
  const d = deploy(model, tasks, { count: 1_000_000_000, leakMax });
  const m = boot(d);
  let crashes = 0;
  const crashAt: { vm: string; real: number }[] = [];
  try {
    while (m.realTime < AGING_WINDOW) {
      m.sys.run(Math.min(CHECK, AGING_WINDOW - m.realTime));
      for (const v of d.vms) {
        const vm = m.user(v.name).vm;
        if (vm.state === 'stopped' && vm.stop?.reason === 'disabled-wait' && vm.stop.code === 0xa6c) {
          const last = [...(m.lines.get(v.name) ?? [])].reverse().find((l) => l.text === 'kernel: table full');
          crashAt.push({ vm: v.name, real: last?.real ?? m.realTime });
          crashes++;
          m.ipl(v.name); // CP re-IPLs that VM alone
        }
      }
    }
    const got = served(d, m);
    let down = 0;
    for (let i = 0; i < N; i++) {
      const lines = serviceLines(d, m, i);
      for (const c of crashAt.filter((x) => x.vm === d.where[i].vm)) {
        const next = lines.find((l) => l.real > c.real);
        down += (next ? next.real : m.realTime) - c.real;
      }
    }
    const lost = want.reduce((a, w, i) => a + Math.max(0, w - got[i]), 0);
    return {
      window: AGING_WINDOW, crashes, services_per_crash: model === 'container' ? N : 1,
      downtime_per_service: round(down / N, 0), requests_lost_per_service: round(lost / N, 1),
    };
  } finally { m.close(); }
}
