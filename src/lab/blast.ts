/**
 * Blast radius of a fault: one random bit of storage flipped at a random moment of a run of the
 * three services, and how many of them then produce wrong output or stop. The bit is drawn
 * uniformly from the storage the deployment holds something in (every word that is not zero at
 * the end of the fault-free run, in every VM: code, tables, data; not the empty space), so a
 * flip lands in a kernel (or the library) or in a service in proportion to their sizes. Trial k of a model uses seed k: the same trials every run.
 */
import { SERVICES, type TaskSpec } from './build.ts';
import { boot, deploy, serviceLines, type Model } from './models.ts';
import { rng } from './rng.ts';

export type Region = 'kernel' | 'service';

export interface BlastResult {
  trials: number;
  services: number;
  /** Mean number of services hurt (wrong output or stopped) per flip. */
  mean: number;
  /** distribution[k]: flips that hurt exactly k services. */
  distribution: number[];
  /** Mean services hurt by a flip that hurt any (1 when a fault never spreads). */
  when_harmful: number;
  /** Services that printed something wrong, and services that stopped short, over all trials. */
  wrong: number;
  stopped: number;
  /** The same split by where the bit was: the kernel (or library) or a service's pages. */
  by_region: Record<Region, { flips: number; mean: number }>;
}

/** Service code and service data are the service's; everything else is the kernel's or library's. */
export function regionOf(model: Model, addr: number): Region {
  if (addr >= 0x4000 && addr < 0x8000) return 'service'; // the service pages (lab.inc SVCLO..SVCHI)
  if (addr >= 0x60000) return 'service'; // private frames (kernel) or the private area (library)
  if (model === 'libos' && addr >= 0x40000 && addr < 0x50000) return 'service'; // its files: in the kernel models, kernel storage
  return 'kernel';
}

export function blastRadius(model: Model, trials: number, tasks: readonly TaskSpec[] = SERVICES.map((s) => ({ service: s, share: 1 }))): BlastResult {
  const d = deploy(model, tasks);
  // The fault-free run: its output, its length, the pages it touched.
  const g = boot(d);
  let golden: string[][], total: number;
  const words: { vm: string; word: number }[] = [];
  try {
    g.run(50_000_000);
    golden = d.tasks.map((_, i) => serviceLines(d, g, i).map((l) => l.text));
    total = g.realTime;
    for (const v of d.vms) {
      const mem = g.user(v.name).vm.mem;
      for (let w = 0; w < mem.length; w++) if (mem[w] !== 0) words.push({ vm: v.name, word: w });
    }
  } finally { g.close(); }
  const n = tasks.length;
  const dist = new Array<number>(n + 1).fill(0);
  const reg = { kernel: { flips: 0, hurt: 0 }, service: { flips: 0, hurt: 0 } };
  let wrong = 0, stopped = 0;
  for (let k = 0; k < trials; k++) {
    const r = rng(0x1ab0000 + k);
    const at = Math.floor(r() * total);
    const pg = words[Math.floor(r() * words.length)];
    const byte = pg.word * 4 + Math.floor(r() * 4), bit = Math.floor(r() * 8);
    const m = boot(d);
    let hurt = 0;
    try {
      m.sys.run(at);
      const mem = m.user(pg.vm).vm.mem;
      mem[byte >>> 2] ^= 1 << (((3 - (byte & 3)) << 3) + bit); // big-endian byte order in a word
      m.run(total * 3 + 100_000); // a fault that loops is cut off here
      for (let i = 0; i < n; i++) {
        const out = serviceLines(d, m, i).map((l) => l.text), want = golden[i];
        if (out.length === want.length && out.every((t, j) => t === want[j])) continue;
        hurt++;
        if (out.length < want.length && out.every((t, j) => t === want[j])) stopped++; else wrong++;
      }
    } finally { m.close(); }
    dist[hurt]++;
    const rg = reg[regionOf(d.model, byte)];
    rg.flips++; rg.hurt += hurt;
  }
  const mean = (x: { flips: number; hurt: number }) => ({ flips: x.flips, mean: x.flips === 0 ? 0 : round(x.hurt / x.flips) });
  return {
    trials, services: n, mean: round(dist.reduce((a, c, i) => a + c * i, 0) / Math.max(1, trials)), distribution: dist,
    when_harmful: round(dist.reduce((a, c, i) => a + c * i, 0) / Math.max(1, trials - dist[0])), wrong, stopped,
    by_region: { kernel: mean(reg.kernel), service: mean(reg.service) },
  };
}

export const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
