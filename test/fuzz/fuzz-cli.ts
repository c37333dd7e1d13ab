/**
 * `npm run fuzz -- --seconds N [--json] [--seed S] [--budget B] [--exclude-known] [--no-minimize] [--no-assist]`
 * `npm run fuzz -- --dap [--requests N] [--seed S] [--json]`: fuzz the DAP server instead
 * (test/fuzz/dap-fuzz.ts; default 100,000 requests); exit code 1 on any server death, internal
 * error, leak, unanswered request or failure of the second session.
 *
 * `--no-assist` runs CP without the virtual-machine assist (src/cpu/assist.ts): CP handles every trap.
 * Differential fuzzing session: generates programs from consecutive seeds (starting at S, default
 * derived from the wall clock and printed, so any run can be replayed), runs each bare and under
 * CP, and counts divergences and host exceptions. Each failure is minimized and saved under
 * test/fuzz/repro/. The wall clock only bounds the session, never a guest: guest time is virtual.
 * Exit code 1 when anything diverged or threw.
 *
 * `npm run fuzz -- --target directory --seconds N [--seed S]` fuzzes the user-directory parser
 * instead (test/fuzz/directory-fuzz.ts): any throw is a failure. `--target cp|debugger|object|assembler|isolation`
 * fuzzes CP commands, debugger commands, object files, assembler sources, or a hostile guest beside a
 * victim VM (test/fuzz/frontend-fuzz.ts): any throw, or any change to the victim, is a failure.
 */
import { generate, KNOWN_BUG_EXCLUSIONS, type GenOptions } from './generator.ts';
import { runDifferential, type DiffOptions } from './differential.ts';
import { divergencePredicate, minimize, writeReproducer } from './minimize.ts';
import { fuzzDirectories } from './directory-fuzz.ts';
import { fuzzAssembler, fuzzCpCommands, fuzzDebugger, fuzzIsolation, fuzzObjects, type FuzzResult } from './frontend-fuzz.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDapFuzz } from './dap-fuzz.ts';

interface Args { seconds: number; json: boolean; seed: number; budget: number; excludeKnown: boolean; minimize: boolean; assist: boolean }

function parseArgs(argv: string[]): Args {
  const a: Args = { seconds: 10, json: false, seed: Date.now() % 1_000_000_000, budget: 3000, excludeKnown: false, minimize: true, assist: true };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const num = () => { const v = Number(argv[++i]); if (!Number.isFinite(v)) throw new Error(`${k} needs a number`); return v; };
    if (k === '--seconds') a.seconds = num();
    else if (k === '--seed') a.seed = Math.floor(num());
    else if (k === '--budget') a.budget = Math.floor(num());
    else if (k === '--json') a.json = true;
    else if (k === '--exclude-known') a.excludeKnown = true;
    else if (k === '--no-minimize') a.minimize = false;
    else if (k === '--no-assist') a.assist = false;
    else throw new Error(`unknown option ${k}`);
  }
  return a;
}

interface Failure { seed: number; kind: 'divergence' | 'host_exception'; diff: string; reproducer?: string }

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  const gen: GenOptions = args.excludeKnown ? KNOWN_BUG_EXCLUSIONS : {};
  const dopts: DiffOptions = { ...(args.excludeKnown ? { tolerateCheckStopCode: true } : {}), assist: args.assist };
  const t0 = performance.now();
  const deadline = t0 + args.seconds * 1000;
  let programs = 0, instructions = 0, divergences = 0, hostExceptions = 0, known = 0;
  const failures: Failure[] = [];
  let seed = args.seed;
  while (performance.now() < deadline) {
    const image = generate(seed, gen);
    let f: Failure | null = null;
    try {
      const r = runDifferential(image, args.budget, dopts);
      instructions += r.instructions;
      if (r.known) known++;
      if (!r.equal) { divergences++; f = { seed, kind: 'divergence', diff: r.diff ?? '' }; }
    } catch (e) {
      hostExceptions++;
      f = { seed, kind: 'host_exception', diff: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    programs++;
    if (f) {
      if (args.minimize && failures.length < 20) {
        const small = minimize(image, divergencePredicate(image, args.budget, dopts), 1500);
        f.reproducer = writeReproducer(String(seed), small, [`seed ${seed}, budget ${args.budget}: ${f.kind}`, ...f.diff.split('\n').slice(0, 8)]);
      }
      failures.push(f);
      if (!args.json) {
        console.log(`seed ${seed}: ${f.kind}\n  ${f.diff.split('\n').slice(0, 6).join('\n  ')}`);
        if (f.reproducer) console.log(`  reproducer: ${f.reproducer}`);
      }
    }
    seed++;
  }
  const seconds = (performance.now() - t0) / 1000;
  const summary = {
    programs, instructions, divergences, host_exceptions: hostExceptions, known_differences: known,
    seed_start: args.seed, seed_end: seed - 1, budget: args.budget, seconds: Number(seconds.toFixed(2)),
    programs_per_second: Math.round(programs / seconds), instructions_per_second: Math.round(instructions / seconds),
    exclude_known: args.excludeKnown,
    failures: failures.map((f) => ({ seed: f.seed, kind: f.kind, diff: f.diff.split('\n')[0], reproducer: f.reproducer })),
  };
  if (args.json) console.log(JSON.stringify(summary));
  else {
    console.log(`${programs} programs (seeds ${args.seed}-${seed - 1}), ${instructions} instructions in ${summary.seconds} s` +
      ` (${summary.programs_per_second} programs/s, ${summary.instructions_per_second} instructions/s)`);
    console.log(`divergences: ${divergences}, host exceptions: ${hostExceptions}` +
      (known ? `, runs that reached a documented difference (a CP command by DIAGNOSE X'08', not compared after it): ${known}` : ''));
  }
  return divergences + hostExceptions > 0 ? 1 : 0;
}

/** The DAP server fuzz: requests from consecutive seeds of one PRNG stream. */
async function dapMain(argv: string[]): Promise<number> {
  let requests = 100_000, seed = Date.now() % 1_000_000_000, json = false;
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const num = () => { const v = Number(argv[++i]); if (!Number.isFinite(v) || v < 0) throw new Error(`${k} needs a number`); return Math.floor(v); };
    if (k === '--dap') continue;
    if (k === '--requests') requests = num();
    else if (k === '--seed') seed = num();
    else if (k === '--json') json = true;
    else throw new Error(`unknown option ${k} (with --dap: --requests N, --seed S, --json)`);
  }
  if (!json) console.log(`DAP fuzz: ${requests} requests from seed ${seed}`);
  const r = await runDapFuzz(seed, requests, json ? undefined : (n) => { if (n % 10_000 < 2) console.log(`  ${n} requests`); });
  if (json) console.log(JSON.stringify({ seed, ...r }));
  else {
    console.log(`${r.requests} requests in ${r.sessions} sessions, ${r.seconds} s, ${r.stops} stops; ` +
      `server deaths: ${r.deaths}, internal errors: ${r.internalErrors}, ` +
      `leaks: ${r.leaks}, unanswered: ${r.unanswered}, second-session failures: ${r.sentinelFailures}`);
    for (const n of r.notes) console.log(`  ${n}`);
  }
  return r.deaths + r.internalErrors + r.leaks + r.unanswered + r.sentinelFailures > 0 ? 1 : 0;
}


