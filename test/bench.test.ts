/**
 * `npm run bench -- --json` reports every figure of issue 11 under its name, each a number or a
 * documented null (the Virtual Machine Assist's figures until it exists; Hercules's when it is not
 * installed or not asked for). Runs the bench's sources in `--quick` mode: a check that the bench
 * works and that every workload agrees with its JavaScript twin, not a measurement (nothing here
 * is timed).
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
/** Null until the Virtual Machine Assist exists (bench/assist.ts), or without Hercules. */
const MAY_BE_NULL = new Set(['syscall_ratio_assist', 'assist_hit_ratio_mtos', 'assist_hit_ratio_cms', 'hercules_mips', 'bare_over_hercules']);
const NAMED = [
  'loop_over_js', 'suite_over_js', 'suite_over_interp', 'bare_over_hercules', 'trap_ns', 'syscall_ratio', 'syscall_ratio_assist',
  'assist_hit_ratio_mtos', 'assist_hit_ratio_cms', 'mtos_vm_over_bare', 'bytes_per_idle_vm', 'vms_1000_ratio', 'startup_ratio',
  // the names from before issue 11
  'bare_mips', 'interp_mips', 'js_mips', 'hercules_mips', 'vm_mips', 'vm_over_bare', 'vm_cp_entries_per_million',
  'trap_cp_entries_per_million', 'syscall_cp_entries_per_million', 'vms_100_aggregate_mips', 'vms_100_single_mips', 'vms_100_ratio',
  'bytes_per_idle_vm_accounted',
];

describe('npm run bench -- --json', () => {
  it('reports every named figure, a number or a documented null, and every workload agrees with JavaScript', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/bench.ts', '--json', '--quick', '--no-hercules'], { cwd: ROOT, encoding: 'utf8', timeout: 400_000 });
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown> & { workloads: { name: string; results_agree: boolean; default_over_js: number }[] };
    for (const k of NAMED) {
      expect(j, k).toHaveProperty(k);
      const v = j[k];
      if (v === null) expect(MAY_BE_NULL.has(k), `${k} is null`).toBe(true);
      else { expect(typeof v, k).toBe('number'); expect(Number.isFinite(v as number), k).toBe(true); }
    }
    expect(j.bytes_per_idle_vm as number).toBeGreaterThanOrEqual(0);
    expect(j.all_succeeded).toBe(true);
    expect(j.workloads.map((w) => w.name)).toEqual(['sieve', 'sort', 'crc32', 'strings', 'calls', 'mtos', 'cms']);
    for (const w of j.workloads) { expect(w.results_agree, w.name).toBe(true); expect(w.default_over_js, w.name).toBeGreaterThan(0); }
    // Until the assist exists its figures are null, and the report says why.
    if (j.assist === null) { expect(j.syscall_ratio_assist).toBeNull(); expect(String(j.assist_note)).toMatch(/no Virtual Machine Assist/); }
  }, 600_000);
});
