/**
 * `npm run bench [-- --json] [--runs N] [--quick] [--no-hercules] [--no-scale] [--no-startup] [--no-costs]`: tinycp's
 * speed, all measured in one run, because this 2-core machine is noisy (compare ratios taken in
 * one run, not absolute figures across runs). Medians of several runs; per-run ratios.
 *
 * - loop.s (two instructions per iteration): default engine (loop JIT), interpreter alone, the
 *   same loop in plain JavaScript, under CP, and Hercules (S/370 in C) on the same loop.
 * - The workload suite (bench/workloads.ts: sieve, sort, CRC-32, strings, recursive calls, MTOS,
 *   a CMS session): default engine, interpreter alone, the same computation in plain JavaScript
 *   (the limit an emulator in JavaScript can approach), under CP; geometric means.
 * - CP: one full CP entry (trap_ns), OSTEP's system call under CP / bare; with and without the
 *   Virtual Machine Assist once it exists (bench/assist.ts; until then assist figures are null).
 * - Time sharing (bench/scale.ts): 100 and 1,000 VMs, bytes per idle VM.
 * - Startup (bench/startup.ts): `tinycp run programs/hello.s` over `node -e 0`.
 *
 * Ratios named `x_over_js` are speeds (JS time / tinycp time: 1 would be the JavaScript limit);
 * `x_over_bare` and `syscall_ratio` are times (CP time / bare time: 1 is free). Every workload
 * checks its result against the JavaScript one; `all_succeeded` is false if any disagreed.
 * `npm run bench` runs the bench bundled (scripts/build.mjs --bench: dist/bench/bench.mjs), the
 * engine as the command runs it; `node --expose-gc --import tsx bench/bench.ts` runs the sources
 * (slower: tsx's module wrappers). Run with `node --expose-gc` (the npm script does) so that
 * memory is measured after a full GC.
 * With --json, `costs` is the table of `tinycp theorem costs` (src/theory/costs.ts).
 */
import { join } from 'node:path';
import { buildFile } from '../src/host/build.ts';
import { Session, type Mode } from '../src/session/session.ts';
import { assist } from './assist.ts';
import { herculesMips } from './hercules.ts';
import { startupFigures } from './startup.ts';
import { BENCH_JIT, WORKLOADS, type GuestRun, type RunOptions, type Workload } from './workloads.ts';
import { cpuMs } from './clock.ts';
import { ROOT } from './root.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const runsArg = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : NaN;
/** `--quick`: every figure, from small runs (a check that the bench works, not a measurement). */
const quick = args.includes('--quick');
const runs = Number.isInteger(runsArg) && runsArg > 0 ? runsArg : quick ? 1 : 7;
const wantHercules = !args.includes('--no-hercules');
const wantScale = !args.includes('--no-scale');
const wantStartup = !args.includes('--no-startup');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const geomean = (xs: number[]): number => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
const log = (s: string) => { if (!json) console.log(s); };

/** `ms` is CPU time (clock.ts); `wallMs` wall time, for the comparison with Hercules, which reports wall time. */
interface Timed { ms: number; wallMs: number; instructions: number; entries: number; success: boolean }

/**
 * Run a program with its `count` word patched; returns elapsed ms, guest instructions, CP entries.
 * `withAssist`: under CP, the Virtual Machine Assist on or off (when it exists; its default otherwise).
 */
function timeProgram(file: string, mode: Mode, count: number, jit?: boolean, withAssist?: boolean): Timed {
  const b = buildFile(file);
  if (!b.ok) throw new Error(b.errors.join('\n'));
  const s = new Session(b.image, { mode, ...(mode === 'vm' && withAssist !== undefined ? assist.options(withAssist) : {}) });
  const at = b.image.symbols.COUNT;
  if (at === undefined) throw new Error(`${file}: no 'count' label to patch`);
  s.mem[at >>> 2] = count;
  s.cpu.jitCode = BENCH_JIT;
  if (jit !== undefined) s.cpu.jit = jit;
  const t0 = cpuMs(), w0 = performance.now();
  const r = s.run(Number.MAX_SAFE_INTEGER);
  const ms = cpuMs() - t0, wallMs = performance.now() - w0;
  return { ms, wallMs, instructions: s.time, entries: s.vm ? s.vm.counters.totalEntries : 0, success: r.success };
}

