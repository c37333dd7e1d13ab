/**
 * Time-sharing scale figures for `npm run bench` (bench.ts imports `scaleFigures`):
 *
 * - `vms_100_aggregate_mips`: 100 compute-bound VMs logged on from a directory and dispatched
 *   together by CP's round-robin (time slices of `quantum` instructions), guest instructions per
 *   second, all VMs together; `vms_100_single_mips` is one such VM alone in the same run, and
 *   `vms_100_ratio` their ratio (target >= 0.9: dispatching many VMs costs little).
 * - `vms_1000_*`: the same with 1,000 VMs (target ratio >= 0.9). Both in steady state: every VM
 *   has been dispatched before the measurements, and each runs several quanta in each
 *   (`measureAggregate`).
 * - `bytes_per_idle_vm`: real memory a logged-on VM in an enabled wait costs beyond its virtual
 *   storage (target <= 8 KiB): 1,000 idle VMs against none (V8 heap + external memory, after
 *   full collections), median of 3 rounds; `bytes_per_idle_vm_accounted`, the typed arrays CP
 *   holds for an idle VM (`VirtualMachine.overheadBytes`: registers, its shadow table if it has
 *   one, its assist counters if used).
 *
 * Run alone: `node --import tsx bench/scale.ts` prints the figures as JSON.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { parseDirectory } from '../src/timesharing/directory.ts';
import { TimeSharingSystem } from '../src/timesharing/time-sharing-system.ts';
import { cpuMs } from './clock.ts';
import { isMain, ROOT } from './root.ts';

/** A compute-bound guest: arithmetic in a loop, forever, every interruption masked. */
const LOOP = `        .org  0
        .psw  0, start
        .org  0x200
start:  AHI   R1,1
        AR    R2,R1
        XR    R3,R2
        J     start
`;
const MINICMS = resolve(ROOT, 'programs/demo/minicms.s');

/** Temporary folders of this process, removed when the measurements end (and at exit, whatever happens). */
const made: string[] = [];
function tempFolder(): string { const d = mkdtempSync(join(tmpdir(), 'tinycp-scale-')); made.push(d); return d; }
/** Remove the temporary folders (spool, scratch programs) the measurements made. */
export function cleanup(): void { for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true }); }
process.once('exit', cleanup);

function system(users: string[], ipl: string, storage: string, quantum: number): TimeSharingSystem {
  const dir = tempFolder();
  const text = users.map((u) => `USER ${u} PW ${storage} AUTOLOG\n  IPL ${ipl}\n`).join('');
  const p = parseDirectory(text, join(dir, 'scale.direct'));
  if (!p.ok) throw new Error(p.errors.join('\n'));
  return new TimeSharingSystem(p.directory, { spoolDir: join(dir, 'spool'), logDir: null, quantum });
}

/** Guest MIPS of `sys` over `instructions` real instructions. */
function mips(sys: TimeSharingSystem, instructions: number): number {
  const before = sys.cp.realTime, t = cpuMs();
  sys.run(instructions);
  return (sys.cp.realTime - before) / ((cpuMs() - t) * 1000);
}

/** Quanta each VM runs per measurement, at least: steady state, not the first dispatch of each. */
const QUANTA_PER_VM = 4;

/**
 * One VM alone, then `n` VMs together, same guest, same instructions per measurement. Steady
 * state, honestly: first a warm-up that dispatches every VM at least once (n quanta, or a tenth
 * of `instructions` if more, so that V8 has optimised the loop's compiled region; the single VM
 * runs as many), so no VM is measured on its first dispatch (its first region lookup); then
 * each measurement runs `instructions / 3` real instructions or, if more, enough for every VM to
 * run QUANTA_PER_VM quanta. The two measurements alternate, three times each, so machine noise
 * hits both alike; the best of each is kept.
 */
