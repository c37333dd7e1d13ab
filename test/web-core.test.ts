/**
 * The same engine runs in the page: the playground's workers and page, and all they reach (the
 * machine, CP, the assembler, the session and the debugger), must import no Node module. This
 * walks the import graph from the page's entry points through every relative import, and checks
 * the folders the playground is built on file by file (test/layers.test.ts checks the layers).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
/** The folders the playground runs (src/host and src/timesharing are node's: files). */
const BROWSER_SAFE = ['src/cpu', 'src/guest', 'src/monitor', 'src/session', 'src/debug'];

/** Module specifiers a file imports (static, re-exports, dynamic with a literal). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  const importRe = /(?:^|\s)(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(importRe)) {
    out.push(m[1] ?? m[2] ?? m[3]);
  }
  return out;
}

const isNode = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]);

/** Every file reachable from `entries` by relative imports, and the Node modules any of them imports. */
function walk(entries: string[]): { files: string[]; nodeImports: string[] } {
  const seen = new Set<string>(), nodeImports: string[] = [];
  const todo = entries.map((e) => join(ROOT, e));
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const spec of imports(f)) {
      const bare = spec.split('?')[0];
      if (isNode(bare)) nodeImports.push(`${relative(ROOT, f)} imports ${spec}`);
      else if (bare.startsWith('.') && bare.endsWith('.ts')) todo.push(resolve(dirname(f), bare));
    }
  }
  return { files: [...seen].map((f) => relative(ROOT, f)), nodeImports };
}

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
}

describe('browser-safe core', () => {
  it('the playground (worker and page) reaches no Node module through its imports', () => {
    const g = walk(['web/src/worker.ts', 'web/src/ts-worker.ts', 'web/src/main.ts']);
    // The walk really covers the engine: the CPU, CP, the assembler and the debugger.
    for (const f of [
      'src/cpu/cpu.ts', 'src/monitor/cp.ts', 'src/guest/asm/assembler.ts', 'src/debug/debugger.ts',
      'src/session/session.ts', 'src/cpu/io/disk.ts', 'web/src/timesharing-ui.ts', 'web/src/ts-engine.ts',
    ]) expect(g.files).toContain(f);
    expect(g.nodeImports).toEqual([]);
  });

  it('the folders the playground is built on import no Node module', () => {
    const bad = BROWSER_SAFE.flatMap(tsFiles)
      .flatMap((f) => imports(join(ROOT, f)).filter(isNode).map((s) => `${f} imports ${s}`));
    expect(bad).toEqual([]);
  });

  it('the import scanner sees a node: import where there is one', () => {
    expect(imports(join(ROOT, 'src/host/nodefs.ts')).filter(isNode).length).toBeGreaterThan(0);
    expect(walk(['src/host/build.ts']).nodeImports.length).toBeGreaterThan(0);
  });
});