/** The plain-JavaScript equivalent of loop.s: `AR R3,R1 ; BRCT R2,loop` is one add and one count. */
function timeJs(iterations: number): number {
  const t0 = cpuMs();
  let acc = 0;
  for (let i = iterations; i > 0; i--) acc = (acc + 1) | 0;
  const ms = cpuMs() - t0;
  if (acc !== iterations) throw new Error('js loop');
  return ms;
}

/** `n` timed runs after `warm` untimed ones (V8 tiers a path up over its first runs: those time the compiler). */
function series(f: () => Timed, n: number, warm = 1): Timed[] { for (let i = 0; i < warm; i++) f(); return Array.from({ length: n }, f); }

/** One workload's figures (times in ms, medians; ratios are medians of per-run ratios). */
interface WorkloadFigures {
  name: string; instructions: number;
  default_ms: number; interp_ms: number; js_ms: number; vm_ms: number; vm_noassist_ms: number | null;
  default_mips: number; interp_mips: number;
  default_over_js: number; default_over_interp: number; interp_over_js: number;
  vm_over_bare: number; vm_noassist_over_bare: number | null;
  cp_entries_per_million: number; assist_hit_ratio: number | null;
  results_agree: boolean;
}

/** Time one workload: every run times default, interpreter, CP (assist on/off) and JavaScript back to back. */
function timeWorkload(w: Workload): WorkloadFigures {
  const reps = quick ? Math.max(1, Math.ceil(w.reps / 10)) : w.reps;
  const js = () => { const t0 = cpuMs(); const r = w.js(reps); return { ms: cpuMs() - t0, r }; };
  const guest = (o: RunOptions): GuestRun => w.run({ ...o, reps });
  const expected = JSON.stringify(js().r); // also warms the JavaScript up
  const kinds: RunOptions[] = [{ mode: 'bare' }, { mode: 'bare', jit: false }, { mode: 'vm', assist: true }];
  if (assist.supported) kinds.push({ mode: 'vm', assist: false });
  for (const k of kinds) guest(k); // warm-up
  const rows: { g: GuestRun[]; js: number }[] = [];
  let agree = true;
  for (let r = 0; r < runs; r++) {
    const g = kinds.map(guest);
    const j = js();
    for (const x of g) agree &&= x.success && JSON.stringify(x.result) === expected;
    agree &&= JSON.stringify(j.r) === expected;
    rows.push({ g, js: j.ms });
  }
  const col = (i: number) => rows.map((r) => r.g[i].ms);
  const ratio = (f: (r: { g: GuestRun[]; js: number }) => number) => median(rows.map(f));
  const instructions = rows[0].g[0].instructions;
  const vm = rows.map((r) => r.g[2]);
  return {
    name: w.name, instructions,
    default_ms: median(col(0)), interp_ms: median(col(1)), js_ms: median(rows.map((r) => r.js)), vm_ms: median(col(2)),
    vm_noassist_ms: assist.supported ? median(col(3)) : null,
    default_mips: instructions / median(col(0)) / 1000, interp_mips: instructions / median(col(1)) / 1000,
    default_over_js: ratio((r) => r.js / r.g[0].ms), default_over_interp: ratio((r) => r.g[1].ms / r.g[0].ms),
    interp_over_js: ratio((r) => r.js / r.g[1].ms),
    vm_over_bare: ratio((r) => r.g[2].ms / r.g[0].ms), vm_noassist_over_bare: assist.supported ? ratio((r) => r.g[3].ms / r.g[0].ms) : null,
    cp_entries_per_million: median(vm.map((x) => (x.entries / x.instructions) * 1e6)),
    assist_hit_ratio: vm[0].hitRatio,
    results_agree: agree,
  };
}

