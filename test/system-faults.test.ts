import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TimeSharingSystem } from '../src/timesharing/time-sharing-system.ts';
import { bootSystem, DEMO, instructions, workDir } from './system-helpers.ts';
import { prelude } from './guest-helpers.ts';

const compute = join(DEMO, 'compute.s');
const DIRECTORY = `USER A PW 128K AUTOLOG
  IPL ${compute}
USER VICTIM PW 128K AUTOLOG
  IPL ${compute}
USER B PW 128K AUTOLOG
  IPL ${compute}
`;

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Run in small steps until A and B have stopped, calling `between` after each step. */
function runAB(sys: TimeSharingSystem, between: () => void): void {
  for (let i = 0; i < 2_000; i++) {
    sys.run(20_000);
    between();
    if (sys.users.get('A')!.vm.state === 'stopped' && sys.users.get('B')!.vm.state === 'stopped') return;
  }
  throw new Error('A and B did not finish');
}

describe('fault containment', () => {
  for (const seed of [1, 2, 3]) {
    it(`random bit flips in one VM's storage leave the others' output unchanged (seed ${seed})`, () => {
      const base = bootSystem(workDir(), DIRECTORY);
      runAB(base, () => {});
      const expected = { A: base.mux.linesOf('A'), B: base.mux.linesOf('B') };
      expect(expected.A).toContain('PASS         8:      6542 PRIMES BELOW 65536');

      const sys = bootSystem(workDir(), DIRECTORY);
      const random = rng(seed);
      const victim = sys.users.get('VICTIM')!.vm;
      let flips = 0;
      runAB(sys, () => {
        for (let k = 0; k < 4; k++) {
          const bit = Math.floor(random() * victim.mem.length * 32);
          victim.mem[bit >>> 5] ^= 1 << (bit & 31);
          flips++;
        }
      });
      expect(flips).toBeGreaterThan(100);
      expect(sys.mux.linesOf('A')).toEqual(expected.A);
      expect(sys.mux.linesOf('B')).toEqual(expected.B);
      expect(sys.users.get('A')!.vm.stop).toMatchObject({ reason: 'disabled-wait', code: 0 });
    });
  }

  it('a program-check loop stops that VM alone with a diagnostic; IPL restarts it alone', () => {
    const sys = bootSystem(workDir(), DIRECTORY + `USER WILD PW 64K AUTOLOG\n  IPL ${join(DEMO, 'pgmloop.s')}\n`);
    sys.run(100_000);
    const wild = sys.users.get('WILD')!.vm;
    expect(wild.stop).toMatchObject({ reason: 'interruption-loop' });
    expect(sys.mux.linesOf('WILD').at(-1)).toMatch(/^CP ENTERED; VM STOPPED \(interruption-loop\): .*interruption loop/);
    const others = ['A', 'VICTIM', 'B'].map((u) => instructions(sys, u));
    expect(sys.cp.command(wild, 'IPL')).toBe(0);
    expect(wild.state).toBe('ready');
    expect(['A', 'VICTIM', 'B'].map((u) => instructions(sys, u))).toEqual(others); // IPL touched WILD only
    for (let i = 0; i < 20 && wild.state === 'ready'; i++) sys.run(10_000);
    expect(wild.stop).toMatchObject({ reason: 'interruption-loop' });
    expect(sys.mux.linesOf('WILD').filter((l) => l === 'ABOUT TO CRASH')).toHaveLength(2);
    sys.runUntilQuiet(50_000_000);
    for (const u of ['A', 'VICTIM', 'B']) expect(sys.users.get(u)!.vm.stop).toMatchObject({ reason: 'disabled-wait', code: 0 });
  });

  it('an exception inside CP while it serves one VM stops that VM only', () => {
    const sys = bootSystem(workDir(), DIRECTORY + `USER WILD PW 256K AUTOLOG\n  IPL ${join(DEMO, 'minicms.s')}\n`);
    // A broken device: any channel program to it throws inside CP's START I/O emulation.
    const wild = sys.users.get('WILD')!;
    wild.channel.attach(0x191, { type: '3310', command() { throw new Error('device model bug'); } });
    sys.run(50_000);
    sys.type(wild, 'TYPE'); // minicms reads its A-disk
    sys.runUntilQuiet(50_000_000);
    expect(wild.vm.stop).toMatchObject({ reason: 'check-stop', detail: 'CP error while running the VM: device model bug' });
    for (const u of ['A', 'VICTIM', 'B']) expect(sys.users.get(u)!.vm.stop).toMatchObject({ reason: 'disabled-wait', code: 0 });
  });

  it('SYSTEM RESET stops a VM until IPL; #CP IPL restarts it', () => {
    const sys = bootSystem(workDir(), `USER C PW 256K AUTOLOG\n  IPL ${join(DEMO, 'minicms.s')}\nINPUT C #CP SYSTEM RESET\nINPUT C #CP IPL\n`);
    sys.runUntilQuiet(1_000_000);
    const lines = sys.mux.linesOf('C');
    expect(lines).toContain('SYSTEM RESET: THE VM IS STOPPED UNTIL IPL');
    expect(lines.filter((l) => l.startsWith('MINICMS READY'))).toHaveLength(2);
    expect(sys.users.get('C')!.vm.state).toBe('idle');
  });

  it('a VM may IPL itself through DIAGNOSE X\'08\': CP restarts it once it is off the real CPU', () => {
    const dir = workDir({ 'reipl.s': `${prelude()}        .org  0x200
start:  SAY   msg,msglen
        LARL  R2,cmd
        LHI   R3,3
        DIAG  R2,R3,DIAG_CP_COMMAND
        SAY   after,afterlen
        EXIT  12
        .align 4
cmd:    .ascii "IPL"
        .align 4
msg:    .ascii "HELLO"
msglen = * - msg
        .align 4
after:  .ascii "NOT REACHED"
afterlen = * - after
` });
    const sys = bootSystem(dir, 'USER SELF PW 64K AUTOLOG\n  IPL reipl.s\n');
    for (let i = 0; i < 5; i++) sys.run(1_000);
    const lines = sys.mux.linesOf('SELF');
    expect(lines.filter((l) => l === 'HELLO').length).toBeGreaterThanOrEqual(3);
    expect(lines).not.toContain('NOT REACHED');
  });
});
