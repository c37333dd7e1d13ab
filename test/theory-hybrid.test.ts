/**
 * The hybrid monitor (src/monitor/hybrid.ts, theorem 3) is a correct monitor on the architecture
 * too: every self-checking guest program passes under CP --hybrid with the bare machine's
 * output, interruptions and final state, although CP now interprets every supervisor-state
 * instruction. And on each leaky profile, where plain CP fails some of them, the hybrid runs
 * every one as the bare machine on that profile does.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROFILES, type Profile } from '../src/cpu/profiles.ts';
import { Session, type Mode } from '../src/session/session.ts';
import { narrate } from '../src/monitor/narrate.ts';
import type { TrapEvent } from '../src/monitor/events.ts';
import { buildOrThrow } from './guest-helpers.ts';

const TESTS = join(import.meta.dirname, '../programs/tests');
const files = readdirSync(TESTS).filter((f) => f.endsWith('.s')).sort();

function run(file: string, mode: Mode, hybrid: boolean, profile?: Profile) {
  const out: string[] = [];
  const s = new Session(buildOrThrow(join(TESTS, file)).image, { mode, hybrid, profile, console: (l) => out.push(l), recordInterrupts: true });
  const outcome = s.run(5_000_000);
  return { outcome: outcome.message, out, interrupts: s.interrupts, state: s.guestState(), steps: s.cp?.hybridSteps ?? 0 };
}

describe('CP --hybrid', () => {
  it('runs every guest test exactly as the bare machine does', () => {
    for (const f of files) {
      const bare = run(f, 'bare', false), hy = run(f, 'vm', true);
      expect(hy.outcome, f).toBe('test result: PASS');
      expect({ out: hy.out, interrupts: hy.interrupts, state: hy.state }, f).toEqual({ out: bare.out, interrupts: bare.interrupts, state: bare.state });
      expect(hy.steps, f).toBeGreaterThan(0);
    }
  }, 120_000);

  for (const name of ['leaky-read', 'leaky-popf']) {
    it(`on ${name}: plain CP diverges from the bare machine on some guest tests, the hybrid on none`, () => {
      const p = PROFILES[name];
      const diverged: string[] = [];
      for (const f of files) {
        const bare = run(f, 'bare', false, p), cp = run(f, 'vm', false, p), hy = run(f, 'vm', true, p);
        if (cp.outcome !== bare.outcome) diverged.push(f);
        expect({ outcome: hy.outcome, out: hy.out, interrupts: hy.interrupts, state: hy.state }, f)
          .toEqual({ outcome: bare.outcome, out: bare.out, interrupts: bare.interrupts, state: bare.state });
      }
      // sysmask.s uses SSM/STNSM/STOSM, ctlregs.s STCTL: plain trap-and-emulate cannot run them right.
      expect(diverged).toContain(name === 'leaky-popf' ? 'sysmask.s' : 'ctlregs.s');
    }, 120_000);
  }

  it('says in its trace that CP took the instruction by looking, not because the machine trapped', () => {
    const s = new Session(buildOrThrow(join(TESTS, '../theorem.s')).image, { mode: 'vm', hybrid: true, profile: PROFILES['leaky-popf'] });
    const events: TrapEvent[] = [];
    s.cp!.on((e) => events.push(e));
    s.run(100_000);
    const ssm = events.find((e) => e.instruction?.text.startsWith('SSM'))!;
    expect(ssm.details.hybrid).toBe(true);
    expect(narrate(ssm)).toMatch(/hybrid monitor read SSM before it could run/);
    expect(narrate(ssm)).not.toMatch(/real CPU stopped/);
    const plain = new Session(buildOrThrow(join(TESTS, '../theorem.s')).image, { mode: 'vm' });
    const ev: TrapEvent[] = [];
    plain.cp!.on((e) => ev.push(e));
    plain.run(100_000);
    expect(ev.find((e) => e.instruction?.text.startsWith('SSM'))!.details.hybrid).toBeUndefined();
  });
});
