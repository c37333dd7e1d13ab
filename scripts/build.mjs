#!/usr/bin/env node
/**
 * Build step (`npm run build`, run by `prepare` on install): bundle the command (src/cli/main.ts
 * and everything it imports) into dist/cli/tinycp.mjs, so that `tinycp` starts as plain
 * JavaScript instead of compiling TypeScript through tsx on every start. Tests and development
 * keep running the TypeScript sources; bin/tinycp.mjs uses the bundle only while it is fresh.
 *
 * The bundle sits two directories deep (dist/cli/) like the sources (src/<dir>/), so that paths
 * the sources compute from `import.meta.url` ('../../programs/...') resolve the same from both.
 * The subcommands loaded on demand (debugger, DAP server, time-sharing system) become chunks
 * beside it (code splitting), so a plain `tinycp run` parses only what it uses.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--bench`: also bundle the benchmark (dist/bench/bench.mjs), so that `npm run bench` measures
// the engine as the command runs it (built JavaScript), not as tsx's loader runs the sources.
const bench = process.argv.includes('--bench');
// Without esbuild (an install that left it out) there is simply no bundle: the launcher runs tsx.
const esbuild = await import('esbuild').catch(() => null);
if (esbuild === null) {
  console.warn('tinycp build: esbuild is not installed; bin/tinycp.mjs will run the TypeScript sources through tsx');
  process.exit(bench ? 1 : 0);
}
const common = { bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' };
rmSync(join(root, 'dist', 'cli'), { recursive: true, force: true });
await esbuild.build({
  ...common,
  entryPoints: { tinycp: join(root, 'src', 'cli', 'main.ts') },
  outdir: join(root, 'dist', 'cli'),
  outExtension: { '.js': '.mjs' },
  splitting: true,
});
if (bench) {
  rmSync(join(root, 'dist', 'bench'), { recursive: true, force: true });
  await esbuild.build({ ...common, entryPoints: [join(root, 'bench', 'bench.ts')], outfile: join(root, 'dist', 'bench', 'bench.mjs') });
}
