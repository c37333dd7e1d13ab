/**
 * Lines stay readable (issue 10 §7): no line in src/, test/, bench/ or scripts/ is longer than
 * 160 characters. Files not yet wrapped are listed with the number of long lines they had; that
 * number may only go down, and a file leaves the list when it reaches zero. New code never adds
 * to it (only merges of work begun before this test did, once, on 2026-11-30).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAX = 160;

/** Files still to wrap, and how many long lines each may keep until then. */
const NOT_YET_WRAPPED: Readonly<Record<string, number>> = {
  'bench/bench.ts': 7,
  'bench/hercules.ts': 1,
  'bench/jit-bench.ts': 5,
  'bench/js/cms.ts': 1,
  'bench/scale.ts': 1,
  'bench/startup.ts': 1,
  'bench/table.ts': 4,
  'bench/workloads.ts': 2,
  'src/cli/debug.ts': 1,
  'src/cli/run.ts': 1,
  'src/cli/unit-record-files.ts': 1,
  'src/cpu/clocks.ts': 1,
  'src/cpu/interp.ts': 4,
  'src/cpu/isa.ts': 5,
  'src/cpu/jit-gen.ts': 11,
  'src/cpu/jit.ts': 1,
  'src/cpu/lowcore.ts': 1,
  'src/dap/adapter.ts': 4,
  'src/debug/debugger.ts': 2,
  'src/debug/format.ts': 1,
  'src/debug/source.ts': 1,
  'src/lab/relocate.ts': 1,
  'src/monitor/events.ts': 1,
  'src/monitor/narrate.ts': 10,
  'src/session/session.ts': 1,
  'test/bench.test.ts': 1,
  'test/fuzz/differential.ts': 1,
  'test/jit.test.ts': 5,
  'test/launcher.test.ts': 1,
  'test/narration.test.ts': 1,
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : files(p);
    return /\.(ts|mts|mjs)$/.test(e.name) ? [p] : [];
  });
}

/** Line numbers (1-based) of the lines of `text` longer than MAX characters. */
function longLines(text: string): number[] {
  return text.split('\n').flatMap((l, i) => (l.length > MAX ? [i + 1] : []));
}

describe('line length', () => {
  it('finds a long line', () => {
    expect(longLines(`short\n${'x'.repeat(MAX)}\n${'y'.repeat(MAX + 1)}`)).toEqual([3]);
  });

  it(`keeps every line of src/, test/, bench/ and scripts/ within ${MAX} characters`, () => {
    const over: string[] = [];
    for (const dir of ['src', 'test', 'bench', 'scripts']) {
      for (const f of files(join(ROOT, dir))) {
        const name = relative(ROOT, f).split('\\').join('/');
        const long = longLines(readFileSync(f, 'utf8'));
        if (long.length > (NOT_YET_WRAPPED[name] ?? 0)) over.push(`${name}: lines ${long.join(', ')}`);
      }
    }
    expect(over).toEqual([]);
  });
});
