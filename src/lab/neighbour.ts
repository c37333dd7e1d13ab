/**
 * Noisy neighbour: two counter services beside a third that is quiet (a counter too), spins
 * (computes forever, never a system call) or floods its console (prints forever). The measure is
 * the two others' throughput (the worse-served of them): counter lines per million real instructions (all VMs together)
 * over a fixed window. Under CP the dispatcher's fair shares are the QoS (always on); in the
 * shared kernel the QoS is the kernel's: CPU-timer slices per share and a console allowance per
 * slice (programs/lab/kernel.s), measured with it on and off.
 */
import type { ServiceName } from './build.ts';
import { round } from './blast.ts';
import { boot, deploy, serviceLines, type Model } from './models.ts';

/** Real instructions each run lasts. */
export const WINDOW = 1_500_000;
const FOREVER = 1_000_000_000; // COUNT: a counter that does not end within the window

export type Neighbour = 'quiet' | 'spin' | 'flood';

/** The worse-served of the two others' throughput, lines per million real instructions. */
export function othersThroughput(model: Model, neighbour: Neighbour, qos = true): number {
  const third: ServiceName = neighbour === 'quiet' ? 'count' : neighbour;
  // The neighbour is task 1, dispatched first: with no QoS in the shared kernel nothing takes the CPU back from it.
  const d = deploy(model, [{ service: third, share: 1 }, { service: 'count', share: 1 }, { service: 'count', share: 1 }], { count: FOREVER, qos });
  const m = boot(d);
  try {
    m.sys.run(WINDOW);
    const lines = Math.min(serviceLines(d, m, 1).length, serviceLines(d, m, 2).length);
    return round(lines * (1_000_000 / m.realTime), 1);
  } finally { m.close(); }
}

export interface NeighbourResult {
  window: number;
  /** Lines per million real instructions of the worse-served of the two others, by neighbour. */
  quiet: number; spin: number; flood: number;
  /** The shared kernel with its QoS off (container model only; null elsewhere: CP's shares are always on). */
  spin_no_qos: number | null; flood_no_qos: number | null;
  /** Worst noisy/quiet ratio with QoS (1: the neighbour costs nothing beyond its share). */
  worst_ratio: number;
}

export function neighbourThroughput(model: Model): NeighbourResult {
  const quiet = othersThroughput(model, 'quiet'), spin = othersThroughput(model, 'spin'), flood = othersThroughput(model, 'flood');
  const c = model === 'container';
  return {
    window: WINDOW, quiet, spin, flood,
    spin_no_qos: c ? othersThroughput(model, 'spin', false) : null, flood_no_qos: c ? othersThroughput(model, 'flood', false) : null,
    worst_ratio: round(Math.min(spin, flood) / quiet),
  };
}
