/**
 * Footprint: what N services cost in each model, for N = 1, 10 and 100 counter services (each
 * prints three lines: its first line comes right after it starts). Storage is the real pages a deployment touched, 4K each (pages of its VMs' storage
 * holding anything but zeros when every service has ended, so a page written only with zeros is
 * not counted), plus CP's own arrays per VM (registers, the shadow table once the VM has one: `VirtualMachine.overheadBytes`).
 * In the library-OS model the library and service pages (X'1000'-X'7FFF') are never written after
 * IPL; where they are identical across VMs they are counted once, as pages CP could share
 * read-only (tinycp's CP does not share pages between VMs yet: each VM holds its copy). Start time
 * is, per service, the virtual time of its machine at the service's first console line: its
 * kernel's boot (or the library's) plus the service's own start.
 */
import { round } from './blast.ts';
import { boot, deploy, serviceLines, type Model } from './models.ts';
import { touchedPages } from './rng.ts';

export const FOOTPRINT_N = [1, 10, 100] as const;
const SHAREABLE_LO = 1, SHAREABLE_HI = 8; // pages X'1000'-X'7FFF': library and service code

export interface FootprintRow {
  n: number;
  pages_touched: number;
  /** Of those, pages counted once because every VM holds the same read-only copy (library OS). */
  shared_pages: number;
  bytes_per_service: number;
  /** Mean over services of the instructions (of its machine) until its first line. */
  start_instructions: number;
  /** Real instructions (all VMs) until every service had printed its first line. */
  all_started_real: number;
}

export function footprint(model: Model, n: number): FootprintRow {
  const tasks = Array.from({ length: n }, () => ({ service: 'count' as const, share: 1 }));
  const d = deploy(model, tasks, { count: 3 });
  const m = boot(d);
  try {
    m.run(200_000_000);
    let pages = 0, overhead = 0, shared = 0;
    const seen = new Map<number, Int32Array>(); // shareable page -> the first VM's copy
    for (const v of d.vms) {
      const u = m.user(v.name);
      overhead += u.vm.overheadBytes;
      for (const p of touchedPages(u.vm.mem)) {
        if (model === 'libos' && p >= SHAREABLE_LO && p < SHAREABLE_HI) {
          const mine = u.vm.mem.subarray(p * 1024, p * 1024 + 1024), first = seen.get(p);
          if (first && first.every((w, i) => w === mine[i])) { shared++; continue; }
          if (!first) seen.set(p, mine);
        }
        pages++;
      }
    }
    const firsts = d.tasks.map((_, i) => serviceLines(d, m, i)[0]);
    if (firsts.some((f) => !f)) throw new Error(`${model} N=${n}: a service never started`);
    return {
      n, pages_touched: pages, shared_pages: shared, bytes_per_service: Math.round((pages * 4096 + overhead) / n),
      start_instructions: round(firsts.reduce((a, f) => a + f.at, 0) / n, 0), all_started_real: Math.max(...firsts.map((f) => f.real)),
    };
  } finally { m.close(); }
}

export function footprints(model: Model): FootprintRow[] { return FOOTPRINT_N.map((n) => footprint(model, n)); }
