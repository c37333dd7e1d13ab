/**
 * Views of an AsmResult: diagnostics as text, the listing, and the address <-> line maps the
 * debugger uses. All of them read the per-line records; none re-parses source.
 */
import type { AsmLine, AsmResult, Diagnostic } from './types.ts';
import { hex as h } from '../../cpu/hex.ts';

/** "file:line:col: error: message", the format editors and CI annotators parse. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`;
}

const BYTES_PER_ROW = 8;
const MAX_ROWS = 4;

function hexBytes(b: Uint8Array, from: number): string {
  let s = '';
  for (let i = from; i < Math.min(b.length, from + BYTES_PER_ROW); i++) s += h(b[i], 2);
  return s;
}

/**
 * The listing: one row per source line (address, up to 8 bytes in hex, line number, source),
 * continuation rows for longer data, diagnostics under the line they concern, then the symbol
 * table sorted by name. Lines from macros and includes are marked with `+` per nesting level.
 */
export function formatListing(result: AsmResult): string {
  const out: string[] = [];
  const attached = new Set<Diagnostic>();
  for (const l of result.lines) for (const d of l.diagnostics ?? []) attached.add(d);
  // Diagnostics found outside pass 2 (duplicates, forward references) go under their first line.
  const loose = new Map<string, Diagnostic[]>();
  for (const d of result.diagnostics) {
    if (attached.has(d)) continue;
    const k = `${d.file}:${d.line}`;
    (loose.get(k) ?? loose.set(k, []).get(k)!).push(d);
  }
  let file = '';
  out.push('ADDR    OBJECT            LINE  SOURCE');
  for (const l of result.lines) {
    if (l.file !== file) { file = l.file; out.push(`                                ---- ${file} ----`); }
    const addr = l.value !== undefined ? `=${h(l.value, 8)}`.padEnd(9) : `${h(l.address, 6)}  `;
    const nest = '+'.repeat(Math.min(l.depth, 8));
    out.push(`${addr}${hexBytes(l.bytes, 0).padEnd(16)}  ${String(l.line).padStart(5)} ${nest}${l.text}`);
    for (let row = 1; row * BYTES_PER_ROW < l.bytes.length; row++) {
      if (row === MAX_ROWS) { out.push(`        ... (${l.bytes.length} bytes)`); break; }
      out.push(`${h(l.address + row * BYTES_PER_ROW, 6)}  ${hexBytes(l.bytes, row * BYTES_PER_ROW)}`);
    }
    const k = `${l.file}:${l.line}`;
    const ds = [...(l.diagnostics ?? []), ...(loose.get(k) ?? [])];
    loose.delete(k);
    for (const d of ds) out.push(`*** ${d.severity}: ${d.message} (column ${d.col})`);
  }
  for (const ds of loose.values()) for (const d of ds) out.push(`*** ${formatDiagnostic(d)}`);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  out.push('', `${errors} error(s), ${result.diagnostics.length - errors} warning(s)`);
  if (result.entry !== undefined) out.push(`entry ${h(result.entry, 6)}`);
  if (result.symbols.size) {
    out.push('', 'SYMBOL                          VALUE     KIND      DEFINED');
    const syms = [...result.symbols.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const s of syms) out.push(`${s.name.padEnd(31)} ${h(s.value, 8)}  ${s.kind.padEnd(9)} ${s.file}:${s.line}`);
  }
  return out.join('\n') + '\n';
}

/* The debugger asks these many times per session: index once per result. */
const addrIndex = new WeakMap<AsmResult, AsmLine[]>();

/** The line whose bytes contain `address` (instructions preferred), or undefined. */
export function addressToLine(result: AsmResult, address: number): AsmLine | undefined {
  let idx = addrIndex.get(result);
  if (!idx) {
    idx = result.lines.filter((l) => l.bytes.length > 0).sort((a, b) => a.address - b.address);
    addrIndex.set(result, idx);
  }
  let lo = 0, hi = idx.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const l = idx[mid];
    if (address < l.address) hi = mid - 1;
    else if (address >= l.address + l.bytes.length) lo = mid + 1;
    else return l;
  }
  return undefined;
}

/**
 * Addresses of the instructions a breakpoint on `file:line` means: the line's own instruction,
 * every expansion of a macro-body line, or the first instruction a macro invocation (or an
 * include) produced.
 */
export function lineToAddresses(result: AsmResult, file: string, line: number): number[] {
  const out: number[] = [];
  const ls = result.lines;
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i];
    if (l.file !== file || l.line !== line) continue;
    if (l.isInstruction) { out.push(l.address); continue; }
    for (let j = i + 1; j < ls.length && ls[j].depth > l.depth; j++) {
      if (ls[j].isInstruction) { out.push(ls[j].address); break; }
    }
  }
  return [...new Set(out)];
}

/** The first address for a breakpoint on `file:line`, or undefined when the line has no code. */
export function lineToAddress(result: AsmResult, file: string, line: number): number | undefined {
  return lineToAddresses(result, file, line)[0];
}
