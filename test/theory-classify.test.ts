/**
 * Theorem 1 as a classifier (src/theory/classify.ts): deciding by experiment which instructions
 * are privileged and which sensitive must agree with the ISA table's declared classes on the
 * default profile, and find exactly the planted violations on each leaky one without being told.
 */
import { describe, expect, it } from 'vitest';
import { BY_MNEMONIC, ISA } from '../src/cpu/isa.ts';
import { demoteProfile, leakyMnemonics, PROFILES } from '../src/cpu/profiles.ts';
import { classify, type Classification } from '../src/theory/classify.ts';

const cache = new Map<string, Classification>();
const classified = (name: string) => cache.get(name) ?? cache.set(name, classify(PROFILES[name])).get(name)!;

describe('theorem classify', () => {
  it('agrees with the ISA table on the default profile: every class, and no violations', () => {
    const c = classified('default');
    expect(c.violations).toEqual([]);
    expect(c.userViolations).toEqual([]);
    for (const r of c.rows) {
      const d = BY_MNEMONIC.get(r.mnemonic)!;
      expect({ m: r.mnemonic, privileged: r.privileged, sensitive: r.sensitivity })
        .toEqual({ m: d.mnemonic, privileged: d.privileged, sensitive: d.sensitive });
    }
    expect(Object.keys(c.classes)).toHaveLength(ISA.length);
  }, 60_000);

  for (const name of ['leaky-read', 'leaky-popf']) {
    it(`finds exactly the planted violations on ${name}, and nothing else changes`, () => {
      const p = PROFILES[name];
      const c = classified(name);
      const planted = leakyMnemonics(p);
      expect([...c.violations].sort()).toEqual([...planted].sort());
      for (const r of c.rows) {
        const d = BY_MNEMONIC.get(r.mnemonic)!;
        // Sensitivity is a property of what the instruction does in supervisor state: unchanged.
        expect(r.sensitivity, r.mnemonic).toBe(d.sensitive);
        expect(r.privileged, r.mnemonic).toBe(d.privileged && !planted.includes(r.mnemonic as never));
      }
    }, 60_000);
  }

  it('theorem 3: reads of the real state are user-sensitive; POPF-style SSM is not (it does nothing in problem state)', () => {
    expect(classified('leaky-read').userViolations.sort()).toEqual(['LRA', 'STCTL']);
    expect(classified('leaky-popf').userViolations.sort()).toEqual(['STNSM', 'STOSM']);
  }, 60_000);

  it('finds a single demoted instruction, whichever it is', () => {
    for (const m of ['PTLB', 'SIO', 'SCKC', 'DIAG'] as const) {
      expect(classify(demoteProfile(m), { samples: 32 }).violations, m).toEqual([m]);
    }
  }, 120_000);

  it('is deterministic for a seed', () => {
    const a = classify(PROFILES['leaky-read'], { samples: 16, seed: 3 });
    const b = classify(PROFILES['leaky-read'], { samples: 16, seed: 3 });
    expect(a.rows).toEqual(b.rows);
  }, 60_000);
});
