/**
 * The README's speed table from one or more `npm run bench -- --json` runs:
 *   npm run --silent bench -- --json > bench.json && node --import tsx bench/table.ts bench.json [more.json...]
 * Prints Markdown: issue 11's figures with their targets (a column per run: the machine is noisy),
 * then the workload suite of the first run.
 */
import { readFileSync } from 'node:fs';

type Num = number | null | undefined;
interface W {
  name: string; instructions: number; default_ms: number; interp_ms: number; js_ms: number; vm_ms: number;
  default_mips: number; default_over_js: number; default_over_interp: number; vm_over_bare: number; assist_hit_ratio: Num;
}
type Run = Record<string, Num> & { workloads: W[]; assist: true | null };
const runs = (process.argv.length > 2 ? process.argv.slice(2) : [0]).map((file) => JSON.parse(readFileSync(file, 'utf8')) as Run);
const r = runs[0];

const f = (v: Num, d = 2): string => (v === null || v === undefined ? '—' : v.toFixed(d));
const rows: [string, (r: Run) => string, string][] = [
  ['loop.s, default engine / plain JS', (x) => f(x.loop_over_js), '≥ 0.5'],
  ['workload suite, geometric mean, default / JS limit', (x) => f(x.suite_over_js), '≥ 0.25'],
  ['workload suite, geometric mean, default / interpreter alone', (x) => f(x.suite_over_interp), '≥ 3'],
  ['loop.s, default engine / Hercules', (x) => f(x.bare_over_hercules), '≥ 4'],
  ['one full CP entry (SSM trap, no assist), ns', (x) => f(x.trap_ns, 0), '≤ 60'],
  ['OSTEP system call, CP / bare, assist on', (x) => f(x.syscall_ratio_assist), '≤ 1.15'],
  ['OSTEP system call, CP / bare, assist off', (x) => f(x.syscall_ratio), '≤ 1.6'],
  ['assist hit ratio, MTOS / CMS', (x) => `${f(x.assist_hit_ratio_mtos)} / ${f(x.assist_hit_ratio_cms)}`, '≥ 0.95'],
  [r.assist ? 'MTOS under CP / bare, assist on' : 'MTOS under CP / bare (no assist yet)', (x) => f(x.mtos_vm_over_bare), '≤ 1.3 (assist on)'],
  ['bytes per idle VM (1,000 idle VMs, after GC)', (x) => f(x.bytes_per_idle_vm, 0), '≤ 8192'],
  ['1,000 VMs aggregate MIPS / one VM', (x) => f(x.vms_1000_ratio), '≥ 0.9'],
  ['`tinycp run programs/hello.s` / `node -e 0`, wall time', (x) => f(x.startup_ratio), '≤ 2.5'],
];
const head = runs.length === 1 ? ['measured'] : runs.map((_, i) => `run ${i + 1}`);
const out: string[] = [`| figure | ${head.join(' | ')} | target |`, `|---|${head.map(() => '---|').join('')}---|`,
  ...rows.map(([a, b, c]) => `| ${a} | ${runs.map(b).join(' | ')} | ${c} |`)];
out.push('', `loop.s: default ${f(r.bare_mips, 0)} MIPS, interpreter alone ${f(r.interp_mips, 0)}, plain JavaScript ${f(r.js_mips, 0)},`
  + ` Hercules ${f(r.hercules_mips, 0)}; under CP ${f(r.vm_mips, 0)}.`, '');
out.push('| workload | instructions | default ms | interpreter ms | JS ms | CP ms | default / JS | default / interpreter | CP / bare |',
  '|---|---|---|---|---|---|---|---|---|');
for (const w of r.workloads) {
  out.push(`| ${w.name} | ${w.instructions.toLocaleString('en')} | ${f(w.default_ms, 1)} | ${f(w.interp_ms, 1)} | ${f(w.js_ms, 1)}`
    + ` | ${f(w.vm_ms, 1)} | ${f(w.default_over_js, 3)} | ${f(w.default_over_interp)} | ${f(w.vm_over_bare)} |`);
}
console.log(out.join('\n'));
