/**
 * Temporary folders for tests. Each is removed when the test that made it ends, or, made while
 * a file or `describe` block is being collected, when that block ends; anything still left is
 * removed when the worker exits. `vitest.config.ts` also gives every run its own temporary folder
 * and fails the run if a test leaves anything in it (test/global-temp.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

const live = new Set<string>();
process.once('exit', () => { for (const d of live) rmSync(d, { recursive: true, force: true }); });

/** Remove a folder made by `tempDir` now. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}

/** A fresh, empty folder under the system's temporary folder, removed when its test or block ends. */
export function tempDir(prefix = 'tinycp-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  live.add(dir);
  const remove = () => removeTempDir(dir);
  try { onTestFinished(remove); } catch {
    try { afterAll(remove); } catch { /* neither in a test nor collecting one: the exit handler removes it */ }
  }
  return dir;
}
