/**
 * The launch request's program: checked before it is read, and its errors told without its
 * contents. A DAP client names any path it likes, so the adapter refuses what is not a regular
 * file (a FIFO or /dev/zero would read forever), what is larger than a program can be, and what is
 * not text; a file that is neither an assembly source (.s, .asm) nor a tinycp object file gets a
 * named reason, never its first bytes (JSON.parse's message quotes the text it failed on).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildFile, type Build } from '../host/build.ts';

/** Largest program file the adapter reads. */
export const MAX_PROGRAM_BYTES = 8 << 20;
/** Most build errors passed on to the client. */
const MAX_ERRORS = 20;

export type Loaded = { ok: true; build: Extract<Build, { ok: true }> } | { ok: false; error: string };

export function loadProgram(program: string): Loaded {
  if (program === '') return { ok: false, error: "'program' must name an assembly source (.s) or a tinycp object file" };
  const file = resolve(program);
  const shown = program.length > 200 ? program.slice(0, 200) + '...' : program;
  let st;
  try { st = statSync(file); } catch (e) {
    return { ok: false, error: `cannot launch ${shown}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot read it'}` };
  }
  if (!st.isFile()) return { ok: false, error: `cannot launch ${shown}: not a regular file` };
  if (st.size > MAX_PROGRAM_BYTES) return { ok: false, error: `cannot launch ${shown}: larger than ${MAX_PROGRAM_BYTES >> 20} MiB, too large for a program` };
  const source = /\.(s|asm)$/i.test(file);
  const b = buildFile(file);
  if (b.ok) return { ok: true, build: b };
  if (!source) return { ok: false, error: `cannot launch ${shown}: ${objectReason(b.errors.join(' '))}` };
  // A source's own diagnostics (file:line:col: message) are what its author needs; a binary file
  // named .s is refused before its bytes could be quoted in them.
  if (b.errors.some((e) => /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(e))) return {
    ok: false, error: `cannot launch ${shown}: not an assembly source (it contains binary data)`,
  };
  const errs = b.errors.slice(0, MAX_ERRORS).map((e) => (e.length > 300 ? e.slice(0, 300) + '...' : e));
  if (b.errors.length > MAX_ERRORS) errs.push(`... and ${b.errors.length - MAX_ERRORS} more errors`);
  return { ok: false, error: `cannot build ${shown}:\n${errs.join('\n')}` };
}

/** Why a file is not a loadable object file, without quoting it. */
function objectReason(error: string): string {
  if (/invalid JSON|cannot read/.test(error)) return /cannot read/.test(error) ? 'cannot read it' : 'not an assembly source (.s, .asm) or a tinycp object file';
  if (/"format" is/.test(error)) return 'not a tinycp object file (no tinycp object format marker)';
  // The other reasons name a field; drop any value quoted from the file.
  return 'not a valid tinycp object file: ' + error.replace(/^.*?: /, '').replace(/,? (found|is) .*$/, '').slice(0, 120);
}
