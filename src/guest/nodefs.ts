/**
 * A `readFile` for `assemble()` on Node: resolves `.include` paths against the including file's
 * directory. Kept apart from index.ts so the toolchain itself stays browser-safe.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Read an included file relative to the file that includes it; undefined when it does not exist. */
export function nodeReadFile(path: string, fromFile: string): string | undefined {
  try {
    return readFileSync(resolve(dirname(fromFile), path), 'utf8');
  } catch {
    return undefined;
  }
}
