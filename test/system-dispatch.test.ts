import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootSystem, counter, DEMO, instructions, workDir } from './system-helpers.ts';

const QUANTUM = 10_000;

describe('CP dispatching many VMs', () => {
  it('gives fair shares round-robin, and preempts a VM spinning with every interruption masked', () => {
    const dir = workDir({ 'spin.s': counter(0), 'count.s': counter(0x0300_0000) });
    const sys = bootSystem(dir, `USER SPIN PW 64K AUTOLOG
  IPL spin.s
USER A PW 64K AUTOLOG
  IPL count.s
USER B PW 64K AUTOLOG
  IPL count.s
USER C PW 64K AUTOLOG
  IPL count.s
`, { quantum: QUANTUM });
    expect(sys.run(4_000_000)).toBe('budget');
    const n = ['SPIN', 'A', 'B', 'C'].map((u) => instructions(sys, u));
    for (const x of n) expect(Math.abs(x - 1_000_000)).toBeLessThanOrEqual(QUANTUM);
    // The masked spinner was preempted at the end of every slice: one dispatch per slice.
    expect(n.reduce((a, b) => a + b)).toBe(4_000_000);
    expect(sys.users.get('SPIN')!.vm.state).toBe('ready');
  });

  it('honours SHARE: a user with SHARE 3 gets three slices per round', () => {
    const dir = workDir({ 'count.s': counter(0) });
    const sys = bootSystem(dir, `USER BIG PW 64K AUTOLOG SHARE 3
  IPL count.s
USER SMALL PW 64K AUTOLOG
  IPL count.s
`, { quantum: QUANTUM });
    sys.run(4_000_000);
    expect(instructions(sys, 'BIG')).toBe(3_000_000);
    expect(instructions(sys, 'SMALL')).toBe(1_000_000);
  });

  it('an idle VM (enabled wait for console input) costs nothing', () => {
    const users = Array.from({ length: 8 }, (_, i) => `USER IDLE${i} PW 256K AUTOLOG\n  IPL ${join(DEMO, 'minicms.s')}\n`).join('');
    const dir = workDir({ 'count.s': counter(0) });
    const sys = bootSystem(dir, `${users}USER WORK PW 64K AUTOLOG\n  IPL count.s\n`, { quantum: QUANTUM });
    sys.run(200_000); // every minicms types its banner and waits for a command
    const idle = Array.from({ length: 8 }, (_, i) => sys.users.get(`IDLE${i}`)!.vm);
    for (const vm of idle) expect(vm.state).toBe('idle');
    const before = idle.map((vm) => vm.counters.direct + vm.counters.handled);
    const work = instructions(sys, 'WORK');
    sys.run(2_000_000);
    expect(idle.map((vm) => vm.counters.direct + vm.counters.handled)).toEqual(before);
    expect(instructions(sys, 'WORK') - work).toBe(2_000_000);
    // Input wakes exactly the VM it is for.
    sys.type(sys.users.get('IDLE3')!, 'QUIT');
    sys.run(100_000);
    expect(idle[3].state).toBe('stopped');
    expect(idle[3].stop).toMatchObject({ reason: 'disabled-wait', code: 0 });
    expect(idle[2].state).toBe('idle');
  });

  it('keeps each VM in its own storage and reports the real storage it uses', () => {
    const dir = workDir({ 'count.s': counter(0) });
    const sys = bootSystem(dir, `USER A PW 64K AUTOLOG\n  IPL count.s\nUSER B PW 1M AUTOLOG\n  IPL count.s\n`);
    sys.run(100_000);
    const [a, b] = [sys.users.get('A')!.vm, sys.users.get('B')!.vm];
    expect(a.mem.buffer).not.toBe(b.mem.buffer);
    const rows = sys.report();
    expect(rows.map((r) => [r.user, r.storageK])).toEqual([['A', 64], ['B', 1024]]);
    for (const r of rows) expect(r.realK).toBeGreaterThan(r.storageK);
    for (const r of rows) expect(r.realK - r.storageK).toBeLessThan(64);
  });
});
