/**
 * Expressions: 32-bit integer arithmetic with C operators and precedence (comparisons give 1/0). Terms are numbers (123, 0x1F, 0b101,
 * X'1F', B'101'), character constants ('A', C'AB'), symbols, and `*` (the location counter).
 * Evaluation never throws: it returns a value, an unknown symbol (so pass 1 can defer), or an error
 * with the column of the offending token.
 */
import { skipQuoted, unescape } from './lexer.ts';

/** Result of evaluating an expression. */
export interface ExprResult {
  /** The value, as a signed 32-bit integer; undefined when unknown or in error. */
  value: number | undefined;
  /** The first symbol with no value yet (value is then undefined). */
  unknown?: { name: string; col: number };
  /** A syntax or arithmetic error (value is then undefined). */
  error?: { message: string; col: number };
}

/** How an expression sees the world. */
export interface ExprEnv {
  /** Value of a symbol (name upper-cased), or undefined when it has none (yet). */
  lookup(name: string): number | undefined;
  /** The location counter, for `*`. */
  dot: number;
}

type Tok =
  | { k: 'num'; v: number; col: number }
  | { k: 'sym'; name: string; col: number }
  | { k: 'op'; op: string; col: number }
  | { k: 'end'; col: number };

const OPS = ['>>>', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '<', '>', '!', '+', '-', '*', '/', '%', '&', '|', '^', '~', '(', ')'];

class ExprError {
  constructor(readonly message: string, readonly col: number) {}
}

function tokenize(text: string, col0: number): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const col = col0 + i;
    if (c === ' ' || c === '\t') { i++; continue; }
    const typed = /^([XxBbCc])'/.exec(text.slice(i, i + 2));
    if (typed || c === '\'') {
      const q = typed ? i + 1 : i;
      const j = skipQuoted(text, q);
      if (j < 0) throw new ExprError('unterminated character constant', col);
      const body = text.slice(q + 1, j - 1);
      const kind = typed ? typed[1].toUpperCase() : 'C';
      toks.push({ k: 'num', v: constant(kind, body, col), col });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^(0[xX][0-9A-Fa-f_]+|0[bB][01_]+|0[oO][0-7_]+|[0-9][0-9_]*)/.exec(text.slice(i))!;
      const after = text[i + m[0].length];
      if (after !== undefined && /[A-Za-z0-9_$.]/.test(after)) {
        throw new ExprError(`malformed number '${/^[\w$.]+/.exec(text.slice(i))![0]}'`, col);
      }
      const digits = m[0].replace(/_/g, '');
      const radix = digits.length > 1 && /[xXbBoO]/.test(digits[1]) ? { x: 16, b: 2, o: 8 }[digits[1].toLowerCase() as 'x' | 'b' | 'o'] : 10;
      const v = radix === 10 ? parseInt(digits, 10) : parseInt(digits.slice(2), radix);
      if (!(v <= 0xffffffff)) throw new ExprError(`number ${m[0]} does not fit in 32 bits`, col);
      toks.push({ k: 'num', v: v | 0, col });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$.]*/.exec(text.slice(i))!;
      toks.push({ k: 'sym', name: m[0].toUpperCase(), col });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new ExprError(`unexpected character '${c}' in expression`, col);
    toks.push({ k: 'op', op, col });
    i += op.length;
  }
  toks.push({ k: 'end', col: col0 + text.length });
  return toks;
}

/** Value of X'..', B'..' or C'..' (C: up to 4 characters, packed big-endian). */
function constant(kind: string, body: string, col: number): number {
  if (kind === 'X' || kind === 'B') {
    const digits = body.replace(/_/g, '');
    const ok = kind === 'X' ? /^[0-9A-Fa-f]{1,8}$/ : /^[01]{1,32}$/;
    if (!ok.test(digits)) throw new ExprError(`malformed ${kind}'${body}' constant`, col);
    return parseInt(digits, kind === 'X' ? 16 : 2) | 0;
  }
  const u = unescape(body);
  if (u.error) throw new ExprError(u.error, col);
  if (u.bytes.length < 1 || u.bytes.length > 4) throw new ExprError('a character constant holds 1 to 4 characters', col);
  let v = 0;
  for (const b of u.bytes) v = (v << 8) | b;
  return v | 0;
}

