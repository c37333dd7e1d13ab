/**
 * The import graph of src/ keeps its layers (issue 10 §4): each folder imports only from its own
 * layer or below, there is no runtime import cycle (a type-only import is erased at run time, so
 * it may close a loop), and the machine itself (src/cpu, src/monitor, src/guest) imports no node:
 * module, so it can run in a browser. The parser is unit-tested below, so the checks can fail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/**
 * The layers, lowest first. A folder may import from its own layer and any layer below it.
 * cpu: the real machine; guest: the assembler and loader (pure); monitor: CP, the VMM core and its
 * command language; host: host files; timesharing: the time-sharing system bound to host files;
 * session: one program bare or under CP; lab: the isolation lab's experiments (issue 14); debug,
 * dap, cli: the front ends; theory: the experiments behind `tinycp theorem` (beside cli: they
 * build programs and nest minicp as the CLI does).
 */
const LAYERS: readonly string[][] = [['cpu'], ['guest'], ['monitor'], ['host'], ['timesharing'], ['session'], ['lab'], ['debug'], ['dap'], ['cli', 'theory']];
/** Folders that must run without node (no node: import, nothing from a layer that has one). */
const BROWSER_SAFE = ['cpu', 'guest', 'monitor'];

/** One import statement: the module named and whether only types come through it. */
interface ImportRef { spec: string; typeOnly: boolean }

/** The imports (and re-exports) of one TypeScript source, comments ignored. */
function parseImports(text: string): ImportRef[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const out: ImportRef[] = [];
  const stmt = /^\s*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*['"]([^'"]+)['"]/gm;
  for (const m of code.matchAll(stmt)) {
    const names = m[3].trim();
    // `import { type A, type B } from` brings in types only, like `import type { A, B } from`.
    const inner = /^\{([\s\S]*)\}$/.exec(names)?.[1];
    const allTypes = inner !== undefined && inner.split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '));
    out.push({ spec: m[4], typeOnly: m[2] !== undefined || allTypes });
  }
  for (const m of code.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) out.push({ spec: m[1], typeOnly: false });
  for (const m of code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ spec: m[1], typeOnly: false });
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.ts$/.test(e.name) ? [p] : [];
  });
}

/** The folder under src/ that holds a file: src/cpu/io/disk.ts -> cpu. */
const folderOf = (file: string) => relative(SRC, file).split(/[\\/]/)[0];
const layerOf = (folder: string) => LAYERS.findIndex((l) => l.includes(folder));

/** Every runtime-import cycle among `files`, each as a list of files (empty when there is none). */
function runtimeCycles(edges: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open'); stack.push(f);
    for (const g of edges.get(f) ?? []) {
      if (state.get(g) === 'open') cycles.push(stack.slice(stack.indexOf(g)).concat(g));
      else if (!state.has(g)) visit(g);
    }
    stack.pop(); state.set(f, 'done');
  };
  for (const f of edges.keys()) if (!state.has(f)) visit(f);
  return cycles;
}

const files = sourceFiles(SRC);
const graph = files.map((file) => ({ file, imports: parseImports(readFileSync(file, 'utf8')) }));
const rel = (f: string) => relative(SRC, f);

describe('the import parser', () => {
  it('finds value, type-only, inline-type, re-export, side-effect and dynamic imports, and skips comments', () => {
    const refs = parseImports([
      "import { a } from './a.ts';",
      "import type { B } from './b.ts';",
      "import {\n  type C,\n  type D,\n} from './c.ts';",
      "import { type E, f } from './e.ts';",
      "export { g } from './g.ts';",
      "import './h.ts';",
      "const i = await import('./i.ts');",
      "// import { j } from './j.ts';",
      "/* import { k } from './k.ts'; */",
    ].join('\n'));
    expect(refs).toEqual([
      { spec: './a.ts', typeOnly: false }, { spec: './b.ts', typeOnly: true }, { spec: './c.ts', typeOnly: true },
      { spec: './e.ts', typeOnly: false }, { spec: './g.ts', typeOnly: false }, { spec: './h.ts', typeOnly: false },
      { spec: './i.ts', typeOnly: false },
    ]);
  });

  it('finds a cycle and only a cycle', () => {
    expect(runtimeCycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
    expect(runtimeCycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual([['a', 'b', 'c', 'a']]);
  });
});

describe('the layers of src/', () => {
  it('names a layer for every folder', () => {
    expect([...new Set(files.map(folderOf))].filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it('has no import that runs back up the layers', () => {
    const upward: string[] = [];
    for (const { file, imports } of graph) {
      for (const { spec } of imports) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        if (layerOf(folderOf(target)) > layerOf(folderOf(file))) upward.push(`${rel(file)} -> ${rel(target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no runtime import cycle', () => {
    const edges = new Map(graph.map(({ file, imports }) => [rel(file), imports
      .filter((i) => !i.typeOnly && i.spec.startsWith('.'))
      .map((i) => rel(resolve(dirname(file), i.spec)))]));
    expect(runtimeCycles(edges).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('is the order the README lists the folders in', () => {
    const readme = readFileSync(join(SRC, '../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Layout'), readme.indexOf('`programs/`', readme.indexOf('## Layout')));
    expect([...table.matchAll(/`src\/(\w+)`/g)].map((m) => m[1])).toEqual(LAYERS.flat());
  });

  it('keeps node: modules out of src/cpu, src/monitor and src/guest', () => {
    const hostBound = graph.filter(({ file }) => BROWSER_SAFE.includes(folderOf(file)))
      .flatMap(({ file, imports }) => imports.filter((i) => i.spec.startsWith('node:') || !i.spec.startsWith('.')).map((i) => `${rel(file)}: ${i.spec}`));
    expect(hostBound).toEqual([]);
  });
});
