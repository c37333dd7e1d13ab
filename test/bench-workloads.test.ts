/**
 * The benchmark workloads (bench/workloads.ts): each guest program ends successfully with the same
 * result as its plain-JavaScript twin (bench/js/), on the bare machine and under CP, with the JIT
 * off and on (threshold 1: compiled code as much as possible) and identical in everything a guest
 * can see between the two. Correctness only: nothing here is timed.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { WORKLOADS } from '../bench/workloads.ts';
import { buildFile } from '../src/host/build.ts';
import { Session } from '../src/session/session.ts';

describe('benchmark workloads: guest and JavaScript agree', () => {
  for (const w of WORKLOADS) {
    it(w.name, () => {
      const js = w.js(2);
      for (const mode of ['bare', 'vm'] as const) {
        const off = w.run({ mode, jit: false, reps: 2 });
        const on = w.run({ mode, jit: true, jitThreshold: 1, reps: 2 });
        expect(off.success, `${w.name} ${mode} JIT off`).toBe(true);
        expect(on.success, `${w.name} ${mode} JIT on`).toBe(true);
        expect(off.result, `${w.name} ${mode}`).toEqual(js);
        expect(on.result).toEqual(off.result);
        expect(on.instructions).toBe(off.instructions);
        expect(on.entries).toBe(off.entries);
      }
    }, 120_000);
  }

  it('the comparison can fail: a guest whose expected value is wrong ends in failure', () => {
    const b = buildFile(resolve(import.meta.dirname, '../programs/bench/sieve.s'));
    if (!b.ok) throw new Error(b.errors.join('\n'));
    const s = new Session(b.image, { mode: 'bare' });
    s.mem[b.image.symbols.REPS >>> 2] = 1;
    s.mem[b.image.symbols.EXPECT >>> 2] = 1027;
    const o = s.run(100_000_000);
    expect(o.success).toBe(false);
    expect(s.mem[b.image.symbols.RESULT >>> 2]).toBe(1028);
  });
});
