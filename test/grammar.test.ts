/**
 * The VS Code grammar (editors/vscode) lists mnemonics and directives; they must be the ISA
 * table's and the assembler's, so the editor cannot drift from the machine.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXTENDED, ISA } from '../src/cpu/isa.ts';
import { DIRECTIVES } from '../src/guest/index.ts';

const grammar = JSON.parse(readFileSync(
  new URL('../editors/vscode/syntaxes/tinycp-asm.tmLanguage.json', import.meta.url), 'utf8',
)) as { patterns: { name?: string; match?: string }[] };
/** The alternatives of the one `( a | b | c )` group in the pattern with this scope name. */
function words(scope: string): string[] {
  const p = grammar.patterns.find((x) => x.name === scope);
  const m = p?.match ? /\(((?:[A-Za-z0-9]+\|)*[A-Za-z0-9]+)\)/.exec(p.match) : null;
  return m ? m[1].split('|').map((w) => w.toUpperCase()).sort() : [];
}

describe('the VS Code grammar', () => {
  it('marks exactly the privileged instructions as privileged', () => {
    expect(words('keyword.other.privileged.tinycp-asm')).toEqual(ISA.filter((d) => d.privileged).map((d) => d.mnemonic).sort());
  });
  it('knows every other instruction, every extended mnemonic and LI', () => {
    const want = [...ISA.filter((d) => !d.privileged).map((d) => d.mnemonic), ...EXTENDED.map((e) => e.mnemonic), 'LI'].sort();
    expect(words('keyword.other.instruction.tinycp-asm')).toEqual(want);
  });
  it('knows every directive of the assembler', () => {
    expect(words('keyword.control.directive.tinycp-asm').map((w) => '.' + w)).toEqual([...DIRECTIVES].map((d) => d.toUpperCase()).sort());
  });
});
