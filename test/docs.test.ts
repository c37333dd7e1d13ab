/**
 * The Principles of Operation cannot drift from the code: (1) its instruction reference (PoO 4.11)
 * is exactly what scripts/gen-isa-doc.ts generates from src/cpu/isa.ts, and (2) every section
 * that a comment under src/ cites as "PoO N.N" exists as a numbered heading.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BEGIN, DOC_PATH, END, extractRegion, isaReferenceMarkdown, replaceRegion } from '../scripts/gen-isa-doc.ts';
import { ISA } from '../src/cpu/isa.ts';
import { hex } from '../src/cpu/hex.ts';

const SRC = fileURLToPath(new URL('../src', import.meta.url));
const doc = readFileSync(DOC_PATH, 'utf8');

/** Section numbers of the document's headings: `## 5. Interruptions` -> 5, `### 5.3 Program ...` -> 5.3. */
function headingNumbers(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/gm)) out.add(m[1]);
  return out;
}

const NUM = String.raw`\d+(?:\.\d+)*`;
/** "PoO 4.10, 6, 7, 8", "PoO 4.5-4.9", "PoO 3.3, 6.2", "PoO 11;": every number cited (range ends included). */
function citedSections(text: string): string[] {
  const out: string[] = [];
  const re = new RegExp(String.raw`PoO\s+(${NUM}(?:\s*(?:,|-|–|and)\s*${NUM})*)`, 'g');
  for (const m of text.matchAll(re)) for (const n of m[1].split(/\s*(?:,|-|–|and)\s*/)) out.push(n.replace(/\.$/, ''));
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.(ts|js|mjs)$/.test(e.name) ? [p] : [];
  });
}

describe('docs/principles-of-operation.md', () => {
  it('has the generated instruction reference, identical to the generator output', () => {
    const region = extractRegion(doc);
    expect(region, `markers ${BEGIN} / ${END} are missing`).not.toBeNull();
    // On failure: run `node --import tsx scripts/gen-isa-doc.ts` to regenerate.
    expect(region).toBe(isaReferenceMarkdown());
  });

  it('the drift check can fail: a changed table row or a hand edit is detected', () => {
    const edited = replaceRegion(doc, isaReferenceMarkdown().replace('| LPSW | 82 |', '| LPSW | 83 |'));
    expect(extractRegion(edited)).not.toBe(isaReferenceMarkdown());
    expect(() => replaceRegion('no markers here', 'x')).toThrow();
  });

  it('the generated reference lists every instruction of the table', () => {
    const md = isaReferenceMarkdown();
    for (const d of ISA) expect(md).toContain(`| ${d.mnemonic} | ${hex(d.opcode, 2)} |`);
  });

  it('has a heading for every "PoO N.N" cited under src/', () => {
    const headings = headingNumbers(doc);
    const missing: string[] = [];
    let cited = 0;
    for (const f of sourceFiles(SRC)) {
      const text = readFileSync(f, 'utf8');
      for (const n of citedSections(text)) {
        cited++;
        if (!headings.has(n)) missing.push(`${f.slice(SRC.length + 1)}: PoO ${n}`);
      }
    }
    expect(cited).toBeGreaterThan(50);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('the citation check can fail: parsing of citations and headings', () => {
    expect(citedSections('(PoO 4.10, 6, 7, 8) and PoO 4.5-4.9; PoO 11; VM/370, PoO 5.1, "IPL"'))
      .toEqual(['4.10', '6', '7', '8', '4.5', '4.9', '11', '5.1']);
    const h = headingNumbers('## 5. Interruptions\n### 5.3 Program\n#### 5.3.2 Nullification\n## Appendix A\n');
    expect([...h]).toEqual(['5', '5.3', '5.3.2']);
    expect(h.has('99.9')).toBe(false);
  });

  it('numbers its headings in order, without duplicates', () => {
    const nums = [...doc.matchAll(/^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/gm)].map((m) => m[1]);
    expect(new Set(nums).size).toBe(nums.length);
    const key = (n: string) => n.split('.').map((x) => x.padStart(3, '0')).join('.');
    expect(nums.map(key)).toEqual([...nums].map(key).sort());
  });
});
