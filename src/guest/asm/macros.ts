/**
 * Where source lines come from: the main file, `.include`d files, macro expansions and `.rept`
 * bodies, as a stack of frames. Macro bodies are substituted as text (`\param`, `\@`) when they
 * are invoked, so the rest of the assembler only ever sees plain lines.
 */
import { splitLine, splitOperands, type Piece } from './lexer.ts';

/** A line of source and where it was written. */
export interface SrcLine {
  file: string;
  line: number;
  text: string;
}

/** One level of the source stack. */
export interface Frame {
  kind: 'file' | 'macro' | 'rept';
  lines: SrcLine[];
  next: number;
  /** Macro/include nesting of the lines this frame yields. */
  depth: number;
  /** Innermost macro name (or `.rept`) for AsmLine.macro. */
  macro?: string;
  /** Invocation chain, innermost first: "in macro FOO invoked at a.s:3". */
  chain: string[];
  /** Resolved file name, for include-cycle detection. */
  file?: string;
  /** Height of the conditional stack when the frame was entered (`.if` must close in its frame). */
  condBase: number;
  /** A `.rept` frame: passes over `lines` still to make, this one included (the body is not copied n times). */
  repeats?: number;
}

/** Lines a frame has still to yield. */
export function linesLeft(f: Frame): number {
  return f.lines.length - f.next + ((f.repeats ?? 1) - 1) * f.lines.length;
}

/**
 * How many times an expansion pushed now will be made in all: every enclosing `.rept` pushes it
 * again on each of its passes still to come, unless a conditional opened inside that `.rept`
 * guards it (then only this one expansion is certain). With `pendingLines`, this counts an
 * expansion's lines before anything is allocated, so nested `.rept`s are refused at once instead
 * of after the line limit's worth of work.
 */
export function repeatFactor(stack: readonly Frame[], conds: number): number {
  let factor = 1;
  for (let i = stack.length - 1; i >= 0; i--) {
    const f = stack[i];
    if (f.kind !== 'rept') continue;
    if (conds !== f.condBase) break;
    factor *= f.repeats ?? 1;
  }
  return factor;
}

/** Lines every frame of the stack has still to yield. */
export function pendingLines(stack: readonly Frame[]): number {
  let n = 0;
  for (const f of stack) n += linesLeft(f);
  return n;
}

/** A macro definition. */
export interface MacroDef {
  name: string;
  params: { name: string; default?: string }[];
  body: SrcLine[];
  file: string;
  line: number;
}

/** Split a file's text into numbered lines. */
export function fileLines(file: string, text: string): SrcLine[] {
  return text.split(/\r?\n/).map((t, i) => ({ file, line: i + 1, text: t }));
}

/** Resolve an include path against the including file's directory (POSIX-style, no node:path). */
export function resolvePath(path: string, fromFile: string): string {
  if (path.startsWith('/')) return normalize(path);
  const slash = fromFile.lastIndexOf('/');
  return normalize(slash < 0 ? path : fromFile.slice(0, slash + 1) + path);
}

function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '.' || (part === '' && out.length > 0)) continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/** The lower-cased operation field of a line (for block matching), or ''. */
export function opOf(text: string): string {
  return splitLine(text).op?.text.toLowerCase() ?? '';
}

/**
 * Collect the body of a block that started with `open` (`.macro` or `.rept`) up to its matching
 * `close`, consuming lines from `frame`. Nested blocks of the same kind are kept in the body.
 * Returns undefined when the frame ends first.
 */
export function collectBlock(frame: Frame, open: string, close: string, onLine: (l: SrcLine) => void): SrcLine[] | undefined {
  const body: SrcLine[] = [];
  let nest = 0;
  while (frame.next < frame.lines.length) {
    const l = frame.lines[frame.next++];
    onLine(l);
    const op = opOf(l.text);
    if (op === open) nest++;
    else if (op === close) {
      if (nest === 0) return body;
      nest--;
    }
    body.push(l);
  }
  return undefined;
}