export function measureAggregate(n = 100, instructions = 200_000_000, quantum = 50_000): { single: number; aggregate: number; ratio: number } {
  const dir = tempFolder();
  const ipl = join(dir, 'loop.s');
  writeFileSync(ipl, LOOP);
  const one = system(['SOLO'], ipl, '64K', quantum);
  one.boot();
  const many = system(Array.from({ length: n }, (_, i) => `U${i}`), ipl, '64K', quantum);
  many.boot();
  const warm = Math.max(n * quantum, Math.floor(instructions / 10));
  const each = Math.max(Math.floor(instructions / 3), QUANTA_PER_VM * n * quantum);
  one.run(warm); many.run(warm); // warm up the interpreter, the JIT and every VM
  let single = 0, aggregate = 0;
  for (let k = 0; k < 3; k++) {
    single = Math.max(single, mips(one, each));
    aggregate = Math.max(aggregate, mips(many, each));
  }
  one.shutdown(); many.shutdown();
  return { single, aggregate, ratio: aggregate / single };
}

/** The collector: `global.gc` under `node --expose-gc` (npm run bench), else exposed now. */
function forceGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Real bytes per logged-on idle VM beyond its storage: a system with `n` idle VMs (each has typed
 * its banner and waits in an enabled wait for a command) against the same system with none, both
 * after a full collection (several collections, until the heap stops shrinking), in `rounds`
 * fresh systems; the median. The difference includes each VM's storage (allocated at logon, so
 * it cannot be missed): the result is (after - before) / n - storage, never below 0 unless the
 * host frees memory that was in use before, which a fresh system does not. Also the typed arrays
 * CP allocates per VM (`accounted`).
 */
export function measureIdleVm(n = 1000, rounds = 3): { measured: number; accounted: number; rounds: number[] } {
  const gc = forceGc();
  const storage = 64 * 1024;
  const used = () => {
    let last = Infinity, u = 0;
    for (let k = 0; k < 5; k++) { gc(); const m = process.memoryUsage(); u = m.heapUsed + m.external; if (u >= last) break; last = u; }
    return u;
  };
  const per: number[] = [];
  let accounted = 0;
  for (let r = 0; r < rounds; r++) {
    const sys = system(Array.from({ length: n + 1 }, (_, i) => `I${i}`), MINICMS, '64K', 20_000);
    sys.logon('I0'); // build (assemble) once, outside the measurement
    sys.runUntilQuiet(1_000_000);
    const before = used();
    for (let i = 1; i <= n; i++) sys.logon(`I${i}`);
    sys.runUntilQuiet(100_000_000 + 50_000 * n);
    const idle = [...sys.users.values()].filter((u) => u.vm.state === 'idle').length;
    if (idle !== n + 1) throw new Error(`only ${idle} of ${n + 1} VMs are idle`);
    per.push((used() - before) / n - storage);
    const u = sys.users.get('I1')!;
    accounted = u.vm.overheadBytes;
    sys.shutdown();
  }
  return { measured: median(per), accounted, rounds: per };
}

/** The figures bench.ts merges into its JSON. */
export function scaleFigures(quick = false): Record<string, number> {
  const a = measureAggregate(100, quick ? 3_000_000 : 200_000_000);
  const k = measureAggregate(1000, quick ? 6_000_000 : 200_000_000, quick ? 2_000 : 50_000);
  const idle = measureIdleVm(quick ? 100 : 1000, quick ? 1 : 3);
  cleanup();
  return {
    vms_100_aggregate_mips: a.aggregate,
    vms_100_single_mips: a.single,
    vms_100_ratio: a.ratio,
    vms_1000_aggregate_mips: k.aggregate,
    vms_1000_single_mips: k.single,
    vms_1000_ratio: k.ratio,
    bytes_per_idle_vm: Math.round(idle.measured),
    bytes_per_idle_vm_accounted: idle.accounted,
  };
}

if (isMain('bench/scale.ts')) console.log(JSON.stringify(scaleFigures(), null, 1));
