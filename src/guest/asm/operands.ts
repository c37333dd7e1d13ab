/**
 * Instruction encoding, driven by the format column of src/cpu/isa.ts (PoO 4.1): each format
 * knows its operand syntax, field ranges and bit layout. Nothing here is per-mnemonic except the
 * mask operand of the branch-on-condition instructions.
 */
import { BY_MNEMONIC, EXTENDED, type Format, type InstrDef } from '../../cpu/isa.ts';
import type { Piece } from './lexer.ts';
import { hexConstant as hex } from '../../cpu/hex.ts';

/** What the encoder needs from the assembler. */
export interface EncodeCtx {
  /** Evaluate an expression; reports its own errors and returns undefined after one. */
  eval(p: Piece): number | undefined;
  /** Address of the `=expr` literal's pool slot; reports its own errors. */
  literal(p: Piece): number | undefined;
  error(col: number, message: string): void;
  warn(col: number, message: string): void;
  /** Address of the instruction being assembled. */
  dot: number;
}

/** Instructions whose first operand is a 4-bit condition mask rather than a register. */
const MASK_FIRST = new Set(['BC', 'BCR', 'BRC']);

/** The operand syntax of an instruction, as the manual writes it ("R1,D2(B2)"). */
export function syntaxOf(def: InstrDef): string {
  const r1 = MASK_FIRST.has(def.mnemonic) ? 'M1' : 'R1';
  const t: Record<Format, string> = {
    RR: `${r1},R2`, RR1: 'R1', RX: `${r1},D2(B2)`, RS: 'R1,R3,D2(B2)', RSH: 'R1,D2(B2)', RI: 'R1,I2',
    RIU: 'R1,I2', RIB: `${r1},label`, SI: 'D1(B1),I2', S: 'D2(B2)', I: 'I', E: '',
  };
  return t[def.format];
}

/** Operand count of each format. */
const COUNT: Record<Format, number> = { RR: 2, RR1: 1, RX: 2, RS: 3, RSH: 2, RI: 2, RIU: 2, RIB: 2, SI: 2, S: 1, I: 1, E: 0 };

/** Extended mnemonic (upper case) -> base definition and mask. */
export const EXTENDED_BY_NAME: ReadonlyMap<string, { def: InstrDef; mask: number }> = new Map(
  EXTENDED.map((e) => [e.mnemonic, { def: BY_MNEMONIC.get(e.base)!, mask: e.mask }]),
);


/** Evaluate and range-check; undefined after an error (already reported). */
function ranged(ctx: EncodeCtx, p: Piece, what: string, min: number, max: number): number | undefined {
  const v = ctx.eval(p);
  if (v === undefined) return undefined;
  if (v < min || v > max) {
    ctx.error(p.col, `${what} ${v}${v > 255 || v < -255 ? ` (${hex(v)})` : ''} out of range ${min}..${max}`);
    return undefined;
  }
  return v;
}

/**
 * Split `D(B)` into its displacement and base. An operand without a trailing `(B)` is a plain
 * expression with base 0. `(expr)` alone is a parenthesized expression, not a base.
 */
