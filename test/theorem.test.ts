/**
 * `tinycp theorem`: Popek & Goldberg's theorem 1 shown by breaking it. The as-built machine keeps
 * it (equivalence holds); making a sensitive instruction unprivileged breaks equivalence for a
 * program that uses it, and not for one that does not.
 */
import { describe, expect, it } from 'vitest';
import { theorem } from '../src/cli/theorem.ts';
import { buildOrThrow } from './guest-helpers.ts';

function image(file: string) {
  const b = buildOrThrow(file);
  return b.image;
}

describe('Popek & Goldberg theorem 1, by experiment', () => {
  it('holds as built, and fails when SSM is made unprivileged (the POPF problem)', () => {
    const r = theorem(image('programs/theorem.s'), 'SSM');
    if (typeof r === 'string') throw new Error(r);
    expect(r.sensitiveUnprivileged).toEqual([]);
    expect(r.equivalentAsBuilt).toBe(true);
    expect(r.runs[0].success && r.runs[1].success).toBe(true);
    expect(r.equivalentWhenBroken).toBe(false);
    expect(r.runs[2].success).toBe(false);
  });

  it('makes no difference for an instruction the program does not use', () => {
    const r = theorem(image('programs/theorem.s'), 'PTLB');
    if (typeof r === 'string') throw new Error(r);
    expect(r.equivalentWhenBroken).toBe(true);
  });

  it('refuses an instruction that is not privileged', () => {
    expect(theorem(image('programs/theorem.s'), 'AR')).toMatch(/not a privileged instruction/);
  });
});
