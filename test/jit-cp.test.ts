/**
 * The loop JIT in whole systems: every guest program in programs/ (self-checking tests, demos,
 * the benchmark loop) and purpose-built guest loops, on the bare machine and in virtual machines
 * under CP, must give the same outcome, console output, guest-visible interruptions (with their
 * virtual times), final state and storage with the JIT on (at threshold 1, so that it is used as
 * much as possible) as with it off.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { JitCode } from '../src/cpu/jit.ts';
import { makeStorage, storageHash } from '../src/cpu/storage.ts';
import { load } from '../src/guest/loader.ts';
import { ControlProgram } from '../src/monitor/cp.ts';
import { VirtualMachine } from '../src/monitor/vm.ts';
import { buildSource } from '../src/host/build.ts';
import { Session, type Mode } from '../src/session/session.ts';
import { buildOrThrow, buildSourceOrThrow, prelude } from './guest-helpers.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUDGET = 5_000_000;

type Image = ConstructorParameters<typeof Session>[0];

const hash = storageHash;

/** One code cache for every machine made here, so its counters prove that compiled code ran. */
const JIT = new JitCode();
const jitStats = JIT.stats;

function runImage(image: Image, mode: Mode, jit: boolean, budget = BUDGET, patch?: (mem: Int32Array) => void) {
  const out: string[] = [];
  const s = new Session(image, { mode, console: (l) => out.push(l), recordInterrupts: true });
  patch?.(s.mem);
  s.cpu.jit = jit; s.cpu.jitThreshold = 1; s.cpu.jitCode = JIT;
  const outcome = s.run(budget);
  return { outcome, out, interrupts: s.interrupts, state: s.guestState(), mem: hash(s.mem), time: s.time };
}

/** A VM of `cp` named `name` with the assembled program `b` loaded in 64 KiB and its IPL PSW. */
function addLoaded(cp: ControlProgram, name: string, b: ReturnType<typeof buildSource>): VirtualMachine {
  if (!b.ok) throw new Error(b.errors.join('\n'));
  const mem = makeStorage(64 * 1024);
  if (!load(mem, b.image).ok) throw new Error('load');
  const vm = new VirtualMachine(name, mem);
  vm.setPsw(mem[0], mem[1]);
  return cp.addVm(vm);
}

function image(file: string): Image {
  const b = buildOrThrow(file);
  return b.image;
}

const tests = readdirSync(join(ROOT, 'programs/tests')).filter((f) => f.endsWith('.s')).sort().map((f) => join('programs/tests', f));
/** Guest operating systems with DAT on: MTOS's tasks (one address space each) and the TLB-miss demo. */
const datPrograms = ['programs/mtos/mtos.s', 'programs/tlbmiss.s'];
/** The benchmark workloads (sieve, sort, CRC-32, strings, recursive calls) and loop.s. */
const bench = readdirSync(join(ROOT, 'programs/bench')).filter((f) => f.endsWith('.s')).sort().map((f) => join('programs/bench', f));
const programs = [...tests, 'programs/hello.s', ...bench, ...datPrograms];

describe('loop JIT: guest programs give identical results with the JIT on and off', () => {
  for (const f of programs) {
    it(f, () => {
      const img = image(join(ROOT, f));
      for (const mode of ['bare', 'vm'] as const) {
        const off = runImage(img, mode, false), on = runImage(img, mode, true);
        expect(on, `${f} ${mode}`).toEqual(off);
      }
    });
  }
});

/** A guest with three hot loops: an array sum (L/A/LA/BCT), a loop that rewrites its own AHI, an overflow under the mask. */
const LOOPS = `
${prelude({ LC_PROGRAM_NEW: 'pgm' })}        .org  0x200
start:  LA    R5,array
        LHI   R2,64
        LHI   R3,0
sum:    A     R3,0(R5)
        ST    R3,0(R5)
        LA    R5,4(R5)
        BCT   R2,sum
* self-modifying: each iteration stores a new AHI (immediate + 1) over the next iteration's AHI
        LHI   R2,200
        L     R6,ahi
smc:    ST    R6,bump
bump:   AHI   R7,1
        AHI   R6,1
        BRCT  R2,smc
* overflow with the fixed-point-overflow mask on: the program check comes from inside the loop
        L     R1,mask
        SPM   R1
        LHI   R1,1
        SLL   R1,24
ovf:    AR    R8,R1
        J     ovf
pgm:    L     R9,LC_PGM_CODE
        EXIT
        .align 4
mask:   .word 0x08000000
ahi:    AHI   R7,1
array:  .rept 64
        .word 3
        .endr
`;