export function splitDB(p: Piece): { d: Piece; b?: Piece } {
  const t = p.text;
  if (!t.endsWith(')')) return { d: p };
  let depth = 0;
  for (let i = t.length - 1; i >= 0; i--) {
    if (t[i] === ')') depth++;
    else if (t[i] === '(' && --depth === 0) {
      const prefix = t.slice(0, i).trimEnd();
      if (prefix === '' || !(/[A-Za-z0-9_$.')]$/.test(prefix) || prefix === '*')) return { d: p };
      return { d: { text: prefix, col: p.col }, b: { text: t.slice(i + 1, -1).trim(), col: p.col + i + 1 } };
    }
  }
  return { d: p };
}

/** True when an address operand is just a register name: almost always a missing `0(...)`. */
const BARE_REG = /^R(1[0-5]|[0-9])$/i;

/** Encode `D(B)`: signed16 selects RX's 16-bit signed displacement (B in bits 12-15 of the low half) over the 12-bit one. */
function address(ctx: EncodeCtx, p: Piece, signed16: boolean): number | undefined {
  if (p.text.startsWith('=')) {
    if (!signed16) { ctx.error(p.col, 'a literal (=expr) is allowed only as the second operand of an RX instruction'); return undefined; }
    const a = ctx.literal({ text: p.text.slice(1), col: p.col + 1 });
    return a === undefined ? undefined : a & 0xffff;
  }
  const { d, b } = splitDB(p);
  let base = 0;
  if (b) {
    if (b.text.includes(',')) { ctx.error(b.col, 'this machine has no index registers: write D(B)'); return undefined; }
    const v = ranged(ctx, b, 'base register', 0, 15);
    if (v === undefined) return undefined;
    base = v;
  }
  if (BARE_REG.test(d.text) && !b) ctx.warn(d.col, `register name ${d.text} used as an address; did you mean 0(${d.text})?`);
  const dv = ctx.eval(d);
  if (dv === undefined) return undefined;
  if (signed16) {
    // An RX address with base 0 is the displacement itself, taken modulo 2^24 (PoO 4.1).
    if (dv < -32768 || dv > 32767) {
      const hint = !b && dv > 0 ? ` (addresses above X'7FFF' need a base register: D(B))` : '';
      ctx.error(d.col, `displacement ${dv} (${hex(dv)}) out of range -32768..32767${hint}`);
      return undefined;
    }
    return (base << 16) | (dv & 0xffff);
  }
  if (dv < 0 || dv > 4095) {
    ctx.error(d.col, `displacement ${dv} (${hex(dv)}) out of range 0..4095${b ? '' : ' (larger addresses need a base register: D(B))'}`);
    return undefined;
  }
  return (base << 12) | dv;
}

/** Relative target: the signed word offset from `ctx.dot`, with 24-bit address wrap-around. */
function relative(ctx: EncodeCtx, p: Piece): number | undefined {
  const t = ctx.eval(p);
  if (t === undefined) return undefined;
  if (t < 0 || t > 0xffffff) { ctx.error(p.col, `branch target ${hex(t)} is outside the 24-bit address space`); return undefined; }
  if (t & 3) { ctx.error(p.col, `branch target ${hex(t)} is not word aligned (relative branches count in words)`); return undefined; }
  const diff = ((t - ctx.dot) << 8) >> 8; // 24-bit wrap, as the CPU forms the target
  const words = diff >> 2;
  if (words < -32768 || words > 32767) {
    ctx.error(p.col, `branch target ${hex(t)} out of range: ${words} words from ${hex(ctx.dot)} (range -32768..32767 words)`);
    return undefined;
  }
  return words & 0xffff;
}

/**
 * Encode one instruction. `mask` is given for extended mnemonics (it becomes the first operand).
 * Returns undefined after reporting an error.
 */
export function encode(def: InstrDef, name: string, ops: Piece[], endCol: number, ctx: EncodeCtx, mask?: number): number | undefined {
  const want = COUNT[def.format] - (mask === undefined ? 0 : 1);
  if (ops.length !== want) {
    const syn = syntaxOf(def).split(',').slice(mask === undefined ? 0 : 1).join(',');
    const col = ops.length > want ? ops[want].col : endCol;
    ctx.error(col, `${name} expects ${want} operand${want === 1 ? '' : 's'}${syn ? ` (${name} ${syn})` : ''}, found ${ops.length}`);
    return undefined;
  }
  const all: (Piece | number)[] = mask === undefined ? ops : [mask, ...ops];
  const op = def.opcode << 24;
  const reg = (i: number, what = 'register') => {
    const o = all[i];
    return typeof o === 'number' ? o : ranged(ctx, o, what, 0, 15);
  };
  const first = MASK_FIRST.has(def.mnemonic) ? 'mask' : 'register';
  const p = (i: number) => all[i] as Piece;
  const ok = (...v: (number | undefined)[]) => v.every((x) => x !== undefined);
  switch (def.format) {
    case 'RR': { const a = reg(0, first), b = reg(1); return ok(a, b) ? op | (a! << 20) | (b! << 16) : undefined; }
    case 'RR1': { const a = reg(0); return ok(a) ? op | (a! << 20) : undefined; }
    case 'RX': { const a = reg(0, first), x = address(ctx, p(1), true); return ok(a, x) ? op | (a! << 20) | x! : undefined; }
    case 'RS': { const a = reg(0), c = reg(1), x = address(ctx, p(2), false); return ok(a, c, x) ? op | (a! << 20) | (c! << 16) | x! : undefined; }
    case 'RSH': { const a = reg(0), x = address(ctx, p(1), false); return ok(a, x) ? op | (a! << 20) | x! : undefined; }
    case 'RI': { const a = reg(0), i = ranged(ctx, p(1), 'immediate', -32768, 32767); return ok(a, i) ? op | (a! << 20) | (i! & 0xffff) : undefined; }
    case 'RIU': { const a = reg(0), i = ranged(ctx, p(1), 'immediate', 0, 65535); return ok(a, i) ? op | (a! << 20) | i! : undefined; }
    case 'RIB': { const a = reg(0, first), r = relative(ctx, p(1)); return ok(a, r) ? op | (a! << 20) | r! : undefined; }
    case 'SI': { const x = address(ctx, p(0), false), i = ranged(ctx, p(1), 'immediate byte', 0, 255); return ok(x, i) ? op | (i! << 16) | x! : undefined; }
    case 'S': { const x = address(ctx, p(0), false); return ok(x) ? op | x! : undefined; }
    case 'I': { const i = ranged(ctx, p(0), 'immediate', 0, 255); return ok(i) ? op | i! : undefined; }
    case 'E': return op;
  }
}
