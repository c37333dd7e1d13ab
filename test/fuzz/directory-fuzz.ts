/**
 * A directory fuzzer (issue 9 §3): random and mutated user directories fed to `parseDirectory`,
 * which must never throw. Seeded (mulberry32), so a failing seed replays exactly. Used by
 * test/system-directory-fuzz.test.ts (a few thousand) and `npm run fuzz -- --target directory`.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDirectory } from '../../src/timesharing/directory.ts';

const DEMO = resolve(import.meta.dirname, '../../programs/demo');
const SEEDS = ['user.direct', 'standin.direct'].map((f) => readFileSync(join(DEMO, f), 'utf8'));
const WORDS = ['USER', 'IPL', 'CONSOLE', 'SPOOL', 'MDISK', 'LINK', 'OPTION', 'INPUT', 'PASSWORDS', 'AUTOLOG', 'SHARE', 'CLASS', 'FSYNC',
  'SPOOLFILES', 'SPOOLBYTES', 'LOGBYTES', 'CONSBYTES', 'READER', 'PUNCH', 'PRINTER', 'R', 'W', 'MW', 'ON', 'OFF', 'A', 'G', 'ABG',
  '191', '00C', 'FFFF', '10000', '0', '-1', '1e9', '99999999999999999999', '64K', '16M', '17M', '4K', 'NaN', 'Infinity', '__proto__',
  'constructor', 'toString', 'hasOwnProperty', 'd.img', '/dev/null', '../x.img', 'compute.s', '*', '#CP', '\r', '\u2028', '\u2029',
  '\u0085', '\u00a0', '\t', '\0', '\ufeff', '\ud800', 'é', "'", '"', '\\', '$&', '$1'];
const CHARS = ' \t\r\n\u2028\u2029\u0085\u00a0\0*#ABCGMRW0123456789KMabc\ud800\udfff\ufeff\'"';

/** A seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Directory text number `seed`: a demo directory mutated, or statements of random words. */
export function fuzzDirectory(seed: number): string {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  if (r() < 0.5) {
    let t = pick(SEEDS);
    const n = 1 + Math.floor(r() * 8);
    for (let i = 0; i < n; i++) {
      const at = Math.floor(r() * t.length);
      const k = r();
      if (k < 0.3) t = t.slice(0, at) + pick(WORDS) + t.slice(at);
      else if (k < 0.5) t = t.slice(0, at) + t.slice(at + Math.floor(r() * 20));
      else if (k < 0.8) t = t.slice(0, at) + pick(CHARS.split('')) + t.slice(at);
      else t = t.slice(0, at) + ' ' + pick(WORDS) + ' ' + pick(WORDS) + '\n' + t.slice(at);
    }
    return t;
  }
  const lines: string[] = [];
  const n = Math.floor(r() * 12);
  for (let i = 0; i < n; i++) {
    const words: string[] = [];
    const m = Math.floor(r() * 8);
    for (let j = 0; j < m; j++) words.push(r() < 0.8 ? pick(WORDS) : pick(CHARS.split('')).repeat(1 + Math.floor(r() * 3)));
    lines.push((r() < 0.2 ? '  ' : '') + words.join(pick([' ', '  ', '\t', '\u2028', ''])));
  }
  return lines.join(pick(['\n', '\r\n', '\r', '\n\n']));
}

export interface DirectoryFuzzResult {
  directories: number; throws: number; firstThrow: { seed: number; error: string } | null; accepted: number; errors: number;
}

/** Parse `count` fuzzed directories from `seed` on; count the throws (the goal is 0). */
export function fuzzDirectories(seed: number, count: number): DirectoryFuzzResult {
  const res: DirectoryFuzzResult = { directories: 0, throws: 0, firstThrow: null, accepted: 0, errors: 0 };
  const file = join(DEMO, 'fuzz.direct');
  for (let s = seed; s < seed + count; s++) {
    res.directories++;
    try {
      const p = parseDirectory(fuzzDirectory(s), file);
      if (p.ok) res.accepted++;
      else {
        res.errors += p.errors.length;
        // Every error is a named reason at file:line:col.
        const bad = p.errors.find((e) => !/^.*:\d+:\d+: \S/.test(e));
        if (bad) throw new Error(`error without line:col: ${JSON.stringify(bad)}`);
      }
    } catch (e) {
      res.throws++;
      res.firstThrow ??= { seed: s, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
  }
  return res;
}
