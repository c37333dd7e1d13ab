/** Helpers for the assembler tests: bytes at an address, words as numbers, diagnostics as text. */
import { assemble, formatDiagnostic, type AsmOptions, type AsmResult } from '../src/guest/index.ts';

export function byteAt(r: AsmResult, a: number): number | undefined {
  const s = r.segments.find((x) => x.address <= a && a < x.address + x.bytes.length);
  return s ? s.bytes[a - s.address] : undefined;
}

export function wordAt(r: AsmResult, a: number): number {
  return (((byteAt(r, a) ?? 0) << 24) | ((byteAt(r, a + 1) ?? 0) << 16) | ((byteAt(r, a + 2) ?? 0) << 8) | (byteAt(r, a + 3) ?? 0)) >>> 0;
}

/** Assemble and insist on success; returns the result. */
export function ok(src: string, opts: AsmOptions = {}): AsmResult {
  const r = assemble(src, opts);
  if (!r.ok) throw new Error(`unexpected diagnostics:\n${r.diagnostics.map(formatDiagnostic).join('\n')}`);
  return r;
}

/** Words of the instruction lines, in order. */
export function code(src: string, opts: AsmOptions = {}): number[] {
  const r = ok(src, opts);
  const out: number[] = [];
  for (const l of r.lines) {
    if (!l.isInstruction) continue;
    for (let i = 0; i < l.bytes.length; i += 4) out.push(((l.bytes[i] << 24) | (l.bytes[i + 1] << 16) | (l.bytes[i + 2] << 8) | l.bytes[i + 3]) >>> 0);
  }
  return out;
}

/** Formatted diagnostics of a source that must fail. */
export function errs(src: string, opts: AsmOptions = {}): string[] {
  return assemble(src, { file: 't.s', ...opts }).diagnostics.map(formatDiagnostic);
}