/** `--target directory [--seconds N] [--seed S]`: the directory parser fuzz (issue 9), 0 throws expected. */
function directoryMain(argv: string[]): number {
  const num = (k: string, d: number) => { const i = argv.indexOf(k); return i >= 0 && Number.isFinite(Number(argv[i + 1])) ? Number(argv[i + 1]) : d; };
  const seconds = num('--seconds', 10), seed0 = Math.floor(num('--seed', Date.now() % 1_000_000_000));
  const deadline = performance.now() + seconds * 1000;
  let seed = seed0, directories = 0, throws = 0;
  while (performance.now() < deadline) {
    const r = fuzzDirectories(seed, 1000);
    directories += r.directories; throws += r.throws; seed += 1000;
    if (r.firstThrow) console.log(`seed ${r.firstThrow.seed}: ${r.firstThrow.error.split('\n').slice(0, 4).join('\n  ')}`);
  }
  console.log(JSON.stringify({ target: 'directory', directories, throws, seed_start: seed0, seed_end: seed - 1 }));
  return throws > 0 ? 1 : 0;
}

/** `--target cp|debugger|object|assembler|isolation [--seconds N] [--seed S]`: batches of seeds until the time is up. */
function frontendMain(target: string, argv: string[]): number {
  const num = (k: string, d: number) => { const i = argv.indexOf(k); return i >= 0 && Number.isFinite(Number(argv[i + 1])) ? Number(argv[i + 1]) : d; };
  const seconds = num('--seconds', 10), seed0 = Math.floor(num('--seed', Date.now() % 1_000_000_000));
  const dir = mkdtempSync(join(tmpdir(), 'tinycp-fuzz-'));
  const batch: Record<string, [number, (seed: number) => FuzzResult & { violations?: number }]> = {
    cp: [500, (s) => fuzzCpCommands(s, 500, dir)], debugger: [200, (s) => fuzzDebugger(s, 200)], object: [1000, (s) => fuzzObjects(s, 1000)],
    assembler: [200, (s) => fuzzAssembler(s, 200)], isolation: [10, (s) => fuzzIsolation(s, 10, dir)],
  };
  const [size, run] = batch[target] ?? [0, null];
  if (!run) { console.error(`unknown --target ${target} (directory, cp, debugger, object, assembler, isolation)`); return 2; }
  const deadline = performance.now() + seconds * 1000;
  let seed = seed0, inputs = 0, throws = 0, violations = 0;
  try {
    while (performance.now() < deadline) {
      const r = run(seed);
      inputs += r.inputs; throws += r.throws; violations += r.violations ?? 0; seed += size;
      if (r.firstThrow) {
        const input = JSON.stringify(r.firstThrow.input).slice(0, 200);
        console.log(`seed ${r.firstThrow.seed}: ${input}: ${r.firstThrow.error.split('\n').slice(0, 4).join('\n  ')}`);
      }
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
  console.log(JSON.stringify({ target, inputs, throws, violations, seed_start: seed0, seed_end: seed - 1 }));
  return throws + violations > 0 ? 1 : 0;
}

const targetAt = process.argv.indexOf('--target');
if (targetAt >= 0 && process.argv[targetAt + 1] === 'directory') process.exitCode = directoryMain(process.argv.slice(2));
else if (targetAt >= 0) process.exitCode = frontendMain(process.argv[targetAt + 1], process.argv.slice(2));
else if (process.argv.includes('--dap')) process.exitCode = await dapMain(process.argv.slice(2));
else process.exitCode = main();
