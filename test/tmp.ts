/**
 * Temporary folders for tests, never left behind. `tempDir()` inside a test gives a folder removed
 * when that test ends; `suiteTempDir()` while a file or `describe` block is collected gives one
 * shared by its tests, made before the first runs and removed after the last (not made at all
 * when they are all skipped). `vitest.config.ts` also gives every run its own temporary folder and
 * fails the run if anything is left in it (test/global-temp.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, onTestFinished } from 'vitest';

/** Remove a folder (and everything in it) now; removing one already gone is harmless. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A fresh, empty folder under the system's temporary folder, removed when the calling test ends. */
export function tempDir(prefix = 'tinycp-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try { onTestFinished(() => removeTempDir(dir)); } catch (e) {
    removeTempDir(dir);
    throw new Error(`tempDir() is for use inside a test; use suiteTempDir() for a folder shared by a block (${(e as Error).message})`);
  }
  return dir;
}

/** A folder shared by the tests of the block being collected: call the result inside them. */
export function suiteTempDir(prefix = 'tinycp-test-'): () => string {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    return () => removeTempDir(dir);
  });
  return () => {
    if (!dir) throw new Error('suiteTempDir(): the folder exists only while the block\'s tests run');
    return dir;
  };
}
