/**
 * What a guest writer reads in docs/assembler.md stays true: (1) the list of predefined symbols
 * is exactly what scripts/gen-symbols-doc.ts generates from the assembler's own ARCH_SYMBOLS,
 * and names every one of them; (2) every macro of the standard include folder is documented;
 * (3) an error inside a standard include names the include's real path; (4) SAY writes text at
 * any byte address, bare and under CP.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archSymbols, DOC_PATH, extractRegion, replaceRegion, symbolsMarkdown } from '../scripts/gen-symbols-doc.ts';
import { ARCH_SYMBOLS } from '../src/guest/asm/assembler.ts';
import { buildSource, INCLUDE_DIR } from '../src/host/build.ts';
import { Session } from '../src/session/session.ts';
import { buildSourceOrThrow, prelude } from './guest-helpers.ts';

const doc = readFileSync(DOC_PATH, 'utf8');

describe('docs/assembler.md: predefined symbols', () => {
  it('has the generated list, identical to the generator output', () => {
    // On failure: run `node --import tsx scripts/gen-symbols-doc.ts` to regenerate.
    expect(extractRegion(doc)).toBe(symbolsMarkdown());
  });

  it('lists every symbol the assembler predefines, with its value', () => {
    const listed = new Map(archSymbols().map((s) => [s.name, s.value]));
    expect([...listed.keys()].sort()).toEqual([...ARCH_SYMBOLS.keys()].sort());
    for (const [k, v] of ARCH_SYMBOLS) expect(listed.get(k), k).toBe(v);
    expect(symbolsMarkdown()).toContain("| `DEV_CONSOLE` | X'09' (9) |");
    expect(symbolsMarkdown()).toContain("| `CCW_SLI` | X'20' (32) |");
  });

  it('the drift check can fail: a changed value or a missing row is detected', () => {
    const edited = replaceRegion(doc, symbolsMarkdown().replace("| `PGM_PAGE` | X'11' (17) |", "| `PGM_PAGE` | X'12' (18) |"));
    expect(extractRegion(edited)).not.toBe(symbolsMarkdown());
    expect(archSymbols('export const FOO = 1;\n')).toEqual([]); // not an assembler symbol: not listed
  });
});

describe('docs/assembler.md: the standard include folder', () => {
  it('documents every macro defined in programs/include/', () => {
    const macros = readdirSync(INCLUDE_DIR).filter((f) => f.endsWith('.inc'))
      .flatMap((f) => [...readFileSync(join(INCLUDE_DIR, f), 'utf8').matchAll(/^\s*\.macro\s+([A-Z_][A-Z0-9_]*)/gim)].map((m) => m[1]));
    expect(macros.length).toBeGreaterThanOrEqual(15);
    const section = doc.slice(doc.indexOf('## The standard include folder'), doc.indexOf('## Predefined symbols'));
    for (const m of macros) expect(section, `macro ${m} is not documented`).toMatch(new RegExp('`' + m + '\\b'));
  });

  it('an error inside a standard include names the include\'s real path', () => {
    const b = buildSource('        .include "tinycp.inc"\n        SAY   nosuch,3\n', 'snippet.s');
    expect(b.ok).toBe(false);
    const first = !b.ok ? b.errors[0] : '';
    const file = first.slice(0, first.indexOf(':'));
    expect(file).toBe(join(INCLUDE_DIR, 'tinycp.inc'));
    expect(existsSync(file)).toBe(true);
    expect(first).toMatch(/undefined symbol NOSUCH \(in macro SAY invoked at snippet\.s:2\)$/);
  });

  it('EXIT refuses a wait code that would make an invalid PSW, and ends with a valid one', () => {
    const src = (code: number) => `        .include "tinycp.inc"\n        .org 0\n        .psw 0, start\n        .org 0x200\nstart:  EXIT ${code}\n`;
    const bad = buildSource(src(1), 'exit.s');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors[0]).toMatch(/EXIT 1: a wait code must be a multiple of 4 \(PoO 2\.2, Appendix A\).*\(in macro EXIT invoked at exit\.s:5\)$/);
    const good = buildSourceOrThrow(src(12), 'exit.s');
    const o = new Session(good.image, { mode: 'bare', storage: 64 * 1024 }).run(100);
    expect([o.reason, o.code]).toEqual(['disabled-wait', 12]);
  });

  it('SAY writes text at any byte address, bare and under CP', () => {
    const src = `${prelude()}        .org  0x200
start:  SAY   m1,2
        SAY   m2,3
        SAY   m3,1
        SAY   m4,4
        PASS
m1:     .ascii "ab"
m2:     .ascii "cde"
m3:     .ascii "f"
m4:     .ascii "ghij"
`;
    const b = buildSourceOrThrow(src, 'say.s');
    for (const mode of ['bare', 'vm'] as const) {
      const out: string[] = [];
      const o = new Session(b.image, { mode, storage: 64 * 1024, console: (l) => out.push(l) }).run(1000);
      expect(o.message, mode).toBe('test result: PASS');
      expect(out, mode).toEqual(['ab', 'cde', 'f', 'ghij']);
    }
  });
});
