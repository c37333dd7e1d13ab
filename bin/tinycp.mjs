#!/usr/bin/env node
// Launcher. `npm install` / `npm ci` builds dist/cli/tinycp.mjs (scripts/build.mjs, run by
// `prepare`): plain JavaScript that starts at once. When the bundle is missing, or older than any
// file under src/ (someone is editing the sources), run the TypeScript sources through tsx's
// loader instead, so the command always does what the sources say.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli', 'tinycp.mjs');

/** Newest modification time (ms) of the files under `dir`, or Infinity if it cannot be read. */
function newest(dir) {
  let t = 0;
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }
  } catch { return Infinity; }
  return t;
}

function fresh() {
  try { return statSync(bundle).mtimeMs >= newest(join(root, 'src')); } catch { return false; }
}

let main;
if (process.env.TINYCP_TSX !== '1' && fresh()) ({ main } = await import(bundle));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
await main(process.argv);
