/**
 * `tinycp lab isolation`: the experiments' invariants, determinism, and the numbers written in
 * docs/lab-isolation.md checked against a fresh run with the doc's own --trials.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { blastRadius } from '../src/lab/blast.ts';
import { isolation, isolationSvg, formatIsolation, type IsolationReport } from '../src/lab/isolation.ts';

const DOC = readFileSync(resolve(import.meta.dirname, '../docs/lab-isolation.md'), 'utf8');
const TRIALS = Number(/tinycp lab isolation --trials (\d+)/.exec(DOC)?.[1]);

/** Every number in a JSON value. */
function leaves(v: unknown, out = new Set<number>()): Set<number> {
  if (typeof v === 'number') out.add(v);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) leaves(x, out);
  return out;
}

describe('lab isolation', () => {
  let r: IsolationReport;
  beforeAll(() => { r = isolation(TRIALS); }, 900_000);

  it('a fault in a VM or a library OS hurts one service at most; in the shared kernel it can hurt all', () => {
    for (const m of ['vm', 'libos'] as const) {
      expect(r[m].blast_radius.distribution.slice(2)).toEqual([0, 0]);
      expect(r[m].blast_radius.distribution.reduce((a, b) => a + b)).toBe(TRIALS);
    }
    expect(r.container.blast_radius.distribution[3]).toBeGreaterThan(0);
  });

  it('noisy neighbours, aging, footprint and the driver domain behave as the doc reads them', () => {
    expect(r.vm.neighbour_throughput.worst_ratio).toBe(1);
    expect(r.container.neighbour_throughput.spin_no_qos).toBe(0);
    expect(r.vm.aging_downtime.services_per_crash).toBe(1);
    expect(r.container.aging_downtime.services_per_crash).toBe(3);
    expect(r.libos.aging_downtime.crashes).toBe(0);
    const fp = r.container.bytes_per_service.map((x) => x.bytes_per_service);
    expect(fp[2]).toBeLessThan(fp[1]);
    expect(fp[1]).toBeLessThan(fp[0]);
    expect(r.libos.bytes_per_service[2].shared_pages).toBeGreaterThan(0);
    expect(r.vm.driver_outage?.lost_acknowledged).toBe(0);
    expect(r.vm.driver_outage?.completed).toBe(true);
  });

  it('is deterministic: the same seeds give the same flips', () => {
    expect(blastRadius('libos', 15)).toEqual(blastRadius('libos', 15));
  }, 120_000);

  it('prints a table and an SVG chart', () => {
    expect(formatIsolation(r)).toContain('blast radius');
    const svg = isolationSvg(r);
    expect(svg.startsWith('<svg')).toBe(true);
    expect((svg.match(/<rect /g) ?? []).length).toBe(1 + 4 * 3);
  });

  it('every number in the doc\'s results is a number of a fresh run', () => {
    const measured = /<!-- measured -->([\s\S]*?)<!-- \/measured -->/.exec(DOC)?.[1] ?? '';
    expect(measured.length).toBeGreaterThan(1000);
    const known = leaves(r);
    const nums = [...measured.matchAll(/(?<![\w.'])\d+(?:\.\d+)?(?![\w'])/g)].map((m) => Number(m[0]));
    const stale = nums.filter((n) => !known.has(n));
    expect(stale).toEqual([]);
    // And the headline figures are there.
    for (const v of [r.vm.blast_radius.mean, r.container.blast_radius.mean, r.container.blast_radius.when_harmful, r.libos.blast_radius.mean,
      r.vm.neighbour_throughput.quiet, r.container.neighbour_throughput.spin, r.vm.aging_downtime.downtime_per_service,
      r.container.aging_downtime.downtime_per_service, r.container.bytes_per_service[2].bytes_per_service, r.vm.driver_outage!.outage]) {
      expect(nums).toContain(v);
    }
  });
});
