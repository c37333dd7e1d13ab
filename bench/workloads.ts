/**
 * The benchmark workloads (issue 11): real guest work in programs/bench/ (plus MTOS and a CMS
 * session), each beside the same computation hand-written in plain JavaScript (bench/js/), the
 * limit an emulator in JavaScript can approach. Used by bench.ts (timing) and by
 * test/bench-workloads.test.ts (the guest and the JavaScript agree, bare and under CP, JIT on
 * and off). Every guest program checks itself: it ends with success only with the right result.
 */
import { resolve } from 'node:path';
import { Disk3310 } from '../src/cpu/io/disk.ts';
import { MemoryBlockStore } from '../src/cpu/io/blockstore.ts';
import { buildFile } from '../src/host/build.ts';
import { Session, type Mode, type SessionOptions } from '../src/session/session.ts';
import { assist } from './assist.ts';
import { JitCode } from '../src/cpu/jit.ts';
import { calls } from './js/calls.ts';
import { cmsSession } from './js/cms.ts';
import { crc32 } from './js/crc32.ts';
import { mtos } from './js/mtos.ts';
import { sieve } from './js/sieve.ts';
import { sort } from './js/sort.ts';
import { strings } from './js/strings.ts';
import { cpuMs } from './clock.ts';
import { ROOT } from './root.ts';


/** One measured guest run. */
export interface GuestRun {
  ms: number;
  /** Guest instructions executed (what MIPS counts). */
  instructions: number;
  /** CP entries (0 on the bare machine). */
  entries: number;
  success: boolean;
  /** The computed result, comparable with the JavaScript one (JSON-equal). */
  result: unknown;
  /** Under CP: the Virtual Machine Assist's hit ratio (bench/assist.ts), or null. */
  hitRatio: number | null;
}

export interface RunOptions {
  mode: Mode; jit?: boolean; jitThreshold?: number; reps?: number;
  /** Under CP: the Virtual Machine Assist on or off (bench/assist.ts; ignored until it exists). */
  assist?: boolean;
}

/** Session options for `o` (the assist switch, when there is one). */
const sessionOptions = (o: RunOptions): SessionOptions => ({ mode: o.mode, ...(o.mode === 'vm' && o.assist !== undefined ? assist.options(o.assist) : {}) });

export interface Workload {
  name: string;
  /** The guest program, relative to the repository. */
  program: string;
  /** Repetitions per timed run (the `reps` word, or whole sessions for MTOS and CMS). */
  reps: number;
  /** The same computation in JavaScript: its result for `reps` repetitions. */
  js(reps: number): unknown;
  /** Run the guest once (`reps` repetitions), timed. */
  run(o: RunOptions): GuestRun;
}

const images = new Map<string, ReturnType<typeof build>>();
function build(file: string) {
  const b = buildFile(resolve(ROOT, file));
  if (!b.ok) throw new Error(b.errors.join('\n'));
  return b.image;
}
function image(file: string) { let i = images.get(file); if (!i) { i = build(file); images.set(file, i); } return i; }

/**
 * The bench's compiled code, given to every machine it makes (a host's choice, src/cpu/jit.ts): the
 * runs of one workload, bare and under CP, use the regions (and V8's optimised functions) the
 * first run made, as one long-running host would, instead of compiling anew for each machine.
 */
export const BENCH_JIT = new JitCode();

function configure(s: Session, o: RunOptions): void {
  s.cpu.jitCode = BENCH_JIT;
  if (o.jit !== undefined) s.cpu.jit = o.jit;
  if (o.jitThreshold !== undefined) s.cpu.jitThreshold = o.jitThreshold;
}

const BUDGET = 2_000_000_000;

/** A programs/bench/ kernel: patch `reps`, run to its EXIT, read `result`. */
function kernel(name: string, reps: number, js: (reps: number) => number): Workload {
  const program = `programs/bench/${name}.s`;
  return {
    name, program, reps, js,
    run(o) {
      const img = image(program);
      const s = new Session(img, sessionOptions(o));
      configure(s, o);
      s.mem[img.symbols.REPS >>> 2] = o.reps ?? reps;
      const t0 = cpuMs();
      const out = s.run(BUDGET);
      const ms = cpuMs() - t0;
      return { ms, instructions: s.instructions, entries: s.vm ? s.vm.counters.totalEntries : 0, success: out.success, result: s.mem[img.symbols.RESULT >>> 2], hitRatio: assist.hitRatio(s) };
    },
  };
}

/** Run whole sessions `reps` times (each a fresh machine); time them together. */
function sessions(reps: number, make: () => { s: Session; lines: string[] }, o: RunOptions, result: (lines: string[]) => unknown): GuestRun {
  let ms = 0, instructions = 0, entries = 0, success = true, res: unknown = null, hitRatio: number | null = null;
  for (let r = 0; r < reps; r++) {
    const { s, lines } = make();
    configure(s, o);
    const t0 = cpuMs();
    const out = s.run(BUDGET);
    ms += cpuMs() - t0;
    instructions += s.instructions; entries += s.vm ? s.vm.counters.totalEntries : 0;
    success &&= out.success;
    res = result(lines);
    hitRatio = assist.hitRatio(s);
  }
  return { ms, instructions, entries, success, result: res, hitRatio };
}

/** The CMS session: format the A-disk, create a 40-line file, copy, type, list and erase files. */
export const CMS_SCRIPT: readonly string[] = [
  'FORMAT',
  'CREATE BIG FILE', ...Array.from({ length: 40 }, (_, i) => `line ${i + 1} `.padEnd(30, '*')), '',
  'LISTFILE', 'TYPE BIG FILE',
  'COPYFILE BIG FILE COPY1 FILE', 'COPYFILE COPY1 FILE COPY2 FILE', 'TYPE COPY2 FILE', 'LISTFILE',
  'ERASE BIG FILE', 'ERASE COPY1 FILE', 'LISTFILE', 'TYPE COPY2 FILE', 'LOGOFF',
];
const CMS_BLOCKS = 256;

export const WORKLOADS: readonly Workload[] = [
  kernel('sieve', 60, sieve),
  kernel('sort', 10, sort),
  kernel('crc32', 150, crc32),
  kernel('strings', 300, strings),
  kernel('calls', 50, calls),
  {
    name: 'mtos', program: 'programs/mtos/mtos.s', reps: 20, js: mtos,
    run(o) {
      return sessions(o.reps ?? this.reps, () => {
        const lines: string[] = [];
        return { s: new Session(image(this.program), { ...sessionOptions(o), console: (l) => lines.push(l) }), lines };
      }, o, (lines) => [1, 2, 3, 4].map((k) => lines.filter((l) => l.startsWith(`task ${k}:`))));
    },
  },
  {
    name: 'cms', program: 'programs/cms/cms.s', reps: 10, js: (reps) => { let r: string[] = []; for (let i = 0; i < reps; i++) r = cmsSession(CMS_SCRIPT, CMS_BLOCKS); return r; },
    run(o) {
      return sessions(o.reps ?? this.reps, () => {
        const lines: string[] = [];
        const s = new Session(image(this.program), { ...sessionOptions(o), input: [...CMS_SCRIPT], console: (l) => lines.push(l) });
        s.devices.channel.attach(0x191, new Disk3310(new MemoryBlockStore(CMS_BLOCKS)));
        return { s, lines };
      }, o, (lines) => lines);
    },
  },
];
