/**
 * The README's speed table from one `npm run bench -- --json` run:
 *   npm run --silent bench -- --json > bench.json && node --import tsx bench/table.ts bench.json
 * Prints Markdown: issue 11's figures with their targets, then the workload suite.
 */
import { readFileSync } from 'node:fs';

type Num = number | null | undefined;
interface W { name: string; instructions: number; default_ms: number; interp_ms: number; js_ms: number; vm_ms: number; default_mips: number; default_over_js: number; default_over_interp: number; vm_over_bare: number; assist_hit_ratio: Num }
const r = JSON.parse(readFileSync(process.argv[2] ?? 0, 'utf8')) as Record<string, Num> & { workloads: W[]; assist: true | null };

const f = (v: Num, d = 2): string => (v === null || v === undefined ? '—' : v.toFixed(d));
const rows: [string, string, string][] = [
  ['loop.s, default engine / plain JS', f(r.loop_over_js), '≥ 0.5'],
  ['workload suite, geometric mean, default / JS limit', f(r.suite_over_js), '≥ 0.25'],
  ['workload suite, geometric mean, default / interpreter alone', f(r.suite_over_interp), '≥ 3'],
  ['loop.s, default engine / Hercules', f(r.bare_over_hercules), '≥ 4'],
  ['one full CP entry (SSM trap, no assist), ns', f(r.trap_ns, 0), '≤ 60'],
  ['OSTEP system call, CP / bare, assist on', f(r.syscall_ratio_assist), '≤ 1.15'],
  ['OSTEP system call, CP / bare, assist off', f(r.syscall_ratio), '≤ 1.6'],
  ['assist hit ratio, MTOS / CMS', `${f(r.assist_hit_ratio_mtos)} / ${f(r.assist_hit_ratio_cms)}`, '≥ 0.95'],
  [r.assist ? 'MTOS under CP / bare, assist on' : 'MTOS under CP / bare (no assist yet)', f(r.mtos_vm_over_bare), '≤ 1.3 (assist on)'],
  ['bytes per idle VM (1,000 idle VMs, after GC)', f(r.bytes_per_idle_vm, 0), '≤ 8192'],
  ['1,000 VMs aggregate MIPS / one VM', f(r.vms_1000_ratio), '≥ 0.9'],
  ['`tinycp run programs/hello.s` / `node -e 0`, wall time', f(r.startup_ratio), '≤ 2.5'],
];
const out: string[] = ['| figure | measured | target |', '|---|---|---|', ...rows.map(([a, b, c]) => `| ${a} | ${b} | ${c} |`)];
out.push('', `loop.s: default ${f(r.bare_mips, 0)} MIPS, interpreter alone ${f(r.interp_mips, 0)}, plain JavaScript ${f(r.js_mips, 0)}, Hercules ${f(r.hercules_mips, 0)}; under CP ${f(r.vm_mips, 0)}.`, '');
out.push('| workload | instructions | default ms | interpreter ms | JS ms | CP ms | default / JS | default / interpreter | CP / bare |', '|---|---|---|---|---|---|---|---|---|');
for (const w of r.workloads) out.push(`| ${w.name} | ${w.instructions.toLocaleString('en')} | ${f(w.default_ms, 1)} | ${f(w.interp_ms, 1)} | ${f(w.js_ms, 1)} | ${f(w.vm_ms, 1)} | ${f(w.default_over_js, 3)} | ${f(w.default_over_interp)} | ${f(w.vm_over_bare)} |`);
console.log(out.join('\n'));
