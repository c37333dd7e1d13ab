/**
 * Line-level lexing: comments, labels, the operation field and operands. Columns are 1-based so
 * diagnostics can say `file:line:col` the way editors expect.
 */

/** A piece of a line and the column where it starts. */
export interface Piece {
  text: string;
  col: number;
}

/** A line split into its fields. */
export interface SplitLine {
  labels: Piece[];
  /** Mnemonic, directive or macro name. */
  op?: Piece;
  /** Everything after the operation field, comment removed, trimmed. */
  rest: Piece;
  /** Set when the line is malformed (for example an unterminated string). */
  error?: { message: string; col: number };
}

const SYM_START = /[A-Za-z_$]/;
const SYM_CHAR = /[A-Za-z0-9_$.]/;

/** True when `s` is a valid symbol name. */
export function isSymbolName(s: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$.]*$/.test(s);
}

/**
 * Index just past the quoted run that starts at `i` (text[i] is `"` or `'`), or -1 when it is not
 * closed. Backslash escapes the next character, so `"a\"b"` is one string.
 */
export function skipQuoted(text: string, i: number): number {
  const q = text[i];
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === q) return j + 1;
  }
  return -1;
}

/**
 * Position of the comment start (`;` outside quotes), or text.length. Reports an unterminated
 * quote through `onError`.
 */
function commentStart(text: string, onError: (col: number) => void): number {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === ';') return i;
    if (c === '"' || c === '\'') {
      const j = skipQuoted(text, i);
      if (j < 0) { onError(i + 1); return text.length; }
      i = j - 1;
    }
  }
  return text.length;
}

/** Split one source line into labels, operation and the rest (operands). */
export function splitLine(text: string): SplitLine {
  const out: SplitLine = { labels: [], rest: { text: '', col: text.length + 1 } };
  // S/370 tradition: `*` in column 1 makes the whole line a comment.
  if (text.startsWith('*')) return out;
  const end = commentStart(text, (col) => { out.error = { message: 'unterminated string or character constant', col }; });
  let i = 0;
  const skipWs = () => { while (i < end && (text[i] === ' ' || text[i] === '\t')) i++; };
  for (;;) {
    skipWs();
    if (i >= end) return out;
    const start = i;
    if (text[i] === '.' || SYM_START.test(text[i])) {
      i++;
      while (i < end && SYM_CHAR.test(text[i])) i++;
    } else {
      // Something that is not a name where the operation belongs.
      out.op = { text: text.slice(start, end).split(/[\s]/)[0], col: start + 1 };
      out.error ??= { message: `expected a label, mnemonic or directive, found '${out.op.text}'`, col: start + 1 };
      return out;
    }
    const word = text.slice(start, i);
    if (text[i] === ':' && word[0] !== '.') {
      out.labels.push({ text: word, col: start + 1 });
      i++;
      continue;
    }
    out.op = { text: word, col: start + 1 };
    skipWs();
    const restText = text.slice(i, end).replace(/\s+$/, '');
    out.rest = { text: restText, col: i + 1 };
    return out;
  }
}

/**
 * Split an operand list at top-level commas (not inside parentheses or quotes). Each piece is
 * trimmed and keeps the column of its first character. An empty list gives [].
 */
export function splitOperands(p: Piece): Piece[] {
  const text = p.text;
  if (text.trim() === '') return [];
  const out: Piece[] = [];
  let depth = 0;
  let start = 0;
  const push = (endIdx: number) => {
    const raw = text.slice(start, endIdx);
    const lead = raw.length - raw.trimStart().length;
    out.push({ text: raw.trim(), col: p.col + start + lead });
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === '\'') {
      const j = skipQuoted(text, i);
      if (j < 0) break;
      i = j - 1;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      push(i);
      start = i + 1;
    }
  }
  push(text.length);
  return out;
}

/** Decode the escapes of a quoted string body: \n \t \r \0 \\ \" \' \xNN. */
export function unescape(body: string): { bytes: number[]; error?: string } {
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      const code = body.charCodeAt(i);
      if (code > 0xff) return { bytes, error: `character '${c}' is not in the 8-bit character set` };
      bytes.push(code);
      continue;
    }
    const e = body[++i];
    switch (e) {
      case 'n': bytes.push(10); break;
      case 't': bytes.push(9); break;
      case 'r': bytes.push(13); break;
      case '0': bytes.push(0); break;
      case '\\': bytes.push(92); break;
      case '"': bytes.push(34); break;
      case '\'': bytes.push(39); break;
      case 'x': {
        const hex = body.slice(i + 1, i + 3);
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return { bytes, error: 'escape \\x needs two hex digits' };
        bytes.push(parseInt(hex, 16));
        i += 2;
        break;
      }
      default:
        return { bytes, error: `unknown escape '\\${e ?? ''}' (use \\n \\t \\r \\0 \\\\ \\" \\' or \\xNN)` };
    }
  }
  return { bytes };
}

/** Parse a `"..."` operand into bytes. */
export function parseString(p: Piece): { bytes: number[]; error?: string } {
  const t = p.text;
  if (t.length < 2 || t[0] !== '"' || skipQuoted(t, 0) !== t.length) {
    return { bytes: [], error: `expected a string in double quotes, found '${t}'` };
  }
  return unescape(t.slice(1, -1));
}
