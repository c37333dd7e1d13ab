/**
 * tinycp assembly in CodeMirror 6: highlighting whose word lists come from the ISA table
 * (src/cpu/isa.ts: mnemonics, extended mnemonics, which are privileged) and the assembler's
 * directive list, as editors/vscode's grammar does, so the editor cannot drift from the machine;
 * and a linter that runs the real assembler on the text as you type.
 */
import { HighlightStyle, StreamLanguage, StringStream, syntaxHighlighting } from '@codemirror/language';
import { linter, type Diagnostic as LintDiagnostic } from '@codemirror/lint';
import type { Extension } from '@codemirror/state';
import { tags as t } from '@lezer/highlight';
import { ARCH_SYMBOLS, assemble, DIRECTIVES } from '../../src/guest/index.ts';
import { EXTENDED, ISA } from '../../src/cpu/isa.ts';
import { readInclude } from './files.ts';

const PRIVILEGED = new Set(ISA.filter((d) => d.privileged).map((d) => d.mnemonic));
const INSTRUCTIONS = new Set([...ISA.filter((d) => !d.privileged).map((d) => d.mnemonic), ...EXTENDED.map((e) => e.mnemonic), 'LI']);
const DIRECTIVE_SET = new Set(DIRECTIVES.map((d) => d.toUpperCase()));

interface State { opDone: boolean }

/** One token of a line: comments, strings, labels, the operation (instruction, directive, macro) and operands. */
function token(stream: StringStream, state: State): string | null {
  if (stream.sol()) {
    state.opDone = false;
    if (stream.peek() === '*') { stream.skipToEnd(); return 'comment'; }
    if (stream.match(/^[A-Za-z_$@.][A-Za-z0-9_$@.\\]*:/)) return 'labelName';
    if (stream.match(/^[A-Za-z_$@.][A-Za-z0-9_$@.]*(?=\s*=)/)) return 'definition';
  }
  if (stream.eatSpace()) return null;
  const ch = stream.peek()!;
  if (ch === ';') { stream.skipToEnd(); return 'comment'; }
  if (ch === '"') {
    stream.next();
    let esc = false, c: string | void;
    while ((c = stream.next()) !== undefined) { if (!esc && c === '"') break; esc = !esc && c === '\\'; }
    return 'string';
  }
  if (stream.match(/^'(?:[^'\\]|\\.)'/)) return 'string';
  if (stream.match(/^(0x[0-9a-f]+|X'[0-9a-f]+')/i)) return 'number';
  if (stream.match(/^\d+\b/)) return 'number';
  const w = stream.match(/^[.A-Za-z_$@\\][A-Za-z0-9_$@.\\]*/) as RegExpMatchArray | null;
  if (w) {
    const u = w[0].toUpperCase();
    if (!state.opDone) {
      state.opDone = true;
      if (PRIVILEGED.has(u)) return 'privileged';
      if (INSTRUCTIONS.has(u)) return 'keyword';
      if (DIRECTIVE_SET.has(u)) return 'directive';
      return 'macroName';
    }
    if (/^R(1[0-5]|[0-9])$/.test(u)) return 'register';
    if (ARCH_SYMBOLS.has(u)) return 'constant';
    return 'variableName';
  }
  stream.next();
  return /[-+*/|&^~<>=]/.test(ch) ? 'operator' : null;
}

/** The token styles of one line (tests, and anyone checking the highlighting without a browser). */
export function tokenize(line: string): [string, string | null][] {
  const stream = new StringStream(line, 4, 2);
  const state: State = { opDone: false };
  const out: [string, string | null][] = [];
  while (!stream.eol()) {
    const style = token(stream, state);
    if (stream.pos === stream.start) stream.next(); // never stall on a character no rule takes
    if (style !== null) out.push([stream.current(), style]);
    stream.start = stream.pos;
  }
  return out;
}

const privilegedTag = t.special(t.keyword);
const directiveTag = t.processingInstruction;
const registerTag = t.special(t.variableName);

/** The tinycp assembly language for CodeMirror. */
export const tinycpAsm = StreamLanguage.define<State>({
  name: 'tinycp-asm',
  startState: () => ({ opDone: false }),
  token,
  tokenTable: { privileged: privilegedTag, directive: directiveTag, register: registerTag, definition: t.definition(t.variableName), macroName: t.macroName, constant: t.constant(t.variableName) },
  languageData: { commentTokens: { line: ';' } },
});

const style = HighlightStyle.define([
  { tag: t.comment, color: '#6a737d', fontStyle: 'italic' },
  { tag: t.keyword, color: '#005cc5', fontWeight: '600' },
  // The instructions that trap under CP stand out: the lesson of the page.
  { tag: privilegedTag, color: '#b31d28', fontWeight: '700' },
  { tag: directiveTag, color: '#6f42c1' },
  { tag: t.macroName, color: '#22863a', fontWeight: '600' },
  { tag: t.labelName, color: '#e36209', fontWeight: '600' },
  { tag: t.definition(t.variableName), color: '#e36209' },
  { tag: registerTag, color: '#032f62' },
  { tag: t.constant(t.variableName), color: '#5a32a3' },
  { tag: t.string, color: '#032f62' },
  { tag: t.number, color: '#0a7f3f' },
]);

export const highlighting: Extension = syntaxHighlighting(style);

/** The assembler's diagnostics for the text, mapped onto the editor (those of included files onto line 1). */
export function asmLinter(file: () => string): Extension {
  return linter((view) => {
    const doc = view.state.doc;
    const main = file();
    const r = assemble(doc.toString(), { file: main, readFile: readInclude });
    const out: LintDiagnostic[] = [];
    for (const d of r.diagnostics.slice(0, 200)) {
      const inMain = d.file === main;
      const line = doc.line(inMain ? Math.min(Math.max(1, d.line), doc.lines) : 1);
      const from = Math.min(line.from + Math.max(0, d.col - 1), line.to);
      out.push({ from, to: Math.max(from, line.to), severity: d.severity, message: inMain ? d.message : `${d.file}:${d.line}:${d.col}: ${d.message}` });
    }
    return out;
  }, { delay: 250 });
}
