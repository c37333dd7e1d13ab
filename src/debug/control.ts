/**
 * Console execution control beyond one instruction: conditional ADSTOPs (`IF R3 = 5`, `COUNT n`),
 * calls and returns for STEP OVER / STEP RETURN (one definition, for the console and any other
 * front end), and what a step changed (registers, PSW fields, storage) for STEP's report.
 */
import { isCall, isReturn } from '../cpu/isa.ts';
import type { PswData } from '../monitor/events.ts';
import { hexOperand } from '../monitor/operator.ts';
import { pswChange } from '../monitor/narrate.ts';
import { hex } from './format.ts';
import type { SourceMap } from './source.ts';

/* ---- calls and returns (PoO 4.6: BAL, BALR, BRAS link; BR returns; LPSW ends a handler) ---- */

// One definition, in the instruction table (src/cpu/isa.ts).
export { isCall, isReturn };

/**
 * The stop test of STEP OVER for the instruction at `ia`: null when it is not a call (one step
 * does), else a test, given each executed instruction and the address after it, that is true once
 * the call has returned to the next instruction (calls made inside it, recursion included, first return).
 */
export function overCall(word: number, ia: number): ((executed: number, next: number) => boolean) | null {
  if (!isCall(word)) return null;
  const back = (ia + 4) & 0xffffff;
  let depth = 0;
  return (executed, next) => {
    if (isCall(executed)) depth++;
    else if (isReturn(executed)) depth--;
    return next === back && depth <= 0;
  };
}

/** The stop test of STEP RETURN: true after the return that leaves the current routine (nested calls return first). */
export function toReturn(): (executed: number, next: number) => boolean {
  let depth = 0;
  return (executed) => {
    if (isCall(executed)) { depth++; return false; }
    if (isReturn(executed)) { if (depth === 0) return true; depth--; }
    return false;
  };
}

/* ---- conditional ADSTOPs ---- */

/** What a condition can read. */
export interface MachineView { gpr: Int32Array; psw(): PswData; mem: Int32Array }

/** The condition of one ADSTOP address: a comparison, a hit count, or both. */
export interface BreakCondition {
  /** As QUERY TRACE shows it, e.g. `IF R3 = 5 COUNT 2`. */
  text: string;
  test: ((m: MachineView) => boolean) | null;
  /** Stop from the count-th arrival on (arrivals where the test holds); 0: every arrival. */
  count: number;
  hits: number;
}

const OPS: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b, '==': (a, b) => a === b, '<>': (a, b) => a !== b, '!=': (a, b) => a !== b,
  '<': (a, b) => a < b, '<=': (a, b) => a <= b, '>': (a, b) => a > b, '>=': (a, b) => a >= b,
};

/** A value: decimal (signed) or hex written X'..' or 0x..; a reason otherwise. */
function value(t: string): number | string {
  if (/^-?\d+$/.test(t)) {
    const v = Number(t);
    return v >= -0x80000000 && v <= 0xffffffff ? v | 0 : `${t} does not fit in 32 bits`;
  }
  if (/^(X'[0-9A-F]+'|0X[0-9A-F]+)$/i.test(t)) { const v = hexOperand(t); return v === undefined ? `${t} has more than 8 hex digits` : v | 0; }
  return `'${t}' is not a decimal number or a hex value written X'..'`;
}

/**
 * Parse the operands after the addresses of `ADSTOP addr... IF operand op value [COUNT n]` or
 * `ADSTOP addr... COUNT n`. Operands: Rn/Gn (a general register, signed), CC (the condition code),
 * a symbol or hex address (the storage word there). Returns the condition or a named reason.
 */
export function parseCondition(words: readonly string[], source: SourceMap, memBytes: number): BreakCondition | string {
  let rest = words.join(' ').trim();
  let count = 0, test: BreakCondition['test'] = null, text = '';
  const cm = /\s*\bCOUNT\b\s*(\S*)\s*$/i.exec(rest);
  if (cm) {
    if (!/^\d+$/.test(cm[1]) || Number(cm[1]) < 1) return `COUNT takes a positive decimal number (got '${cm[1]}')`;
    count = Number(cm[1]);
    rest = rest.slice(0, cm.index).trim();
  }
  if (rest !== '') {
    const im = /^IF\s+(\S+?)\s*(<>|!=|<=|>=|==|=|<|>)\s*(\S+)$/i.exec(rest);
    if (!im) {
      if (!/^IF\b/i.test(rest)) return `'${rest.split(/\s+/)[0]}' is not IF or COUNT`;
      if (!/(<>|!=|<=|>=|=|<|>)/.test(rest)) return 'IF needs a comparison: operand =, <>, <, <=, > or >= value';
      return `'${rest.slice(2).trim()}' is not 'operand op value' (operand: Rn, CC, a symbol or a hex address)`;
    }
    const [, lhs, op, rhsText] = im;
    const rhs = value(rhsText);
    if (typeof rhs === 'string') return rhs;
    const cmp = OPS[op];
    const u = lhs.toUpperCase();
    const reg = /^[RG](\d{1,2})$/.exec(u);
    let read: (m: MachineView) => number;
    if (reg && !source.symbols.has(u)) {
      const r = Number(reg[1]);
      if (r > 15) return `'${lhs}' is not a register (R0-R15)`;
      read = (m) => m.gpr[r];
    } else if (u === 'CC') {
      if (rhs < 0 || rhs > 3) return `a condition code is 0-3 (got ${rhsText})`;
      read = (m) => m.psw().cc;
    } else {
      const a = source.resolve(lhs);
      if (a === undefined) return `'${lhs}' is not a register (R0-R15), CC, a symbol or a hex address`;
      if ((a & 3) !== 0 || a + 4 > memBytes) return `${hex(a, 6)} is not a word-aligned address inside the guest's storage`;
      read = (m) => m.mem[a >>> 2];
    }
    // Unsigned hex constants compare as the signed words registers hold.
    test = (m) => cmp(read(m), rhs);
    text = `IF ${u} ${op} ${rhsText.toUpperCase()}`;
  }
  if (!test && !count) return 'IF or COUNT is missing';
  return { text: [text, count ? `COUNT ${count}` : ''].filter(Boolean).join(' '), test, count, hits: 0 };
}