describe('loop JIT with DAT on: guest operating systems', () => {
  it('runs MTOS tasks (problem state, DAT on, one address space each) compiled, bare and under CP', () => {
    const img = image(join(ROOT, 'programs/mtos/mtos.s'));
    for (const mode of ['bare', 'vm'] as const) {
      const before = jitStats.datInstructions;
      const off = runImage(img, mode, false), on = runImage(img, mode, true);
      expect(on, mode).toEqual(off);
      expect(on.outcome.success, mode).toBe(true);
      expect(jitStats.datInstructions - before, `${mode}: compiled code ran with DAT on`).toBeGreaterThan(5_000); // of ~52,000 in all
    }
  });
});

describe('loop JIT: hot guest loops under CP', () => {
  it('runs them compiled with the same results as the interpreter, bare and in a VM', () => {
    const b = buildSourceOrThrow(LOOPS, 'loops.s');
    for (const mode of ['bare', 'vm'] as const) {
      const before = jitStats.instructions;
      const off = runImage(b.image, mode, false), on = runImage(b.image, mode, true);
      expect(on, mode).toEqual(off);
      expect(on.outcome.success, mode).toBe(true);
      expect(on.state.gpr[9], 'fixed-point overflow reached').toBe(8);
      expect(jitStats.instructions - before, 'compiled code ran').toBeGreaterThan(100);
    }
  });

  it('keeps VMs apart: the same address holds different loops in two VMs sharing the real CPU', () => {
    const loop = (inc: number) => buildSource(`
${prelude()}        .org  0x400
start:  L     R2,count
loop:   AHI   R3,${inc}
        BRCT  R2,loop
        EXIT
count:  .word 300000
`, 'vm.s');
    const run = (jit: boolean) => {
      const cp = new ControlProgram();
      cp.cpu.jit = jit; cp.cpu.jitThreshold = 1; cp.cpu.jitCode = JIT;
      const vms = [1, 2, 3].map((inc, i) => addLoaded(cp, `VM${i}`, loop(inc)));
      // Many short dispatches, each entering the loop afresh, alternating storages.
      for (let round = 0; round < 900; round++) for (const vm of vms) if (vm.state === 'ready') cp.runVm(vm, 777);
      return vms.map((v) => ({ gpr: [...v.gpr], ia: v.ia, now: v.now, state: v.state }));
    };
    const off = run(false);
    const before = jitStats.entries;
    const on = run(true);
    expect(jitStats.entries - before, 'compiled code ran').toBeGreaterThan(100);
    expect(on).toEqual(off);
    expect(on.map((v) => v.gpr[3])).toEqual([300000, 600000, 900000]);
  });

  it('shares one compiled function per loop across real CPUs and VMs; each VM runs it on its own registers and storage', () => {
    // One loop (the same words at the same address) with a different trip count in each VM's storage.
    const src = (count: number) => buildSource(`
${prelude()}        .org  0x400
start:  L     R2,count
loop:   AHI   R3,1
        A     R3,step
        BRCT  R2,loop
        EXIT
count:  .word ${count}
step:   .word ${count % 7}
`, 'shared.s');
    const counts = [[100_000, 200_003], [150_001, 250_004]];
    const cps = counts.map((cs) => {
      const cp = new ControlProgram(); // its own CPU and its own JitCode
      cp.cpu.jitThreshold = 1;
      for (const [i, c] of cs.entries()) addLoaded(cp, `V${i}`, src(c));
      return cp;
    });
    for (let round = 0; round < 400; round++) for (const cp of cps) for (const vm of cp.vms) if (vm.state === 'ready') cp.runVm(vm, 5_003);
    // Each VM's result is its own count's: nothing of another VM's state reached it.
    expect(cps.map((cp) => cp.vms.map((v) => v.gpr[3]))).toEqual(counts.map((cs) => cs.map((c) => c * (1 + (c % 7)))));
    const fns = cps.map((cp) => {
      const regions = [...cp.cpu.jitCode.shared.values()].flat().filter((r) => r.fn !== null);
      expect(regions.length, 'one compiled region per CPU').toBe(1);
      return regions[0].fn;
    });
    expect(fns[0], 'the two CPUs run one function').toBe(fns[1]);
  });
});
