/**
 * `npm run bench [-- --json] [--runs N] [--no-hercules]`: guest MIPS of the bare machine and
 * under CP, next to a plain-JavaScript loop and Hercules measured in the same run (this machine
 * is noisy: compare ratios taken in one run, not absolute figures across runs). Medians of
 * several runs; each figure is paired with its CP entries per million instructions.
 */
import { buildFile } from '../src/host/build.ts';
import { Session, type Mode } from '../src/session/session.ts';
import { herculesMips } from './hercules.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const runs = Number(args[args.indexOf('--runs') + 1]) > 0 && args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 7;
const wantHercules = !args.includes('--no-hercules');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const log = (s: string) => { if (!json) console.log(s); };

interface Timed { ms: number; instructions: number; entries: number; success: boolean }

/** Run a program with its `count` word patched; returns elapsed ms, guest instructions, CP entries. */
function timeProgram(file: string, mode: Mode, count: number, jit?: boolean, assist = true): Timed {
  const b = buildFile(file);
  if (!b.ok) throw new Error(b.errors.join('\n'));
  const s = new Session(b.image, { mode, assist });
  const at = b.image.symbols.COUNT;
  if (at === undefined) throw new Error(`${file}: no 'count' label to patch`);
  s.mem[at >>> 2] = count;
  if (jit !== undefined && 'jit' in s.cpu) (s.cpu as unknown as { jit: boolean }).jit = jit;
  const t0 = performance.now();
  const r = s.run(Number.MAX_SAFE_INTEGER);
  const ms = performance.now() - t0;
  return { ms, instructions: s.time, entries: s.vm ? s.vm.counters.totalEntries : 0, success: r.success };
}

/** The plain-JavaScript equivalent of loop.s: `AR R3,R1 ; BRCT R2,loop` is one add and one count. */
function timeJs(iterations: number): number {
  const t0 = performance.now();
  let acc = 0;
  for (let i = iterations; i > 0; i--) acc = (acc + 1) | 0;
  const ms = performance.now() - t0;
  if (acc !== iterations) throw new Error('js loop');
  return ms;
}

function series(f: () => Timed, n: number): Timed[] { f(); return Array.from({ length: n }, f); } // first run warms up

