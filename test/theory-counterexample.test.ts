/**
 * Counter-examples to theorem 1 (src/theory/counterexample.ts) and the hybrid VMM of theorem 3
 * (src/monitor/hybrid.ts): for each planted violation, a program that ends with code 0 bare and
 * otherwise under plain trap-and-emulate on the same leaky machine; the first divergence is the
 * leaky instruction itself; the hybrid VMM runs the program exactly as the bare machine does.
 */
import { describe, expect, it } from 'vitest';
import { leakyMnemonics, PROFILES } from '../src/cpu/profiles.ts';
import { counterexample, counterexamples } from '../src/theory/counterexample.ts';

describe('theorem counterexamples', () => {
  for (const name of ['leaky-read', 'leaky-popf']) {
    it(`one per planted violation of ${name}: bare succeeds, CP diverges at the leaky instruction, hybrid agrees with bare`, () => {
      const p = PROFILES[name];
      const all = counterexamples(p);
      expect(all).toHaveLength(leakyMnemonics(p).length);
      for (const c of all) {
        if (typeof c === 'string') throw new Error(c);
        expect(c.bare, c.mnemonic).toBe('disabled wait, code 0 (success)');
        expect(c.cp, c.mnemonic).not.toBe(c.bare);
        expect(c.hybrid, c.mnemonic).toBe(c.bare);
        expect(c.divergence, c.mnemonic).not.toBeNull();
        expect(c.divergence!.instruction.split(' ')[0]).toBe(c.mnemonic);
        expect(c.divergence!.direct).toBe(1);
      }
    }, 60_000);
  }

  it('on the default profile the same programs run identically bare and under CP (they are not bugs in CP)', () => {
    for (const m of ['STCTL', 'LRA', 'SSM', 'STNSM', 'STOSM'] as const) {
      const c = counterexample(m, PROFILES.default);
      if (typeof c === 'string') throw new Error(c);
      expect(c.bare, m).toBe('disabled wait, code 0 (success)');
      expect(c.cp, m).toBe(c.bare);
      expect(c.divergence, m).toBeNull();
    }
  }, 60_000);
});
