/**
 * vitest global setup: the run gets its own temporary folder (TMPDIR, inherited by the workers and
 * by every process a test spawns), and the run fails if any test or command left something in it.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const base = mkdtempSync(join(tmpdir(), 'tinycp-vitest-'));
  const old = process.env.TMPDIR;
  process.env.TMPDIR = base;
  return () => {
    if (old === undefined) delete process.env.TMPDIR; else process.env.TMPDIR = old;
    // tsx (which runs bin/tinycp.mjs) keeps one compile cache, tsx-<uid>, reused by every run.
    const left = readdirSync(base).filter((n) => !/^tsx-\d+$/.test(n));
    rmSync(base, { recursive: true, force: true });
    if (left.length) {
      // A throw here is only logged by vitest; the exit code is what CI sees.
      console.error(`\nFAIL: tests left ${left.length} item(s) in the temporary folder (use test/tmp.ts): ${left.slice(0, 10).join(', ')}`);
      process.exitCode = 1;
    }
  };
}
