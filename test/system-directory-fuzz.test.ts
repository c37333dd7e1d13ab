import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDirectory } from '../src/timesharing/directory.ts';
import { fuzzDirectories, fuzzDirectory } from './fuzz/directory-fuzz.ts';
import { DEMO } from './system-helpers.ts';

describe('the directory parser never throws', () => {
  it('on INPUT lines with CR, U+2028 and other line-ish characters (the issue 9 crash)', () => {
    for (const sep of ['\r', '\u2028', '\u2029', '\u0085', '\r\r']) {
      const p = parseDirectory(`USER A PW 64K\nINPUT A x${sep}y\nINPUT A${sep}\n`, join(DEMO, 'x.direct'));
      expect(p.errors.every((e) => /:\d+:\d+: /.test(e))).toBe(true);
      expect(p.directory.script[0]?.text ?? '').toContain('x');
    }
  });

  it('4,000 seeded random and mutated directories: 0 throws, every error at line:col', () => {
    const r = fuzzDirectories(1, 4000);
    expect(r.firstThrow).toBeNull();
    expect(r.throws).toBe(0);
    expect(r.errors).toBeGreaterThan(1000); // the fuzzer does reach the error paths
    expect(r.accepted).toBeGreaterThan(0); // and some directories survive mutation
  });

  it('the fuzzer is deterministic', () => {
    expect(fuzzDirectory(42)).toBe(fuzzDirectory(42));
    expect(fuzzDirectory(42)).not.toBe(fuzzDirectory(43));
  });
});
