/**
 * Generates the list of the assembler's predefined symbols in docs/assembler.md from the source:
 * the names and values are the assembler's own `ARCH_SYMBOLS` (every numeric export of
 * src/cpu/arch.ts), grouped and explained by that file's section headers and comments. Run
 * `node --import tsx scripts/gen-symbols-doc.ts` to rewrite the region between the markers;
 * test/symbols-doc.test.ts fails when the document and this output differ.
 */
import { readFileSync } from 'node:fs';
import { docRegion } from './doc-region.ts';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ARCH_SYMBOLS } from '../src/guest/asm/assembler.ts';
import { hex as hexDigits } from '../src/cpu/hex.ts';

export const DOC_PATH = fileURLToPath(new URL('../docs/assembler.md', import.meta.url));
export const ARCH_PATH = fileURLToPath(new URL('../src/cpu/arch.ts', import.meta.url));
export const BEGIN = '<!-- BEGIN GENERATED SYMBOLS -->';
export const END = '<!-- END GENERATED SYMBOLS -->';

/** One documented symbol: its section of arch.ts and the comment that explains it. */
export interface SymbolDoc { name: string; value: number; section: string; meaning: string }

/**
 * Read arch.ts in order: `/* ---- Title ---- *\/` starts a section, a `/** ... *\/` comment
 * explains the constants after it (until a blank line or another comment), a trailing `// ...`
 * explains its own line. Only the names the assembler predefines are kept.
 */
export function archSymbols(text = readFileSync(ARCH_PATH, 'utf8')): SymbolDoc[] {
  const out: SymbolDoc[] = [];
  let section = 'General';
  let doc = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const sec = /^\/\* ---- (.*?)\.? ---- \*\/$/.exec(line);
    if (sec) { section = sec[1]; doc = ''; continue; }
    if (line.startsWith('/**')) {
      let body = line;
      while (!body.includes('*/') && i + 1 < lines.length) body += ' ' + lines[++i].trim();
      doc = body.replace(/^\/\*\*|\*\/$/g, '').replace(/\s*\*\s+/g, ' ').replace(/\s+/g, ' ').trim();
      continue;
    }
    if (line === '') { doc = ''; continue; }
    const m = /^export const ([A-Z0-9_]+)\b[^=]*=.*?(?:\/\/\s*(.*))?$/.exec(line);
    if (!m) continue;
    const value = ARCH_SYMBOLS.get(m[1]);
    if (value === undefined) continue;
    out.push({ name: m[1], value, section, meaning: m[2]?.trim() || doc });
  }
  return out;
}

const hex = (v: number) => {
  const u = v >>> 0;
  return u > 0xffff ? hexDigits(u, 8) : hexDigits(u, u > 0xff ? 4 : 2);
};
const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The generated Markdown (no markers), ending with a newline. */
export function symbolsMarkdown(): string {
  const syms = archSymbols();
  const out: string[] = [];
  out.push(`Generated from \`src/cpu/arch.ts\` by \`scripts/gen-symbols-doc.ts\` (${syms.length} symbols). Do not edit by hand.`);
  let section = '';
  for (const s of syms) {
    if (s.section !== section) {
      section = s.section;
      out.push('', `**${section}**`, '', '| Symbol | Value | Meaning |', '|---|---|---|');
    }
    out.push(`| \`${s.name}\` | X'${hex(s.value)}' (${s.value}) | ${cell(s.meaning) || '—'} |`);
  }
  return out.join('\n') + '\n';
}

const REGION = docRegion(BEGIN, END, 'gen-symbols-doc');
/** The text between the markers (exclusive), or null when the markers are missing. */
export const extractRegion = (doc: string): string | null => REGION.extract(doc);
/** `doc` with the region between the markers replaced by `body`. Throws when the markers are missing. */
export const replaceRegion = (doc: string, body: string): string => REGION.replace(doc, body);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) REGION.write(DOC_PATH, symbolsMarkdown(), 'predefined symbols');
