/**
 * The object file: JSON, so it diffs well and any tool can read it.
 *
 * ```json
 * { "format": "tinycp-object", "version": 1, "entry": 512,
 *   "segments": [{ "address": 512, "hex": "58120100..." }],
 *   "symbols": { "START": 512 },
 *   "lines": [{ "file": "a.s", "line": 3, "address": 512, "length": 4 }] }
 * ```
 * `lines` (optional) is the source map: enough for a debugger to show file:line for an address.
 */
import type { AsmResult, Segment } from './asm/types.ts';
import { hex } from '../cpu/hex.ts';

/** A loadable image, as read from an object file. */
export interface ObjectImage {
  entry: number | undefined;
  segments: Segment[];
  symbols: Record<string, number>;
  lines?: { file: string; line: number; address: number; length: number }[];
}

const MAGIC = 'tinycp-object';
const VERSION = 1;

function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

/** Serialize an assembly (or any image) as an object file. `lines` adds the source map. */
export function writeObject(
  image: Pick<AsmResult, 'segments' | 'entry'> & { symbols?: AsmResult['symbols'] | Record<string, number>; lines?: AsmResult['lines'] },
  opts: { sourceMap?: boolean } = {},
): string {
  const symbols: Record<string, number> = {};
  if (image.symbols instanceof Map) for (const [k, s] of image.symbols) symbols[k] = s.value;
  else Object.assign(symbols, image.symbols ?? {});
  const obj: Record<string, unknown> = {
    format: MAGIC, version: VERSION, entry: image.entry ?? null,
    segments: image.segments.map((s) => ({ address: s.address, hex: toHex(s.bytes) })),
    symbols,
  };
  if (opts.sourceMap !== false && image.lines) {
    obj.lines = image.lines.filter((l) => l.bytes.length > 0).map((l) => ({ file: l.file, line: l.line, address: l.address, length: l.bytes.length }));
  }
  return JSON.stringify(obj) + '\n';
}

const isAddr = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffff;

/** Parse and validate an object file. Never throws: bad input gives `{ ok: false, error }`. */
export function readObject(text: string): { ok: true; image: ObjectImage } | { ok: false; error: string } {
  let o: unknown;
  try { o = JSON.parse(text); } catch (e) { return { ok: false, error: `not an object file: invalid JSON (${e instanceof Error ? e.message : String(e)})` }; }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return { ok: false, error: 'not an object file: expected a JSON object' };
  const r = o as Record<string, unknown>;
  if (r.format !== MAGIC) return { ok: false, error: `not an object file: "format" is ${JSON.stringify(r.format)}, expected "${MAGIC}"` };
  if (r.version !== VERSION) return { ok: false, error: `unsupported object file version ${JSON.stringify(r.version)} (this tool reads version ${VERSION})` };
  if (r.entry !== null && r.entry !== undefined && !isAddr(r.entry)) return {
    ok: false, error: `"entry" must be an address 0..16777215 or null, found ${JSON.stringify(r.entry)}`,
  };
  if (!Array.isArray(r.segments)) return { ok: false, error: '"segments" must be an array' };
  const segments: Segment[] = [];
  for (const [i, s] of r.segments.entries()) {
    const seg = s as Record<string, unknown>;
    if (typeof s !== 'object' || s === null || !isAddr(seg.address)) return { ok: false, error: `segment ${i}: "address" must be an integer 0..16777215` };
    if (typeof seg.hex !== 'string' || seg.hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(seg.hex)) return {
      ok: false, error: `segment ${i}: "hex" must be a string of hex digit pairs`,
    };
    const bytes = new Uint8Array(seg.hex.length / 2);
    for (let j = 0; j < bytes.length; j++) bytes[j] = parseInt(seg.hex.substr(j * 2, 2), 16);
    if (seg.address + bytes.length > 0x1000000) return {
      ok: false,
      error: `segment ${i} at X'${hex(seg.address, 0)}' (${bytes.length} bytes) runs past the 24-bit address space`,
    };
    segments.push({ address: seg.address, bytes });
  }
  segments.sort((a, b) => a.address - b.address);
  for (let i = 1; i < segments.length; i++) {
    const p = segments[i - 1];
    if (segments[i].address < p.address + p.bytes.length) return {
      ok: false, error: `segments at X'${hex(p.address, 0)}' and X'${hex(segments[i].address, 0)}' overlap`,
    };
  }
  const symbols: Record<string, number> = {};
  if (r.symbols !== undefined) {
    if (typeof r.symbols !== 'object' || r.symbols === null || Array.isArray(r.symbols)) return {
      ok: false, error: '"symbols" must be an object of name: number',
    };
    for (const [k, v] of Object.entries(r.symbols)) {
      if (typeof v !== 'number' || !Number.isInteger(v)) return { ok: false, error: `symbol ${k}: value must be an integer` };
      symbols[k] = v;
    }
  }
  const image: ObjectImage = { entry: typeof r.entry === 'number' ? r.entry : undefined, segments, symbols };
  if (r.lines !== undefined) {
    if (!Array.isArray(r.lines)) return { ok: false, error: '"lines" must be an array' };
    const lines: NonNullable<ObjectImage['lines']> = [];
    for (const [i, l] of r.lines.entries()) {
      const x = l as Record<string, unknown>;
      if (typeof l !== 'object' || l === null || typeof x.file !== 'string' || !Number.isInteger(x.line) || !isAddr(x.address) || !Number.isInteger(x.length)) {
        return { ok: false, error: `lines[${i}]: expected { file, line, address, length }` };
      }
      lines.push({ file: x.file, line: x.line as number, address: x.address, length: x.length as number });
    }
    image.lines = lines;
  }
  return { ok: true, image };
}
