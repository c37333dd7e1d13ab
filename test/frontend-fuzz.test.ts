/**
 * Issue 9: the doors that take text from outside never throw (CP commands, debugger commands,
 * object files, assembler sources), and a hostile guest with random CP commands beside a victim
 * never changes what the victim computes. Brief runs; `npm run fuzz -- --target NAME` runs long.
 */
import { describe, expect, it } from 'vitest';
import { fuzzAssembler, fuzzCpCommands, fuzzDebugger, fuzzIsolation, fuzzObjects, type FuzzResult } from './fuzz/frontend-fuzz.ts';
import { tempDir } from './tmp.ts';

function clean(r: FuzzResult): void {
  expect(r.firstThrow, r.firstThrow ? `seed ${r.firstThrow.seed}: ${JSON.stringify(r.firstThrow.input)}\n${r.firstThrow.error}` : '').toBeNull();
  expect(r.throws).toBe(0);
}

describe('front doors under fuzzed input', () => {
  it('CP commands at a time-sharing console (class G and operator)', () => {
    const r = fuzzCpCommands(1, 1_500, tempDir());
    expect(r.inputs).toBe(1_500);
    clean(r);
  });
  it('debugger commands, bare and under CP', () => { const r = fuzzDebugger(1, 1_500); expect(r.inputs).toBe(1_500); clean(r); });
  it('object files', () => { const r = fuzzObjects(1, 3_000); expect(r.inputs).toBe(3_000); clean(r); });
  it('assembler sources', () => { const r = fuzzAssembler(1, 600); expect(r.inputs).toBe(600); clean(r); });
  it('a random guest and random CP commands beside a victim leave the victim as it is alone', () => {
    const r = fuzzIsolation(1, 40, tempDir());
    clean(r);
    expect(r.firstViolation).toBeNull();
    expect(r.violations).toBe(0);
  });
});

describe('the isolation check can fail', () => {
  it('a victim whose storage is changed from outside is a violation', () => {
    const r = fuzzIsolation(1, 3, tempDir(), (mem) => { mem[0x300 >>> 2] ^= 1; });
    expect(r.violations).toBe(3);
    expect(r.firstViolation).toMatch(/^seed 1: /);
  });
});
