/**
 * Delta-debugging minimizer (Zeller's ddmin, simplified) for a diverging fuzz program: replace
 * ever smaller chunks of words with a no-op (`BCR 0,0`) or zero, drop whole segments, and keep
 * every change under which the runs still diverge. The result is written as assembler source
 * (one disassembled line per word, `.org` per segment) plus a JSON copy of the image.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble, disassemble } from '../../src/guest/index.ts';
import { runDifferential, type DiffOptions } from './differential.ts';
import type { FuzzImage } from './generator.ts';
import { hex } from '../../src/cpu/hex.ts';

/** BCR 0,0: never branches. */
export const NOP = 0x07000000;

/** Where reproducers go. */
export const REPRO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), 'repro');

/** An image as editable word arrays, one per segment. */
interface Words { address: number; words: Int32Array }

function toWords(image: FuzzImage): Words[] {
  return image.segments.map((s) => {
    const n = s.bytes.length >>> 2;
    const words = new Int32Array(n);
    for (let i = 0; i < n; i++) words[i] = (s.bytes[4 * i] << 24) | (s.bytes[4 * i + 1] << 16) | (s.bytes[4 * i + 2] << 8) | s.bytes[4 * i + 3];
    return { address: s.address, words };
  });
}

function toImage(ws: Words[], entry: number): FuzzImage {
  return {
    entry,
    segments: ws.map(({ address, words }) => {
      const bytes = new Uint8Array(words.length * 4);
      words.forEach((v, i) => {
        bytes[4 * i] = v >>> 24; bytes[4 * i + 1] = (v >>> 16) & 0xff; bytes[4 * i + 2] = (v >>> 8) & 0xff; bytes[4 * i + 3] = v & 0xff;
      });
      return { address, bytes };
    }),
  };
}

/** True when the image still fails the same way. */
export type Predicate = (image: FuzzImage) => boolean;

/**
 * A coarse signature of a failure, so that minimizing keeps *this* bug rather than sliding to
 * another: the exception's kind, or the first differing field (with both outcome reasons).
 */
export function failureSignature(image: FuzzImage, budget: number, opts: DiffOptions = {}): string | null {
  try {
    const r = runDifferential(image, budget, opts);
    if (r.equal) return null;
    const first = (r.diff ?? '').split('\n')[0];
    const field = first.slice(0, first.indexOf(':'));
    if (field === 'outcome') return 'outcome ' + [...first.matchAll(/(running|ended)\/([a-z-]+)/g)].map((m) => m[2]).join('/');
    return field;
  } catch (e) {
    return 'exception ' + (e instanceof Error ? e.constructor.name + ' ' + e.message.slice(0, 30) : String(e).split(':')[0]);
  }
}

/** Still failing with the signature `image` has now (computed once). */
export function divergencePredicate(image: FuzzImage, budget: number, opts: DiffOptions = {}): Predicate {
  const want = failureSignature(image, budget, opts);
  return (img) => want !== null && failureSignature(img, budget, opts) === want;
}

/**
 * Minimize `image` while `fails` holds. `maxTests` bounds the work (each test is two runs).
 * Returns the smallest failing image found.
 */
export function minimize(image: FuzzImage, fails: Predicate, maxTests = 4000): FuzzImage {
  let ws = toWords(image);
  let tests = 0;
  const test = (cand: Words[]) => { tests++; return fails(toImage(cand, image.entry)); };
  // 1. Drop whole segments.
  for (let i = ws.length - 1; i >= 0 && tests < maxTests; i--) {
    if (ws.length <= 1) break;
    const cand = ws.filter((_, k) => k !== i);
    if (test(cand)) ws = cand;
  }
  // 2. ddmin over the words that are not already no-ops, for each replacement value.
  for (const repl of [NOP, 0]) {
    let idx = live(ws, repl);
    let chunk = Math.max(1, idx.length >>> 1);
    while (chunk >= 1 && tests < maxTests) {
      let changed = false;
      for (let start = 0; start < idx.length && tests < maxTests; start += chunk) {
        const part = idx.slice(start, start + chunk);
        const cand = ws.map((s) => ({ address: s.address, words: s.words.slice() }));
        for (const [si, wi] of part) cand[si].words[wi] = repl;
        if (test(cand)) { ws = cand; changed = true; }
      }
      idx = live(ws, repl);
      if (!changed) { if (chunk === 1) break; chunk = chunk >>> 1; }
      else chunk = Math.min(chunk, Math.max(1, idx.length >>> 1));
    }
  }
  // 3. Trim trailing zero words (storage starts zeroed), then no-ops too, and drop empty segments.
  for (const dropNops of [false, true]) {
    const cand = ws.map((s) => {
      let n = s.words.length;
      while (n > 0 && (s.words[n - 1] === 0 || (dropNops && s.words[n - 1] === NOP))) n--;
      return { address: s.address, words: s.words.slice(0, n) };
    }).filter((s) => s.words.length > 0);
    if (cand.length > 0 && tests < maxTests && test(cand)) ws = cand;
  }
  return toImage(ws, image.entry);
}

/** [segment, word] of every word not equal to `repl`. */
function live(ws: Words[], repl: number): [number, number][] {
  const out: [number, number][] = [];
  ws.forEach((s, si) => s.words.forEach((w, wi) => { if (w !== repl) out.push([si, wi]); }));
  return out;
}

/** Assembler source for an image: `.org` per segment, one disassembled instruction (or `.word`) per word. */
export function toSource(image: FuzzImage, header: string[] = []): string {
  const lines = header.map((h) => `* ${h}`);
  for (const { address, words } of toWords(image)) {
    lines.push(`        .org  0x${hex(address, 0)}`);
    words.forEach((w, i) => {
      const a = address + 4 * i;
      let text = disassemble(w, a).text;
      // Keep only text that reassembles to the same word; otherwise the word itself.
      if (!text.startsWith('.word') && reassemble(text, a) !== (w | 0)) text = `.word 0x${hex(w, 8)}`;
      lines.push(`        ${text.padEnd(28)} ; ${hex(a, 6)}: ${hex(w, 8)}`);
    });
  }
  return lines.join('\n') + '\n';
}

function reassemble(text: string, address: number): number | null {
  const r = assemble(`  .org ${address}\n  ${text}\n`);
  if (!r.ok) return null;
  const s = r.segments.find((x) => x.address <= address && address < x.address + x.bytes.length);
  if (!s) return null;
  const o = address - s.address;
  return ((s.bytes[o] << 24) | (s.bytes[o + 1] << 16) | (s.bytes[o + 2] << 8) | s.bytes[o + 3]) | 0;
}

/** Write `repro/<name>.s` and `repro/<name>.json`; returns the path of the source. */
export function writeReproducer(name: string, image: FuzzImage, header: string[]): string {
  mkdirSync(REPRO_DIR, { recursive: true });
  const path = resolve(REPRO_DIR, `${name}.s`);
  writeFileSync(path, toSource(image, header));
  const json = { entry: image.entry, segments: image.segments.map((s) => ({ address: s.address, bytes: Buffer.from(s.bytes).toString('hex') })) };
  writeFileSync(resolve(REPRO_DIR, `${name}.json`), JSON.stringify(json, null, 1) + '\n');
  return path;
}

/** Read a JSON image written by `writeReproducer`. */
export function imageFromJson(text: string): FuzzImage {
  const j = JSON.parse(text) as { entry: number; segments: { address: number; bytes: string }[] };
  return { entry: j.entry, segments: j.segments.map((s) => ({ address: s.address, bytes: Uint8Array.from(Buffer.from(s.bytes, 'hex')) })) };
}
