/**
 * Time-sharing scale figures for `npm run bench` (bench.ts imports `scaleFigures`):
 *
 * - `vms_100_aggregate_mips`: 100 compute-bound VMs logged on from a directory and dispatched
 *   together by CP's round-robin (time slices of `quantum` instructions), guest instructions per
 *   second, all VMs together; `vms_100_single_mips` is one such VM alone in the same run, and
 *   `vms_100_ratio` their ratio (target >= 0.9: dispatching many VMs costs little).
 * - `bytes_per_idle_vm`: real memory a logged-on VM in an enabled wait costs beyond its virtual
 *   storage (target < 64 KiB), measured around logging on N idle VMs (V8 heap + array buffers,
 *   after a forced GC), and `bytes_per_idle_vm_accounted`, the typed arrays CP allocates per VM.
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

/** A compute-bound guest: arithmetic in a loop, forever, every interruption masked. */
const LOOP = `        .org  0
        .psw  0, start
        .org  0x200
start:  AHI   R1,1
        AR    R2,R1
        XR    R3,R2
        J     start
`;
const MINICMS = resolve(import.meta.dirname, '../programs/demo/minicms.s');

/** Temporary folders of this process, removed when a measurement ends (and at exit, whatever happens). */
const made: string[] = [];
function tempFolder(): string { const d = mkdtempSync(join(tmpdir(), 'tinycp-scale-')); made.push(d); return d; }
function removeFolders(): void { for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true }); }
process.once('exit', removeFolders);

function system(users: string[], ipl: string, storage: string, quantum: number): TimeSharingSystem {
  const dir = tempFolder();
  const text = users.map((u) => `USER ${u} PW ${storage} AUTOLOG\n  IPL ${ipl}\n`).join('');
  const p = parseDirectory(text, join(dir, 'scale.direct'));
  if (!p.ok) throw new Error(p.errors.join('\n'));
  return new TimeSharingSystem(p.directory, { spoolDir: join(dir, 'spool'), logDir: null, quantum });
}

/** Guest MIPS of `sys` over `instructions` real instructions (after a warm-up). */
function mips(sys: TimeSharingSystem, instructions: number): number {
  sys.run(Math.min(Math.floor(instructions / 10), 2_000_000)); // warm up the interpreter and the JIT
  const before = sys.cp.realTime, t = performance.now();
  sys.run(instructions);
  return (sys.cp.realTime - before) / ((performance.now() - t) * 1000);
}

/** One VM alone, then `n` VMs together, same guest, same total instructions. */
export function measureAggregate(n = 100, instructions = 200_000_000, quantum = 50_000): { single: number; aggregate: number; ratio: number } {
  const dir = tempFolder();
  const ipl = join(dir, 'loop.s');
  writeFileSync(ipl, LOOP);
  const one = system(['SOLO'], ipl, '64K', quantum);
  one.boot();
  const many = system(Array.from({ length: n }, (_, i) => `U${i}`), ipl, '64K', quantum);
  many.boot();
  // Alternate the two measurements so machine noise hits both alike; keep the best of each.
  let single = 0, aggregate = 0;
  for (let k = 0; k < 3; k++) {
    single = Math.max(single, mips(one, Math.floor(instructions / 3)));
    aggregate = Math.max(aggregate, mips(many, Math.floor(instructions / 3)));
  }
  one.shutdown(); many.shutdown();
  removeFolders();
  return { single, aggregate, ratio: aggregate / single };
}

function forceGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Real bytes per logged-on idle VM beyond its storage: measured, and accounted. */
export function measureIdleVm(n = 200): { measured: number; accounted: number } {
  const gc = forceGc();
  const storage = 64 * 1024;
  const sys = system(Array.from({ length: n }, (_, i) => `I${i}`), MINICMS, '64K', 20_000);
  sys.logon('I0'); // build (assemble) once, outside the measurement
  sys.runUntilQuiet(1_000_000);
  const used = () => { gc(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
  const before = used();
  for (let i = 1; i < n; i++) sys.logon(`I${i}`);
  sys.runUntilQuiet(100_000_000); // every minicms types its banner and waits for a command
  const idle = [...sys.users.values()].filter((u) => u.vm.state === 'idle').length;
  if (idle !== n) throw new Error(`only ${idle} of ${n} VMs are idle`);
  const measured = (used() - before) / (n - 1) - storage;
  const u = sys.users.get('I1')!;
  const accounted = u.overhead;
  sys.shutdown();
  removeFolders();
  return { measured, accounted };
}

/** The figures bench.ts merges into its JSON. */
export function scaleFigures(): Record<string, number> {
  const a = measureAggregate();
  const idle = measureIdleVm();
  return {
    vms_100_aggregate_mips: a.aggregate,
    vms_100_single_mips: a.single,
    vms_100_ratio: a.ratio,
    bytes_per_idle_vm: Math.round(idle.measured),
    bytes_per_idle_vm_accounted: idle.accounted,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(scaleFigures(), null, 1));
