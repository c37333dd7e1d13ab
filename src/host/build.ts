/**
 * Turn a file named on a command line into a loadable image: assemble a `.s` source (with the
 * standard include directory `programs/include/` as a fallback for `.include`), or read a tinycp
 * object file. Errors come back as `file:line:col: message` lines, never as exceptions.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble, formatDiagnostic, readObject, type AsmResult, type ObjectImage } from '../guest/index.ts';
import type { IncludedFile } from '../guest/asm/types.ts';
import { nodeReadFile, readHostText } from './nodefs.ts';

/** The directory of the standard includes shipped with tinycp. */
export const INCLUDE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../programs/include');

export type Build =
  | { ok: true; image: ObjectImage; asm: AsmResult | null; warnings: string[] }
  | { ok: false; errors: string[]; asm: AsmResult | null };

/**
 * Read an include relative to the including file, then from the standard include directory; a
 * standard include comes back with its real path, so diagnostics inside it name that file.
 */
export function readInclude(path: string, fromFile: string): string | IncludedFile | undefined {
  const local = nodeReadFile(path, fromFile);
  if (local !== undefined) return local;
  const std = nodeReadFile(path, resolve(INCLUDE_DIR, 'x'));
  return std === undefined ? undefined : { text: std, path: resolve(INCLUDE_DIR, path) };
}

/** Assemble source text (tests and tools that hold the text already). */
export function buildSource(source: string, file: string): Build {
  const asm = assemble(source, { file, readFile: readInclude });
  const warnings = asm.diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic);
  if (!asm.ok) return { ok: false, errors: asm.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic), asm };
  const symbols: Record<string, number> = {};
  for (const [k, s] of asm.symbols) if (s.kind === 'label') symbols[k] = s.value;
  return { ok: true, image: { entry: asm.entry, segments: asm.segments, symbols }, asm, warnings };
}

/** Build from a file: `.s`/`.asm` sources are assembled, anything else is read as an object file. */
export function buildFile(file: string): Build {
  const source = /\.(s|asm)$/i.test(file);
  // Regular files only, of a bounded size (src/host/nodefs.ts): never /dev/zero or a FIFO.
  const r = readHostText(file, source ? 'source' : 'object');
  if (!r.ok) return { ok: false, errors: [r.error], asm: null };
  if (source) return buildSource(r.text, file);
  const obj = readObject(r.text);
  return obj.ok ? { ok: true, image: obj.image, asm: null, warnings: [] } : { ok: false, errors: [`${file}: ${obj.error}`], asm: null };
}