/** Does an arrival at a conditional ADSTOP stop? Counts the arrival when its test holds. */
export function conditionStops(c: BreakCondition, m: MachineView): boolean {
  if (c.test && !c.test(m)) return false;
  c.hits++;
  return c.hits >= c.count;
}

/* ---- what a step changed ---- */

/** The state before a STEP, and the storage its instructions wrote (old bytes first). */
export interface Before { gpr: Int32Array; cr: Int32Array; psw: PswData }

/** Most storage writes a STEP records for its report. */
export const MAX_WRITES = 256;

/** One storage write a step made: its guest-real address and the bytes there before. */
export interface Write { address: number; old: Uint8Array }

const byteAt = (mem: Int32Array, a: number) => (mem[a >>> 2] >>> (8 * (3 - (a & 3)))) & 0xff;

/**
 * Lines naming every register, control register, PSW field and storage range that differs, each
 * marked `*` (and, with `color`, the new value in bold yellow for a terminal). `expectIa`: where
 * straight-line execution leads (the address is listed only when it differs), or null to list it.
 */
export function changeLines(b: Before, now: { gpr: Int32Array; cr: Int32Array; psw: PswData; mem: Int32Array }, writes: readonly Write[] | null,
  names: ReadonlyMap<number, string>, color: boolean, expectIa: number | null, notes: { truncated: boolean; unknown: boolean }): string[] {
  const hi = (s: string) => (color ? `\x1b[1;33m${s}\x1b[0m` : s);
  const out: string[] = [];
  for (let r = 0; r < 16; r++) if (b.gpr[r] !== now.gpr[r]) out.push(`* R${r}`.padEnd(10) + `${hex(b.gpr[r])} -> ${hi(hex(now.gpr[r]))}`);
  for (let r = 0; r < 16; r++) if (b.cr[r] !== now.cr[r]) out.push(`* CR${r}`.padEnd(10) + `${hex(b.cr[r])} -> ${hi(hex(now.cr[r]))}`);
  const p = now.psw;
  // The instruction address is news only when it is not where straight-line execution leads.
  const seq = expectIa === null || p.ia === expectIa;
  if (b.psw.flags !== p.flags || b.psw.cc !== p.cc || !seq) {
    const what = pswChange(b.psw, seq ? { ...p, ia: b.psw.ia } : p);
    if (what !== 'unchanged') out.push(`* PSW`.padEnd(10) + hi(what) + (seq ? '' : ' (branch taken)'));
  }
  if (writes) {
    // Coalesce by address: the oldest bytes against what is there now.
    const seen = new Map<number, Uint8Array>();
    for (const w of writes) {
      const first = seen.get(w.address);
      if (!first) { seen.set(w.address, w.old); continue; }
      if (first.length < w.old.length) { const m = w.old.slice(); m.set(first); seen.set(w.address, m); }
    }
    for (const [a, old] of [...seen].sort((x, y) => x[0] - y[0])) {
      let was = '', is = '';
      for (let i = 0; i < old.length; i++) { was += hex(old[i], 2); is += hex(byteAt(now.mem, a + i), 2); }
      if (was === is) continue;
      const name = names.get(a);
      out.push(`* ${hex(a, 6)}.${old.length.toString(16).toUpperCase()}${name ? ` (${name})` : ''}`.padEnd(10) + ` ${was} -> ${hi(is)}`);
    }
    if (notes.truncated) out.push(`  (only the first ${MAX_WRITES} storage writes are shown)`);
    if (notes.unknown) out.push('  (an interruption, I/O or a privileged instruction ran: storage it wrote is not listed)');
  }
  return out.length ? ['CHANGED:', ...out] : ['CHANGED: nothing (no register, PSW field or storage)'];
}
