/**
 * The virtual-machine assist (src/cpu/assist.ts, PoO 2.9) changes nothing a guest can see: every
 * guest program runs under CP with the assist on and off, with the same outcome, console output,
 * guest-visible interruptions (with their times), final state and storage. And it does its work:
 * the OSTEP system call completes with no CP entry, tracing turns it off, the counters add up.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OP } from '../src/cpu/isa.ts';
import { storageHash } from '../src/cpu/storage.ts';
import { buildFile, buildSource } from '../src/host/build.ts';
import { Session } from '../src/session/session.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUDGET = 5_000_000;

function run(file: string, assist: boolean, trace = false) {
  const b = buildFile(join(ROOT, file));
  if (!b.ok) throw new Error(b.errors.join('\n'));
  const out: string[] = [];
  const s = new Session(b.image, { mode: 'vm', console: (l) => out.push(l), recordInterrupts: true });
  const vm = s.vm!;
  vm.assist = assist;
  if (trace) s.cp!.on(() => {});
  const outcome = s.run(BUDGET);
  return {
    seen: { outcome, out, interrupts: s.interrupts, state: s.guestState(), mem: storageHash(s.mem) },
    assist: vm.assistCounters, entries: vm.counters.totalEntries,
  };
}

const programs = [
  ...readdirSync(join(ROOT, 'programs/tests')).filter((f) => f.endsWith('.s')).sort().map((f) => `programs/tests/${f}`),
  'programs/hello.s', 'programs/syscall.s', 'programs/ssm.s', 'programs/mtos/mtos.s', 'programs/tlbmiss.s',
];

describe('virtual-machine assist: what the guest sees is the same with it on and off', () => {
  for (const f of programs) {
    it(f, () => {
      const on = run(f, true), off = run(f, false);
      expect(on.seen).toEqual(off.seen);
      expect(off.assist.total.completed, 'assist off: nothing completed by it').toBe(0);
      // What the assist completed is what CP, without it, had to handle: the totals agree.
      const t = on.assist.total;
      expect(t.completed + t.passed).toBe(off.assist.total.passed);
    });
  }
});

describe('virtual-machine assist: what it does', () => {
  it('completes the OSTEP system call (SVC reflected, LPSW back) with no CP entry', () => {
    const on = run('programs/syscall.s', true), off = run('programs/syscall.s', false);
    expect(on.seen.outcome.success).toBe(true);
    expect(on.entries).toBe(0);
    expect(off.entries).toBeGreaterThan(2 * 100_000);
    expect(on.assist.completed[OP.SVC]).toBe(off.assist.passed[OP.SVC]);
    expect(on.assist.completed[OP.LPSW]).toBe(off.assist.passed[OP.LPSW]);
    expect(on.assist.hitRatio).toBe(1);
  });

  it('completes all of MTOS\'s exits: I/O, LCTL of CR1 (a task switch), LRA, SPT, LPSW, SVC', () => {
    const on = run('programs/mtos/mtos.s', true), off = run('programs/mtos/mtos.s', false);
    const by = on.assist.byInstruction(), byOff = off.assist.byInstruction();
    for (const m of ['SIO', 'LCTL', 'LRA', 'SPT', 'LPSW', 'SVC']) {
      expect(by[m].completed, m).toBeGreaterThan(0);
      expect(by[m], m).toEqual({ completed: byOff[m].passed, passed: 0 });
    }
    expect(on.assist.hitRatio).toBe(1);
  });

  it('is off while CP is traced: every event reaches the listeners', () => {
    const traced = run('programs/syscall.s', true, true), off = run('programs/syscall.s', false);
    expect(traced.assist.total.completed).toBe(0);
    expect(traced.entries).toBe(off.entries);
    expect(traced.seen).toEqual(off.seen);
  });
});

describe('virtual-machine assist: interruption loops (PoO 5.2.1)', () => {
  // A program new PSW that points at an invalid operation: every reflection faults at once. The
  // assist reflects the first ones itself; the one that makes the loop is CP's, which stops the VM
  // at the same instruction count as the bare machine check-stops.
  const LOOP = `
        .include "tinycp.inc"
        .org  0
        .psw  0, start
        .org  LC_PROGRAM_NEW
        .psw  0, bad
        .org  0x200
start:  LHI   R1,5
        SVC   1
bad:    .word 0
`;
  it('stops in the same place bare, with the assist and without', () => {
    const b = buildSource(LOOP, 'loop.s');
    if (!b.ok) throw new Error(b.errors.join('\n'));
    const go = (mode: 'bare' | 'vm', assist = true) => {
      const s = new Session(b.image, { mode, recordInterrupts: true, assist });
      const outcome = s.run(100_000);
      return { reason: outcome.reason, interrupts: s.interrupts, state: s.guestState(), completed: s.vm?.assistCounters.total.completed ?? 0 };
    };
    const bare = go('bare'), on = go('vm'), off = go('vm', false);
    expect(bare.reason).toBe('interruption-loop');
    expect(on.interrupts.length).toBeGreaterThan(60);
    for (const r of [on, off]) expect({ ...r, completed: 0 }).toEqual({ ...bare, completed: 0 });
    expect(on.completed).toBeGreaterThan(60);
    expect(off.completed).toBe(0);
  });
});

describe('virtual-machine assist: the command line', () => {
  const tinycp = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/tinycp.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });

  it('run --stats reports the hit ratio; --no-assist turns the assist off', () => {
    const on = JSON.parse(tinycp('run', '--vm', '--stats', '--json', 'programs/syscall.s').stdout.trim().split('\n').pop()!);
    const off = JSON.parse(tinycp('run', '--vm', '--stats', '--json', '--no-assist', 'programs/syscall.s').stdout.trim().split('\n').pop()!);
    expect(on.assist.enabled).toBe(true);
    expect(on.assist.hit_ratio).toBe(1);
    expect(on.cp_entries).toBe(0);
    expect(off.assist.enabled).toBe(false);
    expect(off.assist.hit_ratio).toBe(0);
    expect(off.assist.passed).toBe(on.assist.completed);
    expect(off.instructions).toBe(on.instructions);
  }, 60_000);

  it('run --trace says that tracing turns the assist off', () => {
    const r = tinycp('run', '--vm', '--trace', 'programs/hello.s');
    expect(r.stdout).toMatch(/assist is off while tracing/);
    expect(tinycp('run', '--vm', '--trace', '--no-assist', 'programs/hello.s').stdout).not.toMatch(/assist is off/);
  }, 60_000);
});
