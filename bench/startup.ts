/**
 * `startup_ratio` for `npm run bench`: wall time of `tinycp run programs/hello.s` (the installed
 * command, bin/tinycp.mjs) over `node -e 0`, medians of `runs` runs each, alternated so that both
 * see the same machine noise. The command runs the bundle that `npm install` builds
 * (scripts/build.mjs); if it is missing or stale (older than a source) this builds it first,
 * so the figure is what a user gets after installing.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './root.ts';


function wall(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`startup: node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** Newest modification time (ms) under `dir`. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** The bundle exists and is newer than every source (what bin/tinycp.mjs checks before using it). */
function fresh(): boolean {
  try { return statSync(join(ROOT, 'dist/cli/tinycp.mjs')).mtimeMs >= newest(join(ROOT, 'src')); } catch { return false; }
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

export function startupFigures(runs = 9): { startup_ms: number; node_ms: number; startup_ratio: number } {
  if (!fresh()) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'ignore', timeout: 300_000 });
    if (b.status !== 0 || !fresh()) throw new Error('startup: the build (scripts/build.mjs) failed');
  }
  const cmd = ['bin/tinycp.mjs', 'run', 'programs/hello.s'], node = ['-e', '0'];
  wall(cmd); wall(node); // warm the file cache
  const a: number[] = [], n: number[] = [];
  for (let i = 0; i < runs; i++) { a.push(wall(cmd)); n.push(wall(node)); }
  return { startup_ms: median(a), node_ms: median(n), startup_ratio: median(a.map((x, i) => x / n[i])) };
}