/* Binary operators by precedence level, loosest first (C's order). */
const LEVELS: readonly (readonly string[])[] = [
  ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['<<', '>>', '>>>'], ['+', '-'],
  ['*', '/', '%'],
];

class Parser {
  private i = 0;
  unknown: { name: string; col: number } | undefined;
  constructor(private readonly toks: Tok[], private readonly env: ExprEnv) {}

  parse(): number {
    const v = this.binary(0);
    const t = this.toks[this.i];
    if (t.k !== 'end') throw new ExprError(t.k === 'op' && t.op === ')' ? 'unbalanced \')\'' : 'expected an operator', t.col);
    return v;
  }

  private binary(level: number): number {
    if (level === LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.toks[this.i];
      if (t.k !== 'op' || !LEVELS[level].includes(t.op)) return left;
      this.i++;
      const right = this.binary(level + 1);
      left = apply(t.op, left, right, t.col);
    }
  }

  private unary(): number {
    const t = this.toks[this.i++];
    switch (t.k) {
      case 'num': return t.v;
      case 'sym': {
        const v = this.env.lookup(t.name);
        if (v === undefined) { this.unknown ??= { name: t.name, col: t.col }; return 0; }
        return v | 0;
      }
      case 'end': throw new ExprError('expected a value', t.col);
      case 'op':
        if (t.op === '-') return -this.unary() | 0;
        if (t.op === '+') return this.unary();
        if (t.op === '~') return ~this.unary();
        if (t.op === '!') return this.unary() === 0 ? 1 : 0;
        if (t.op === '*') return this.env.dot | 0;
        if (t.op === '(') {
          const v = this.binary(0);
          const c = this.toks[this.i];
          if (c.k !== 'op' || c.op !== ')') throw new ExprError('missing \')\'', c.col);
          this.i++;
          return v;
        }
        throw new ExprError(`expected a value, found '${t.op}'`, t.col);
    }
  }
}

function apply(op: string, a: number, b: number, col: number): number {
  switch (op) {
    case '+': return (a + b) | 0;
    case '-': return (a - b) | 0;
    case '*': return Math.imul(a, b);
    case '/': case '%':
      if (b === 0) throw new ExprError('division by zero', col);
      return op === '/' ? Math.trunc(a / b) | 0 : a % b | 0;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    // Comparisons and logic give 1 or 0, as in C (useful in .if).
    case '==': return a === b ? 1 : 0;
    case '!=': return a !== b ? 1 : 0;
    case '<': return a < b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    case '>': return a > b ? 1 : 0;
    case '>=': return a >= b ? 1 : 0;
    case '&&': return a !== 0 && b !== 0 ? 1 : 0;
    case '||': return a !== 0 || b !== 0 ? 1 : 0;
    default:
      if (b < 0 || b > 31) throw new ExprError(`shift count ${b} out of range 0..31`, col);
      return op === '<<' ? a << b : op === '>>' ? a >> b : (a >>> b) | 0;
  }
}

/** Evaluate `text` (whose first character is at column `col`) in `env`. Never throws. */
export function evaluate(text: string, col: number, env: ExprEnv): ExprResult {
  try {
    const p = new Parser(tokenize(text, col), env);
    const v = p.parse();
    if (p.unknown) return { value: undefined, unknown: p.unknown };
    return { value: v };
  } catch (e) {
    if (e instanceof ExprError) return { value: undefined, error: { message: e.message, col: e.col } };
    return { value: undefined, error: { message: `internal error: ${String(e)}`, col } };
  }
}
