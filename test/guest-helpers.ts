/**
 * Shared helpers for tests that build and run guest programs: build-or-throw (the assembler's
 * `file:line:col` errors become the exception's message) and the guest prelude (the standard
 * include, the IPL PSW pointing at `start`, new PSWs for the interruptions a test handles).
 */
import { buildFile, buildSource, type Build } from '../src/host/build.ts';

/** A successful build. */
export type Built = Extract<Build, { ok: true }>;

function orThrow(b: Build): Built {
  if (!b.ok) throw new Error(b.errors.join('\n'));
  return b;
}

/** Build a `.s` file (or read an object file) and insist on success. */
export function buildOrThrow(file: string): Built { return orThrow(buildFile(file)); }

/** Assemble source text and insist on success. */
export function buildSourceOrThrow(source: string, file = 'test.s'): Built { return orThrow(buildSource(source, file)); }

/**
 * The guest prelude: `.include "tinycp.inc"`, the IPL PSW at 0 going to `start`, and for each
 * `{ LC_SVC_NEW: 'svch' }` a new PSW (supervisor state, interruptions masked) going to that label.
 * The program's own code follows, from `.org 0x200` unless the caller places it.
 */
export function prelude(newPsws: Readonly<Record<string, string>> = {}): string {
  const lines = ['        .include "tinycp.inc"', '        .org  0', '        .psw  0, start'];
  for (const [at, label] of Object.entries(newPsws)) lines.push(`        .org  ${at}`, `        .psw  0, ${label}`);
  return lines.join('\n') + '\n';
}
