/**
 * MTOS, the multitasking guest OS (programs/mtos): it must run to success with the same console
 * output bare and under CP, interleave its tasks, contain its rogue task, and under CP make CP
 * fill shadow tables and reflect SVCs, timer interruptions and the guest's own page faults.
 */
import { describe, expect, it } from 'vitest';
import { Session, type Mode } from '../src/session/session.ts';
import { buildOrThrow } from './guest-helpers.ts';

const MTOS = new URL('../programs/mtos/mtos.s', import.meta.url).pathname;

function image() {
  const b = buildOrThrow(MTOS);
  return b.image;
}

function run(mode: Mode, assist = true) {
  const lines: string[] = [];
  const s = new Session(image(), { mode, console: (l) => lines.push(l), recordInterrupts: true, assist });
  const outcome = s.run(5_000_000);
  return { s, lines, outcome };
}

describe('MTOS', () => {
  const bare = run('bare');
  // CP's own trap handling, counted without the virtual-machine assist (test/assist.test.ts: with it).
  const vm = run('vm', false);

  it('runs to a successful end on the bare machine', () => {
    expect(bare.outcome.state).toBe('ended');
    expect(bare.outcome.success, bare.outcome.message).toBe(true);
    expect(bare.lines[0]).toMatch(/^MTOS: starting 4 tasks/);
    expect(bare.lines.at(-1)).toMatch(/^MTOS: all tasks ended: \d+ dispatches, \d+ timer interruptions/);
  });

  it('runs identically under CP: same console output, same outcome, same guest interruptions', () => {
    expect(vm.outcome.success, vm.outcome.message).toBe(true);
    expect(vm.lines).toEqual(bare.lines);
    expect(vm.outcome.code).toBe(bare.outcome.code);
    expect(vm.s.time).toBe(bare.s.time);
    expect(vm.s.interrupts).toEqual(bare.s.interrupts);
  });

  it('interleaves at least three tasks, each step in order', () => {
    const steps = bare.lines.map((l) => /^task (\d): step (\d+)/.exec(l)).filter((m) => m !== null);
    const tasks = new Set(steps.map((m) => m[1]));
    expect([...tasks].sort()).toEqual(['1', '2', '3', '4']);
    for (const t of ['1', '2', '3']) {
      const mine = steps.filter((m) => m[1] === t).map((m) => Number(m[2]));
      expect(mine).toEqual(mine.map((_, i) => i + 1));
    }
    // Interleaved: the task of consecutive step lines changes often, and no task prints all its
    // lines before another starts.
    let switches = 0;
    for (let i = 1; i < steps.length; i++) if (steps[i][1] !== steps[i - 1][1]) switches++;
    expect(switches).toBeGreaterThanOrEqual(8);
    const first1 = bare.lines.findIndex((l) => l.startsWith('task 1:'));
    const last1 = bare.lines.map((l) => l.startsWith('task 1:')).lastIndexOf(true);
    expect(bare.lines.slice(first1, last1).some((l) => l.startsWith('task 2:'))).toBe(true);
    expect(bare.lines.slice(first1, last1).some((l) => l.startsWith('task 3:'))).toBe(true);
    // Task 2 computes the 12th, 24th, ... 60th primes.
    expect(bare.lines.filter((l) => l.startsWith('task 2:')).map((l) => l.split(' prime ')[1])).toEqual(['37', '89', '151', '223', '281']);
  });

  it('is preempted by the CPU timer and contains the rogue task', () => {
    const ticks = bare.s.interrupts.filter((i) => i.cls === 'external' && i.code === 0x1005).length;
    expect(ticks).toBeGreaterThan(10);
    // The rogue's store into the read-only code page (task pages are X'4000'-X'5FFF').
    expect(bare.lines.filter((l) => /^MTOS: task 4 abended: program check X'0004' at X'00[45][0-9A-F]{3}'$/.test(l))).toHaveLength(1);
    expect(bare.lines).toContain("MTOS: task 4 abended, code X'8004', page faults 1");
    expect(bare.lines).toContain('MTOS: task 3 ended, exit code 0, page faults 2');
    const summary = bare.lines.at(-1)!;
    expect(summary).toContain(`${ticks} timer interruptions`);
  });

  it('under CP: shadow-table fills, SVC, external, I/O and page-fault reflections', () => {
    const c = vm.s.vm!.counters;
    expect(c.shadowFills).toBeGreaterThan(20);
    expect(c.entries.svc).toBe(bare.s.interrupts.filter((i) => i.cls === 'svc').length);
    expect(c.entries.svc).toBeGreaterThan(20);
    expect(c.entries.external).toBeGreaterThan(10);
    expect(c.entries.io).toBeGreaterThan(10);
    expect(c.entries.privileged).toBeGreaterThan(50); // LCTL, SPT, LPSW, SIO, LRA ...
    // Five page faults (the guest's own, reflected) plus one protection exception.
    const pgm = vm.s.interrupts.filter((i) => i.cls === 'program');
    expect(pgm.map((i) => i.code).sort((a, b) => a - b)).toEqual([0x04, 0x11, 0x11, 0x11, 0x11, 0x11]);
    expect(c.efficiency).toBeGreaterThan(0.9);
  });
});
