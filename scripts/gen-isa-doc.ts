/**
 * Generates the instruction reference of docs/principles-of-operation.md (PoO 4.11) from the one
 * instruction table, src/cpu/isa.ts, so the manual cannot drift from the machine. Run
 * `node --import tsx scripts/gen-isa-doc.ts` to rewrite the region between the markers in place;
 * test/docs.test.ts fails when the document and this output differ.
 */
import { docRegion } from './doc-region.ts';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CC_RULES, EXTENDED, ISA, type ExceptionName, type Format, type InstrDef } from '../src/cpu/isa.ts';
import { hex } from '../src/cpu/hex.ts';

/** The document and the markers around the generated region. */
export const DOC_PATH = fileURLToPath(new URL('../docs/principles-of-operation.md', import.meta.url));
export const BEGIN = '<!-- BEGIN GENERATED ISA -->';
export const END = '<!-- END GENERATED ISA -->';

/** Assembler operands of each format (PoO 4.1); branch rows with a mask name M1 instead of R1. */
const OPERANDS: Readonly<Record<Format, string>> = {
  RR: 'R1,R2', RR1: 'R1', RX: 'R1,D2(B2)', RS: 'R1,R3,D2(B2)', RSH: 'R1,D2(B2)', RI: 'R1,I2',
  RIU: 'R1,I2', RIB: 'R1,label', SI: 'D1(B1),I2', S: 'D2(B2)', I: 'I', E: '',
};

/** Short names of the program exceptions (PoO 5.3.1), in code order. */
const EXC: Readonly<Record<ExceptionName, [abbr: string, code: number]>> = {
  'operation': ['OP', 0x01], 'privileged-operation': ['PRIV', 0x02], 'protection': ['PROT', 0x04],
  'addressing': ['ADDR', 0x05], 'specification': ['SPEC', 0x06], 'fixed-point-overflow': ['FOVF', 0x08],
  'fixed-point-divide': ['FDIV', 0x09], 'segment-translation': ['SEG', 0x10], 'page-translation': ['PAGE', 0x11],
};

/** Markdown table cells must not contain a bare `|`. */
const cell = (s: string) => s.replace(/\|/g, '\\|');

function operands(d: InstrDef): string {
  const ops = OPERANDS[d.format];
  return /mask M1/.test(d.doc) ? ops.replace('R1', 'M1') : ops;
}

function exceptions(d: InstrDef): string {
  const names = [...d.exceptions].sort((a, b) => EXC[a][1] - EXC[b][1]);
  return names.length === 0 ? '—' : names.map((n) => EXC[n][0]).join(' ');
}

/** The generated Markdown (no markers), ending with a newline. */
export function isaReferenceMarkdown(): string {
  const out: string[] = [];
  out.push(`Generated from \`src/cpu/isa.ts\` by \`scripts/gen-isa-doc.ts\` (${ISA.length} instructions, ` +
    `${EXTENDED.length} extended mnemonics). Do not edit by hand.`);
  out.push('');
  out.push('Columns: **P** = privileged (a privileged-operation exception in problem state, 4.10.1); **class** = Popek & Goldberg class (4.3); ' +
    '**CC** = condition-code rule (table below); **exceptions** = program exceptions the instruction can raise (5.3.1): ' +
    Object.entries(EXC).map(([n, [a, c]]) => `${a} ${n} (X'${hex(c, 2)}')`).join(', ') +
    '. Every instruction can also raise the access exceptions of its own fetch (3.3). Operand syntax is the assembler\'s (see [assembler.md](assembler.md)).');
  out.push('');
  out.push('| Mnemonic | Opcode | Format | Operands | P | Class | CC | Exceptions | Description |');
  out.push('|---|---|---|---|---|---|---|---|---|');
  for (const d of ISA) {
    const syntax = operands(d) ? '`' + operands(d) + '`' : '—';
    const cells = [d.mnemonic, hex(d.opcode, 2), d.format, syntax, d.privileged ? 'P' : '', d.sensitive, d.cc, exceptions(d), cell(d.doc)];
    out.push(`| ${cells.join(' | ')} |`);
  }
  out.push('');
  out.push('#### Condition-code rules');
  out.push('');
  out.push('| Rule | Condition code | Used by |');
  out.push('|---|---|---|');
  for (const [rule, text] of Object.entries(CC_RULES)) {
    const users = ISA.filter((d) => d.cc === rule).map((d) => d.mnemonic);
    out.push(`| ${rule} | ${cell(text)} | ${users.length ? users.join(', ') : '—'} |`);
  }
  out.push('');
  out.push('#### Extended mnemonics');
  out.push('');
  out.push('| Mnemonic | Equivalent | Mask | Meaning |');
  out.push('|---|---|---|---|');
  for (const e of EXTENDED) {
    const form = e.base === 'BCR' ? `BCR ${e.mask},R2` : e.base === 'BC' ? `BC ${e.mask},D2(B2)` : `BRC ${e.mask},label`;
    out.push(`| ${e.mnemonic} | \`${form}\` | B'${e.mask.toString(2).padStart(4, '0')}' | ${cell(e.doc)} |`);
  }
  out.push('');
  out.push('#### Operation-code map');
  out.push('');
  out.push('Rows give the high hex digit, columns the low one; an empty cell is an undefined operation code (operation exception, X\'01\').');
  out.push('');
  out.push('| | ' + Array.from({ length: 16 }, (_, i) => i.toString(16).toUpperCase()).join(' | ') + ' |');
  out.push('|---' + '|---'.repeat(16) + '|');
  for (let hi = 0; hi < 16; hi++) {
    const row = Array.from({ length: 16 }, (_, lo) => ISA.find((d) => d.opcode === hi * 16 + lo)?.mnemonic ?? '');
    if (row.every((x) => x === '')) continue;
    out.push(`| **${hi.toString(16).toUpperCase()}x** | ${row.join(' | ')} |`);
  }
  return out.join('\n') + '\n';
}

const REGION = docRegion(BEGIN, END, 'gen-isa-doc');
/** The text between the markers (exclusive), or null when the markers are missing. */
export const extractRegion = (doc: string): string | null => REGION.extract(doc);
/** `doc` with the region between the markers replaced by `body`. Throws when the markers are missing. */
export const replaceRegion = (doc: string, body: string): string => REGION.replace(doc, body);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) REGION.write(DOC_PATH, isaReferenceMarkdown(), 'instruction reference');
