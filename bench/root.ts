/**
 * The repository root, from the bench sources (bench/) or from the bench bundle (dist/bench/,
 * `npm run bench` runs the bench as built JavaScript, like the command): the nearest directory
 * up from this module that holds programs/ and package.json.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function find(): string {
  for (let d = dirname(fileURLToPath(import.meta.url)); ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'programs'))) return d;
    if (dirname(d) === d) throw new Error('bench: cannot find the tinycp repository root');
  }
}

export const ROOT = find();

/** True when `file` (e.g. 'bench/scale.ts') is the script node was started with (not when bundled). */
export const isMain = (file: string): boolean => (process.argv[1] ?? '') === join(ROOT, file);
