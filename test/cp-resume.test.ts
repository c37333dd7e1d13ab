/**
 * CP handles a trap within the real CPU's run and resumes the VM there (cp.ts `intercepted`, the
 * CPU's InterceptHost): it must be exactly what runVm's own loop does between two dispatches. The
 * loop itself still runs while anyone traces (a listener turns the resumption off), so a traced
 * run, a run cut into small budgets and one long run must agree on everything the guest and CP's
 * counters show: outcome, registers, PSW, time, each interruption and when it came.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OP } from '../src/cpu/isa.ts';
import { buildFile } from '../src/host/build.ts';
import { Session, type Outcome } from '../src/session/session.ts';
import { buildSourceOrThrow, prelude } from './guest-helpers.ts';

const ROOT = join(import.meta.dirname, '..');
const TESTS = join(ROOT, 'programs/tests');
const PROGRAMS = [
  ...readdirSync(TESTS).filter((f) => f.endsWith('.s')).map((f) => join(TESTS, f)),
  join(ROOT, 'programs/syscall.s'), join(ROOT, 'programs/ssm.s'), join(ROOT, 'programs/timer.s'), join(ROOT, 'programs/tlbmiss.s'),
];

type How = 'long' | 'traced' | 'sliced';

/** Run `file` under CP (assist on or off) one way; returns what must not depend on the way. */
function runAs(file: string, assist: boolean, how: How) {
  const b = buildFile(file);
  if (!b.ok) throw new Error(b.errors.join('\n'));
  const s = new Session(b.image, { mode: 'vm', assist, recordInterrupts: true, console: () => {} });
  const count = b.image.symbols.COUNT;
  if (count !== undefined) s.mem[count >>> 2] = 300; // the bench programs: a few hundred round trips
  if (how === 'traced') s.cp!.on(() => {});
  const steps = [1, 2, 3, 5, 8, 13, 97];
  let out: Outcome = s.run(0);
  for (let i = 0, spent = 0; spent < 2_000_000; i++) {
    const n = how === 'sliced' ? steps[i % steps.length] : 2_000_000;
    out = s.run(n);
    spent += n;
    if (out.state !== 'running' || out.reason !== 'budget') break;
  }
  const vm = s.vm!, k = vm.counters;
  return {
    out, state: s.guestState(), interrupts: s.interrupts, realTime: s.cp!.realTime,
    counters: { direct: k.direct, handled: k.handled, emulated: k.emulated, reflected: k.reflected, fills: k.shadowFills, entries: { ...k.entries } },
  };
}

describe('CP resumes a VM within the real CPU run exactly as its dispatch loop would', () => {
  for (const file of PROGRAMS) {
    const name = file.slice(ROOT.length + 1);
    it(`${name}: one long run, a traced run and a run in small budgets agree (assist off)`, () => {
      const long = runAs(file, false, 'long');
      expect(long.out.state).toBe('ended');
      expect(runAs(file, false, 'traced')).toEqual(long);
      expect(runAs(file, false, 'sliced')).toEqual(long);
    });
    it(`${name}: one long run and a run in small budgets agree (assist on)`, () => {
      const long = runAs(file, true, 'long');
      expect(runAs(file, true, 'sliced')).toEqual(long);
    });
  }
});

describe('a trap handled within the run ends the run when CP changed what it dispatched', () => {
  /** SVCs before and after the guest's own SET ASSIST OFF (DIAGNOSE X'08'), then SET ASSIST ON and more. */
  const src = `${prelude({ LC_SVC_NEW: 'svch' })}        .org  0x200
start:  SVC   1
        SVC   1
        SVC   1
        LARL  R1,off
        LHI   R2,offend-off
        DIAG  R1,R2,DIAG_CP_COMMAND
        SVC   1
        SVC   1
        LARL  R1,on
        LHI   R2,onend-on
        DIAG  R1,R2,DIAG_CP_COMMAND
        SVC   1
        EXIT
svch:   LPSW  LC_SVC_OLD
off:    .ascii "SET ASSIST OFF"
offend:
        .align 4
on:     .ascii "SET ASSIST ON"
onend:
`;
  it('SET ASSIST from the guest takes effect at the next instruction', () => {
    const b = buildSourceOrThrow(src, 'assist-switch.s');
    const s = new Session(b.image, { mode: 'vm', storage: 64 * 1024, console: () => {} });
    expect(s.run(10_000).success).toBe(true);
    const k = s.vm!.assistCounters;
    expect(k.completed[OP.SVC]).toBe(4); // three before OFF, one after ON
    expect(k.passed[OP.SVC]).toBe(2); // the two while it was off
  });
});