async function main(): Promise<void> {
  const N = 50_000_000; // loop iterations: 2 instructions each
  const loop = 'programs/bench/loop.s';
  log(`tinycp benchmark: ${runs} runs each, medians (2 cores, noisy: read the ratios)`);

  // Bare and CP runs alternate so that both see the same machine noise; ratios are taken per pair.
  const pairs = (a: () => Timed, b: () => Timed) => { a(); b(); return Array.from({ length: runs }, () => [a(), b()] as const); };
  const loopPairs = pairs(() => timeProgram(loop, 'bare', N), () => timeProgram(loop, 'vm', N));
  const bare = loopPairs.map((p) => p[0]), vm = loopPairs.map((p) => p[1]);
  const interp = series(() => timeProgram(loop, 'bare', N, false), runs);
  timeJs(N);
  const jsMs = Array.from({ length: runs }, () => timeJs(N));
  const mips = (t: Timed[]) => median(t.map((x) => x.instructions / x.ms / 1000));
  const perM = (t: Timed[]) => median(t.map((x) => (x.entries / x.instructions) * 1e6));

  // trap_ns: a loop of SSM in virtual supervisor state, one CP entry per iteration (the assist off:
  // with it the SSMs never enter CP).
  const ssm = series(() => timeProgram('programs/ssm.s', 'vm', 200_000, undefined, false), runs);
  const trapNs = median(ssm.map((x) => (x.ms * 1e6) / x.entries));
  // syscall_ratio: OSTEP's system-call round trip (SVC reflected, LPSW emulated) under CP / bare,
  // without the virtual-machine assist (CP does both) and with it (the real CPU does both, PoO 2.9).
  const sys = pairs(() => timeProgram('programs/syscall.s', 'bare', 200_000),
    () => timeProgram('programs/syscall.s', 'vm', 200_000, undefined, false));
  const sysBare = sys.map((p) => p[0]), sysVm = sys.map((p) => p[1]);
  const sysA = pairs(() => timeProgram('programs/syscall.s', 'bare', 200_000), () => timeProgram('programs/syscall.s', 'vm', 200_000));
  const sysAssist = sysA.map((p) => p[1]);

  let herc: number | null = null, hercNote = '';
  if (wantHercules) {
    const h = await herculesMips({ iterations: 150_000_000, runs: 5 });
    if (h.mips === null) hercNote = h.reason; else { herc = h.median; hercNote = h.note; }
  }
  // Time-sharing scale figures (100 VMs, idle-VM cost), when the system module provides them.
  const scalePath = './scale.ts'; // provided by the time-sharing system; absent is fine
  const scaleMod = await import(scalePath).catch(() => null) as { scaleFigures?: () => Record<string, number> } | null;
  const scale: Record<string, number> = scaleMod?.scaleFigures ? scaleMod.scaleFigures() : {};

  const result = {
    bare_mips: mips(bare),
    interp_mips: mips(interp),
    js_mips: median(jsMs.map((ms) => (2 * N) / ms / 1000)),
    hercules_mips: herc,
    vm_mips: mips(vm),
    vm_over_bare: median(loopPairs.map(([b, v]) => v.ms / b.ms)),
    vm_cp_entries_per_million: perM(vm),
    trap_ns: trapNs,
    trap_cp_entries_per_million: perM(ssm),
    syscall_ratio: median(sys.map(([b, v]) => v.ms / b.ms)),
    syscall_cp_entries_per_million: perM(sysVm),
    syscall_ratio_assist: median(sysA.map(([b, v]) => v.ms / b.ms)),
    syscall_assist_cp_entries_per_million: perM(sysAssist),
    ...scale,
    runs,
    all_succeeded: [...bare, ...interp, ...vm, ...ssm, ...sysBare, ...sysVm, ...sysA.flat()].every((x) => x.success),
  };
  if (json) { console.log(JSON.stringify({ ...result, hercules_note: hercNote })); return; }
  const f = (v: number | null, d = 1) => (v === null ? 'n/a' : v.toFixed(d));
  log(`bare machine, loop.s          ${f(result.bare_mips)} MIPS   (interpreter only: ${f(result.interp_mips)} MIPS)`);
  log(`plain JavaScript, same loop   ${f(result.js_mips)} MIPS   (bare/js = ${(result.bare_mips / result.js_mips).toFixed(3)})`);
  log(`Hercules (S/370, C)           ${f(herc)} MIPS   ${herc ? `(bare/hercules = ${(result.bare_mips / herc).toFixed(2)})` : hercNote}`);
  log(`under CP, loop.s              ${f(result.vm_mips)} MIPS   vm_over_bare ${result.vm_over_bare.toFixed(3)}  ` +
    `CP entries/M ${f(result.vm_cp_entries_per_million, 3)}`);
  log(`trap (SSM emulated)           ${f(result.trap_ns, 0)} ns per CP entry   CP entries/M ${f(result.trap_cp_entries_per_million, 0)}`);
  log(`system call round trip        CP/bare = ${result.syscall_ratio.toFixed(2)}   ` +
    `CP entries/M ${f(result.syscall_cp_entries_per_million, 0)}   (assist off)`);
  log(`  with the assist (PoO 2.9)     CP/bare = ${result.syscall_ratio_assist.toFixed(2)}   ` +
    `CP entries/M ${f(result.syscall_assist_cp_entries_per_million, 0)}`);
  for (const [k, v] of Object.entries(scale)) log(`${k.padEnd(30)} ${typeof v === 'number' ? v.toFixed(3) : String(v)}`);
  if (!result.all_succeeded) log('WARNING: a benchmark program did not end successfully');
}

await main();