/** Parse `.macro NAME p1, p2=default`. */
export function parseMacroHeader(rest: Piece): {
  name?: Piece; params: { name: string; default?: string; col: number }[]; error?: { message: string; col: number };
} {
  const m = /^([A-Za-z_$][A-Za-z0-9_$.]*)\s*,?\s*/.exec(rest.text);
  if (!m) return { params: [], error: { message: '.macro needs a name', col: rest.col } };
  const name = { text: m[1], col: rest.col };
  const params: { name: string; default?: string; col: number }[] = [];
  for (const p of splitOperands({ text: rest.text.slice(m[0].length), col: rest.col + m[0].length })) {
    const pm = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*(.*))?$/s.exec(p.text);
    if (!pm) return { name, params, error: { message: `bad macro parameter '${p.text}' (write NAME or NAME=default)`, col: p.col } };
    const pname = pm[1].toUpperCase();
    if (params.some((x) => x.name === pname)) return { name, params, error: { message: `duplicate macro parameter '${pm[1]}'`, col: p.col } };
    params.push({ name: pname, default: pm[2], col: p.col });
  }
  return { name, params };
}

/**
 * Bind invocation arguments to parameters: positional first, then `name=value`. Returns the
 * values by parameter name, or an error.
 */
export function bindArgs(def: MacroDef, args: Piece[]): { values: Map<string, string>; error?: { message: string; col: number } } {
  const values = new Map<string, string>();
  let pos = 0;
  for (const a of args) {
    const kw = /^([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)\s*(.*)$/s.exec(a.text);
    if (kw && def.params.some((p) => p.name === kw[1].toUpperCase())) {
      values.set(kw[1].toUpperCase(), kw[2]);
      continue;
    }
    if (pos >= def.params.length) {
      return {
        values,
        error: {
          message: `too many arguments for macro ${def.name} (it takes ${def.params.length}: ${def.params.map((p) => p.name).join(', ') || 'none'})`,
          col: a.col,
        },
      };
    }
    values.set(def.params[pos++].name, a.text);
  }
  for (const p of def.params) {
    if (values.has(p.name)) continue;
    if (p.default === undefined) return {
      values,
      error: { message: `missing argument for parameter ${p.name} of macro ${def.name} (defined at ${def.file}:${def.line})`, col: 0 },
    };
    values.set(p.name, p.default);
  }
  return { values };
}

/**
 * Substitute `\param` and `\@` in a macro body line; unknown `\x` sequences are left alone.
 * Where a string is expected, inside a "..." literal of the body, an argument that is itself a
 * string literal ("hello") is substituted without its quotes, so `.ascii "\text"` invoked with
 * `"hello"` or with `hello` assembles the same five bytes. Elsewhere the argument is substituted
 * exactly as written (`.ascii \text` with `"hello"` keeps the quotes it needs).
 */
export function substitute(text: string, values: Map<string, string>, counter: number): string {
  if (!text.includes('\\')) return text;
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === "'" && !inString && text[i + 2] === "'") { out += text.slice(i, i + 3); i += 3; continue; } // '"' is a character
    if (c === '"') { inString = !inString; out += c; i++; continue; }
    if (c !== '\\') { out += c; i++; continue; }
    const m = /^\\(@|\(\)|[A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i));
    const v = m && m[1] !== '@' && m[1] !== '()' ? values.get(m[1].toUpperCase()) : undefined;
    if (m && m[1] === '@') { out += String(counter); i += m[0].length; continue; }
    if (m && m[1] === '()') { i += m[0].length; continue; } // `\()` ends a parameter name: `\reg\()X` -> `R1X`
    if (m && v !== undefined) { out += inString ? unquote(v) : v; i += m[0].length; continue; }
    // Not a parameter: an escape such as \" or \n, copied whole so a \" does not end the string.
    out += text.slice(i, i + 2); i += 2;
  }
  return out;
}

/** The contents of a "..." argument (its escapes kept, to be read by the string's own parser), else the text. */
function unquote(v: string): string {
  const t = v.trim();
  return t.length >= 2 && t[0] === '"' && t[t.length - 1] === '"' ? t.slice(1, -1) : v;
}