async function main(): Promise<void> {
  const N = quick ? 1_000_000 : 50_000_000; // loop iterations: 2 instructions each
  const loop = join(ROOT, 'programs/bench/loop.s');
  log(`tinycp benchmark: ${runs} runs each, medians (2 cores, noisy: read the ratios)`);
  log(`assist: ${assist.note}`);

  // Bare and CP runs alternate so that both see the same machine noise; ratios are taken per pair.
  const pairs = (a: () => Timed, b: () => Timed) => { a(); b(); return Array.from({ length: runs }, () => [a(), b()] as const); };
  const loopPairs = pairs(() => timeProgram(loop, 'bare', N), () => timeProgram(loop, 'vm', N));
  const bare = loopPairs.map((p) => p[0]), vm = loopPairs.map((p) => p[1]);
  const interp = series(() => timeProgram(loop, 'bare', N, false), runs);
  timeJs(N);
  const jsMs = Array.from({ length: runs }, () => timeJs(N));
  const mips = (t: Timed[]) => median(t.map((x) => x.instructions / x.ms / 1000));
  const perM = (t: Timed[]) => median(t.map((x) => (x.entries / x.instructions) * 1e6));

  // trap_ns: a loop of SSM in virtual supervisor state, one full CP entry per iteration (the assist
  // off: with it, SSM never reaches CP).
  // A trap runs CP's handler, the CPU's exit and re-entry: V8 needs several runs of 200,000 before
  // it has settled on that code (the first runs cost 1.5-6x), so five untimed runs come first.
  const ssm = series(() => timeProgram(join(ROOT, 'programs/ssm.s'), 'vm', quick ? 2_000 : 200_000, undefined, false), runs, quick ? 1 : 5);
  const trapNs = median(ssm.map((x) => (x.ms * 1e6) / x.entries));
  // syscall_ratio: OSTEP's system-call round trip (SVC reflected, LPSW emulated) under CP / bare,
  // the assist off; syscall_ratio_assist: the same with the assist on (when it exists).
  const sysN = quick ? 2_000 : 200_000, sysFile = join(ROOT, 'programs/syscall.s');
  const sys = pairs(() => timeProgram(sysFile, 'bare', sysN), () => timeProgram(sysFile, 'vm', sysN, undefined, false));
  const sysBare = sys.map((p) => p[0]), sysVm = sys.map((p) => p[1]);
  const sysA = assist.supported ? pairs(() => timeProgram(sysFile, 'bare', sysN), () => timeProgram(sysFile, 'vm', sysN, undefined, true)) : null;

  const workloads = WORKLOADS.map((w) => { const f = timeWorkload(w); log(`  workload ${w.name} done`); return f; });
  const byName = (n: string) => workloads.find((w) => w.name === n)!;

  let herc: number | null = null, hercNote = '';
  if (wantHercules) {
    const h = await herculesMips(quick ? { iterations: 1_000_000, runs: 1 } : { iterations: 150_000_000, runs: 5 });
    if (h.mips === null) hercNote = h.reason; else { herc = h.median; hercNote = h.note; }
  }
  const scaleMod = wantScale ? await import('./scale.ts') : null;
  const scale: Record<string, number> = scaleMod ? scaleMod.scaleFigures(quick) : {};
  const startup = wantStartup ? startupFigures(quick ? 1 : 9) : null;

  const bareMips = mips(bare), jsMips = median(jsMs.map((ms) => (2 * N) / ms / 1000));
  const result = {
    bare_mips: bareMips,
    interp_mips: mips(interp),
    js_mips: jsMips,
    hercules_mips: herc,
    vm_mips: mips(vm),
    vm_over_bare: median(loopPairs.map(([b, v]) => v.ms / b.ms)),
    vm_cp_entries_per_million: perM(vm),
    trap_ns: trapNs,
    trap_cp_entries_per_million: perM(ssm),
    syscall_ratio: median(sys.map(([b, v]) => v.ms / b.ms)),
    syscall_cp_entries_per_million: perM(sysVm),
    // Issue 11's figures.
    loop_over_js: bareMips / jsMips,
    suite_over_js: geomean(workloads.map((w) => w.default_over_js)),
    suite_over_interp: geomean(workloads.map((w) => w.default_over_interp)),
    suite_interp_over_js: geomean(workloads.map((w) => w.interp_over_js)),
    suite_vm_over_bare: geomean(workloads.map((w) => w.vm_over_bare)),
    // Hercules reports wall time (its STCK), so this ratio takes ours in wall time too.
    bare_wall_mips: median(bare.map((x) => x.instructions / x.wallMs / 1000)),
    bare_over_hercules: herc === null ? null : median(bare.map((x) => x.instructions / x.wallMs / 1000)) / herc,
    syscall_ratio_assist: sysA === null ? null : median(sysA.map(([b, v]) => v.ms / b.ms)), // null until the assist exists
    assist_hit_ratio_mtos: byName('mtos').assist_hit_ratio,
    assist_hit_ratio_cms: byName('cms').assist_hit_ratio,
    mtos_vm_over_bare: byName('mtos').vm_over_bare,
    bytes_per_idle_vm: scale.bytes_per_idle_vm ?? null,
    vms_1000_ratio: scale.vms_1000_ratio ?? null,
    startup_ratio: startup?.startup_ratio ?? null,
    startup_ms: startup?.startup_ms ?? null,
    node_startup_ms: startup?.node_ms ?? null,
    ...scale,
    assist: assist.supported ? true : null,
    workloads,
    runs,
    all_succeeded: [...bare, ...interp, ...vm, ...ssm, ...sysBare, ...sysVm, ...(sysA ?? []).flat()].every((x) => x.success)
      && workloads.every((w) => w.results_agree),
  };
  // The cost table of `tinycp theorem costs` (docs/teaching.md): exact figures and ns.
  const costs = json && !args.includes('--no-costs') ? (await import('../src/theory/costs.ts')).costTable({ measure: true }) : undefined;
  if (json) { console.log(JSON.stringify({ ...result, hercules_note: hercNote, assist_note: assist.note, costs })); return; }
  const f = (v: number | null | undefined, d = 1) => (v === null || v === undefined ? 'n/a' : v.toFixed(d));
  log(`bare machine, loop.s          ${f(result.bare_mips)} MIPS   (interpreter only: ${f(result.interp_mips)} MIPS)`);
  log(`plain JavaScript, same loop   ${f(result.js_mips)} MIPS   (loop_over_js = ${f(result.loop_over_js, 3)})`);
  log(`Hercules (S/370, C)           ${f(herc)} MIPS   ${herc ? `(bare_over_hercules = ${f(result.bare_over_hercules, 2)})` : hercNote}`);
  log(`under CP, loop.s              ${f(result.vm_mips)} MIPS   vm_over_bare ${f(result.vm_over_bare, 3)}`
    + `  CP entries/M ${f(result.vm_cp_entries_per_million, 3)}`);
  log(`trap (SSM emulated)           ${f(result.trap_ns, 0)} ns per CP entry   CP entries/M ${f(result.trap_cp_entries_per_million, 0)}`);
  log(`system call round trip        CP/bare = ${f(result.syscall_ratio, 2)} (assist: ${f(result.syscall_ratio_assist, 2)})`
    + `   CP entries/M ${f(result.syscall_cp_entries_per_million, 0)}`);
  log('');
  log('workload   instructions  default ms  interp ms   JS ms   CP ms   default/JS  default/interp  CP/bare  assist hits');
  for (const w of workloads) {
    log(`${w.name.padEnd(10)} ${String(w.instructions).padStart(12)} ${f(w.default_ms).padStart(11)} ${f(w.interp_ms).padStart(10)} ${f(w.js_ms).padStart(7)} ${f(w.vm_ms).padStart(7)} ${f(w.default_over_js, 3).padStart(12)} ${f(w.default_over_interp, 2).padStart(15)} ${f(w.vm_over_bare, 2).padStart(8)} ${f(w.assist_hit_ratio, 3).padStart(12)}${w.results_agree ? '' : '  RESULTS DISAGREE'}`);
  }
  log(`geometric mean: default/JS ${f(result.suite_over_js, 3)}   default/interp ${f(result.suite_over_interp, 2)}`
    + `   CP/bare ${f(result.suite_vm_over_bare, 2)}`);
  log('');
  for (const [k, v] of Object.entries(scale)) log(`${k.padEnd(30)} ${f(v, 3)}`);
  if (startup) {
    log(`startup_ratio                  ${f(startup.startup_ratio, 2)}  (tinycp run hello.s ${f(startup.startup_ms, 0)} ms, node -e 0 ${f(startup.node_ms, 0)} ms)`);
  }
  if (!result.all_succeeded) log('WARNING: a benchmark program did not end successfully, or a workload disagreed with its JavaScript twin');
}

await main();
