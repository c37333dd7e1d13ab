/**
 * The two-pass assembler. Pass 1 walks the source (expanding includes, macros, `.rept` and
 * `.if`) to give every label its address; pass 2 walks the same stream again and encodes.
 *
 * Anything that decides sizes or the shape of the stream (`.org`, `.space`, `.align`, `.if`,
 * `.rept`, `LI`, literal pools) is decided once in pass 1 and replayed in pass 2 from the
 * `decisions` list, so both passes lay out storage identically by construction.
 */
import * as arch from '../../cpu/arch.ts';
import { BY_MNEMONIC, EXTENDED, ISA, type InstrDef } from '../../cpu/isa.ts';
import { evaluate, type ExprEnv, type ExprResult } from './expr.ts';
import { isSymbolName, splitLine, splitOperands, type Piece } from './lexer.ts';
import { fileLines, type Frame, type MacroDef, type SrcLine } from './macros.ts';
import { EXTENDED_BY_NAME, encode } from './operands.ts';
import { directive } from './directives.ts';
import { nearest } from './suggest.ts';
import type { AsmLine, AsmOptions, AsmResult, AsmSymbol, Diagnostic, Segment } from './types.ts';
import { hexConstant as hex } from '../../cpu/hex.ts';

/** Every numeric export of arch.ts, predefined so programs need no magic numbers. */
export const ARCH_SYMBOLS: ReadonlyMap<string, number> = new Map(
  Object.entries(arch).filter((e): e is [string, number] => typeof e[1] === 'number').map(([k, v]) => [k.toUpperCase(), v]),
);
const REGISTER = /^R(1[0-5]|[0-9])$/;
/** Names a user may type in the operation field besides instructions and macros. */
export const DIRECTIVES = ['.org', '.align', '.word', '.half', '.byte', '.ascii', '.asciz', '.space', '.psw', '.ccw', '.equ', '.equr',
  '.include', '.macro', '.endm', '.if', '.else', '.endif', '.rept', '.endr', '.ltorg', '.entry', '.error', '.warning'];
const MNEMONICS = [...ISA.map((d) => d.mnemonic), ...EXTENDED.map((e) => e.mnemonic), 'LI'];

/**
 * Lines processed per pass, after expansion: a runaway macro stops here instead of hanging. Each
 * line costs microseconds and a listing record, so this is 5 lines for each pass of the largest
 * `.rept` (65,536) and over 100 x the largest program shipped; `.rept` and macro expansions that would pass
 * it are refused before they start (directives.ts).
 */
const LIMITS = { lines: 327_680 } as const;
const TOP = 0x1000000;
/** Shared empty byte array: most lines emit nothing, and typed-array allocation is not free. */
const EMPTY = new Uint8Array(0);

interface Chunk { address: number; bytes: Uint8Array; pos: { file: string; line: number; where: string } }

/** The state of one assembly. Directive handlers (directives.ts) work on it directly. */
export class Assembler {
  pass: 1 | 2 = 1;
  lc = 0;
  readonly syms = new Map<string, AsmSymbol>();
  /** Every name defined so far in pass 1 (resolved or not), for duplicate detection. */
  readonly defined = new Map<string, { file: string; line: number }>();
  readonly predefined = new Map<string, number>(ARCH_SYMBOLS);
  readonly callerDefined = new Set<string>();
  readonly diags: Diagnostic[] = [];
  lines: AsmLine[] = [];
  chunks: Chunk[] = [];
  decisions: number[] = [];
  di = 0;
  /** Pass-1 literal uses by line serial -> pool and slot; pools' addresses and (pass 2) values. */
  readonly litUses = new Map<number, { pool: number; slot: number }>();
  readonly pools: { address: number; values: number[] }[] = [];
  poolKeys = new Map<string, number>();
  pendingEqus: { name: string; expr: Piece; dot: number; pos: Diagnostic; kind: 'equ' | 'register' }[] = [];
  pendingKnown: { name: string; what: string; pos: Diagnostic }[] = [];
  pendingLabels: { name: string; pos: Diagnostic }[] = [];
  /** Labels that stood alone on their line, bound at `lc` (for the automatic-alignment warning). */
  loose: { lc: number; labels: { name: string; pos: Diagnostic }[] } | null = null;
  /** Labels pass 1 accepted, by line serial and name. */
  readonly acceptedLabels = new Set<string>();
  entry: { expr: Piece; pos: Diagnostic } | undefined;
  macros = new Map<string, MacroDef>();
  conds: { active: boolean; taken: boolean; elseSeen: boolean; parentActive: boolean; pos: Diagnostic }[] = [];
  stack: Frame[] = [];
  expansions = 0;
  serial = 0;
  /** An expansion was refused for its size: this pass stops there (the error says where). */
  halted = false;
  /** The line being processed. */
  src: SrcLine = { file: '', line: 0, text: '' };
  frame!: Frame;
  rec: AsmLine | undefined;
  buf: number[] = [];
  bufStart = 0;
  readonly fileCache = new Map<string, { text: string; path: string } | undefined>();
  /** Why an included file that exists could not be read (not a regular file, too large). */
  readonly fileErrors = new Map<string, string>();

  constructor(readonly source: string, readonly opts: AsmOptions) {
    for (const [k, v] of Object.entries(opts.predefined ?? {})) {
      this.predefined.set(k.toUpperCase(), v | 0);
      this.callerDefined.add(k.toUpperCase());
    }
  }

  get file(): string { return this.opts.file ?? 'input.s'; }
  get where(): string {
    const c = this.frame?.chain ?? [];
    if (!c.length) return '';
    // A runaway recursion would otherwise print 32 links; the innermost and the outermost tell the story.
    const shown = c.length > 4 ? [c[0], c[1], `... ${c.length - 3} more`, c[c.length - 1]] : c;
    return ` (${shown.join(', ')})`;
  }
  get active(): boolean { return this.conds.length === 0 || this.conds[this.conds.length - 1].active; }

  /* ---- diagnostics ---- */

  /** A diagnostic at column `col` of the current line. Pass 1 reports only when `pass1` is set. */
  report(col: number, message: string, severity: 'error' | 'warning' = 'error', pass1 = false): void {
    if (this.pass === 1 && !pass1) return;
    const d: Diagnostic = { file: this.src.file, line: this.src.line, col: Math.max(1, col), severity, message: message + this.where };
    this.diags.push(d);
    // The listing shows a diagnostic under the very line (expansion) that caused it.
    if (this.rec && this.pass === 2) (this.rec.diagnostics ??= []).push(d);
  }
  error(col: number, message: string): void { this.report(col, message); }
  here(col: number): Diagnostic { return { file: this.src.file, line: this.src.line, col, severity: 'error', message: this.where }; }
  reportAt(pos: Diagnostic, message: string): void { this.diags.push({ ...pos, message: message + pos.message }); }

  /* ---- symbols and expressions ---- */

  lookup(name: string): number | undefined {
    const s = this.syms.get(name);
    if (s) return s.value;
    const p = this.predefined.get(name);
    if (p !== undefined) return p;
    const r = REGISTER.exec(name);
    return r ? Number(r[1]) : undefined;
  }

  env(dot = this.lc): ExprEnv { return { lookup: (n) => this.lookup(n), dot }; }

  /** Evaluate with errors reported in pass 2 (an unknown symbol then is undefined). */
  eval(p: Piece, dot = this.lc): number | undefined {
    if (this.pass === 1) return evaluate(p.text, p.col, this.env(dot)).value;
    const r = evaluate(p.text, p.col, this.env(dot));
    return this.check(r);
  }

  check(r: ExprResult, pass1 = false): number | undefined {
    if (r.error) this.report(r.error.col, r.error.message, 'error', pass1);
    else if (r.unknown) this.report(r.unknown.col, this.undefinedMessage(r.unknown.name), 'error', pass1);
    return r.value;
  }

  undefinedMessage(name: string): string {
    if (/^R\d+$/i.test(name)) return `undefined symbol ${name}: the general registers are R0-R15`;
    const near = nearest(name, [...this.syms.keys()]);
    return `undefined symbol ${name}${near ? ` (did you mean ${near}?)` : ''}`;
  }

  /**
   * A value that shapes the layout: known in pass 1 at this point, replayed in pass 2.
   * Undefined after an error (reported once, in pass 1).
   */
  decide(p: Piece, what: string): number | undefined {
    if (this.pass === 2) {
      const v = this.decisions[this.di++];
      return Number.isNaN(v) ? undefined : v;
    }
    const r = evaluate(p.text, p.col, this.env());
    if (r.error) this.report(r.error.col, r.error.message, 'error', true);
    else if (r.unknown) this.pendingKnown.push({ name: r.unknown.name, what, pos: this.here(r.unknown.col) });
    this.decisions.push(r.value ?? NaN);
    return r.value;
  }

  /** Record a pass-1 decision that is not an expression (LI size, literal-pool flush). */
  decideRaw(v: () => number): number {
    if (this.pass === 2) return this.decisions[this.di++];
    const x = v();
    this.decisions.push(x);
    return x;
  }

  /** Check that a user symbol may be defined here; returns false after reporting why not. */
  mayDefine(name: string, col: number): boolean {
    if (REGISTER.test(name)) { this.report(col, `${name} is a register name and cannot be redefined`, 'error', true); return false; }
    const p = this.predefined.get(name);
    if (p !== undefined) {
      const from = this.callerDefined.has(name) ? 'predefined by the caller' : 'predefined from src/cpu/arch.ts';
      this.report(col, `symbol ${name} clashes with ${name} = ${hex(p)} (${from})`, 'error', true);
      return false;
    }
    const d = this.defined.get(name);
    if (d) { this.report(col, `duplicate symbol ${name} (first defined at ${d.file}:${d.line})`, 'error', true); return false; }
    return true;
  }

  /** Define NAME = value (pass 1), or defer it when the value has forward references. */
  defineValue(name: Piece, expr: Piece, kind: 'equ' | 'register'): void {
    const key = name.text.toUpperCase();
    if (!isSymbolName(name.text)) { this.report(name.col, `'${name.text}' is not a valid symbol name`); return; }
    if (this.pass === 2) {
      if (this.rec && this.syms.has(key)) this.rec.value = this.syms.get(key)!.value;
      return;
    }
    if (!this.mayDefine(key, name.col)) return;
    this.defined.set(key, { file: this.src.file, line: this.src.line });
    const r = evaluate(expr.text, expr.col, this.env());
    if (r.error) { this.report(r.error.col, r.error.message, 'error', true); return; }
    if (r.value === undefined) { this.pendingEqus.push({ name: key, expr, dot: this.lc, pos: this.here(expr.col), kind }); return; }
    this.setSymbol(key, r.value, kind, this.here(name.col));
  }

  setSymbol(name: string, value: number, kind: AsmSymbol['kind'], pos: Diagnostic): void {
    if (kind === 'register' && (value < 0 || value > 15)) { this.reportAt(pos, `register ${value} out of range 0..15`); return; }
    this.syms.set(name, { name, value, kind, file: pos.file, line: pos.line });
  }

  /** Bind the pending labels here: after an item's alignment for its own line, at once when alone. */
  flushLabels(): void {
    for (const l of this.pendingLabels) {
      if (this.pass === 1) this.setSymbol(l.name, this.lc, 'label', l.pos);
      else if (this.syms.get(l.name)?.value !== this.lc && this.syms.get(l.name)?.kind === 'label') {
        this.reportAt(l.pos, `internal error: phase error at label ${l.name} (pass 1 ${hex(this.syms.get(l.name)!.value)}, pass 2 ${hex(this.lc)})`);
      }
    }
    this.pendingLabels = [];
  }

  /* ---- output ---- */

  /** Pad to a multiple of `n`; this line's labels bind after; a lone label before it is warned about. */
  align(n: number): void {
    const pad = (n - (this.lc % n)) % n;
    if (pad && this.loose && this.loose.lc === this.lc && this.pass === 2) {
      for (const l of this.loose.labels) {
        const message = `label ${l.name} stands alone at ${hex(this.lc)}, but what follows is aligned to ${hex(this.lc + pad)}: ` +
          `${l.name} names ${hex(this.lc)}; put it on the same line, or .align ${n} before it` + l.pos.message;
        this.diags.push({ ...l.pos, severity: 'warning', message });
      }
    }
    if (pad) this.loose = null;
    if (pad && this.pass === 2) this.emitChunk(this.lc, new Uint8Array(pad));
    this.lc += pad;
    this.flushLabels();
  }

  /** Append bytes to the current line (pass 2) and advance the location counter. */
  put(bytes: ArrayLike<number>): void {
    if (this.pass === 2) {
      if (this.buf.length === 0) this.bufStart = this.lc;
      for (let i = 0; i < bytes.length; i++) this.buf.push(bytes[i] & 0xff);
    }
    this.lc += bytes.length;
  }
  putWord(w: number): void { this.put([w >>> 24, w >>> 16, w >>> 8, w]); }

  emitChunk(address: number, bytes: Uint8Array): void {
    if (address + bytes.length > TOP) {
      this.error(1, `location ${hex(address + bytes.length - 1)} is beyond the 24-bit address space (max X'FFFFFF')`);
      return;
    }
    this.chunks.push({ address, bytes, pos: { file: this.src.file, line: this.src.line, where: this.where } });
  }

  /* ---- the line loop ---- */

  run(pass: 1 | 2): void {
    this.pass = pass;
    this.lc = 0;
    this.di = 0;
    this.serial = 0;
    this.halted = false;
    this.expansions = 0;
    this.macros = new Map();
    this.conds = [];
    this.pendingLabels = [];
    this.loose = null;
    this.poolKeys = new Map();
    this.entry = undefined;
    this.pools.length = pass === 1 ? 0 : this.pools.length;
    this.stack = [{ kind: 'file', lines: fileLines(this.file, this.source), next: 0, depth: 0, chain: [], file: this.file, condBase: 0 }];
    while (this.stack.length && !this.halted) {
      const f = this.stack[this.stack.length - 1];
      this.frame = f;
      if (f.next >= f.lines.length) {
        if (f.repeats !== undefined && f.repeats > 1) { f.repeats--; f.next = 0; continue; } // next pass of a .rept body
        this.endFrame(f); this.stack.pop(); continue;
      }
      if (++this.serial > LIMITS.lines) {
        this.src = f.lines[f.next];
        this.report(1, `more than ${LIMITS.lines} lines after expansion: stopping (runaway .rept or macro?)`);
        return;
      }
      this.line(f.lines[f.next++], f);
    }
    this.src = { file: this.file, line: this.source.split('\n').length, text: '' };
    this.rec = undefined;
    const rec: AsmLine | undefined = pass === 2
      ? { file: this.src.file, line: this.src.line, text: '; (end: literal pool)', address: this.lc, bytes: EMPTY, depth: 0, isInstruction: false }
      : undefined;
    this.rec = rec;
    this.flushLabels();
    directive.flushPool(this);
    // The end-of-program literal pool gets a line of its own in the listing and source map.
    if (rec) { this.finishLine(rec); if (rec.bytes.length) this.lines.push(rec); }
    this.rec = undefined;
  }

  private endFrame(f: Frame): void {
    while (this.conds.length > f.condBase) {
      const c = this.conds.pop()!;
      if (this.pass === 2) this.reportAt(
        c.pos,
        `unterminated .if: no .endif before the end of ${f.kind === 'file' ? f.file : f.kind === 'macro' ? `macro ${f.macro}` : 'the .rept body'}`,
      );
    }
  }

  /** Attach the bytes the line produced (pass 2); a line without bytes sits at the location counter. */
  private finishLine(rec: AsmLine): void {
    if (this.buf.length) {
      rec.bytes = Uint8Array.from(this.buf);
      rec.address = this.bufStart;
      this.emitChunk(this.bufStart, rec.bytes);
      this.buf = [];
    } else if (!rec.isInstruction) {
      rec.address = this.lc;
    }
  }

  private line(src: SrcLine, f: Frame): void {
    this.src = src;
    const rec: AsmLine | undefined = this.pass === 2
      ? {
        file: src.file, line: src.line, text: src.text, address: this.lc, bytes: EMPTY, depth: f.depth,
        isInstruction: false, ...(f.macro ? { macro: f.macro } : {}),
      }
      : undefined;
    this.rec = rec;
    if (rec) this.lines.push(rec);
    try {
      this.statement(src);
    } catch (e) {
      this.report(1, `internal error: ${e instanceof Error ? e.message : String(e)}`, 'error', true);
    }
    if (rec) this.finishLine(rec);
    this.rec = undefined;
  }

  /** Record AsmLines for lines consumed as a block body (macro definition, .rept body). */
  bodyLine = (l: SrcLine): void => {
    this.serial++;
    if (this.pass === 2) this.lines.push({
      file: l.file, line: l.line, text: l.text, address: this.lc, bytes: EMPTY, depth: this.frame.depth,
      isInstruction: false, ...(this.frame.macro ? { macro: this.frame.macro } : {}),
    });
  };

  private statement(src: SrcLine): void {
    const sl = splitLine(src.text);
    const opl = sl.op?.text.toLowerCase() ?? '';
    if (!this.active) {
      if (opl === '.if' || opl === '.else' || opl === '.endif') directive.conditional(this, opl, sl.op!, sl.rest);
      else if (opl === '.macro' || opl === '.rept') directive.skipBlock(this, opl);
      return;
    }
    if (sl.error) { this.report(sl.error.col, sl.error.message); return; }
    for (const l of sl.labels) {
      const name = l.text.toUpperCase();
      const key = `${this.serial}:${name}`;
      if (this.pass === 1) {
        if (!this.mayDefine(name, l.col)) continue;
        this.defined.set(name, { file: src.file, line: src.line });
        this.acceptedLabels.add(key);
      } else if (!this.acceptedLabels.has(key)) {
        continue; // pass 1 rejected it (duplicate or reserved): do not bind it again
      }
      this.pendingLabels.push({ name, pos: this.here(l.col) });
    }
    if (!sl.op) {
      // A label alone on its line names the location counter here (as GNU as does): a later
      // .align, .org or automatic alignment does not move it.
      if (this.pendingLabels.length === 0) return;
      if (!this.loose || this.loose.lc !== this.lc) this.loose = { lc: this.lc, labels: [] };
      this.loose.labels.push(...this.pendingLabels);
      this.flushLabels();
      return;
    }
    const op = sl.op;
    // NAME .equ expr | NAME = expr | NAME .equr expr
    const eq = /^(?:(\.equr?)\b|=(?!=))\s*/i.exec(sl.rest.text);
    if (eq && op.text[0] !== '.') {
      const expr = { text: sl.rest.text.slice(eq[0].length), col: sl.rest.col + eq[0].length };
      this.defineValue(op, expr, eq[1]?.toLowerCase() === '.equr' ? 'register' : 'equ');
      return;
    }
    if (opl.startsWith('.')) {
      if (!DIRECTIVES.includes(opl)) {
        const near = nearest(opl, DIRECTIVES);
        this.error(op.col, `unknown directive '${op.text}'${near ? ` (did you mean ${near}?)` : ''}`);
        return;
      }
      directive.run(this, opl, op, sl.rest);
      return;
    }
    const name = op.text.toUpperCase();
    const macro = this.macros.get(name);
    if (macro) { directive.invoke(this, macro, op, sl.rest); return; }
    const def = BY_MNEMONIC.get(name);
    const ext = EXTENDED_BY_NAME.get(name);
    if (!def && !ext && name !== 'LI') {
      const near = nearest(name, [...MNEMONICS, ...this.macros.keys()]);
      this.error(op.col, `unknown mnemonic '${op.text}'${near ? ` (did you mean ${near}?)` : ''}`);
      return;
    }
    this.instruction(name, def ?? ext?.def, ext?.mask, op, sl.rest);
  }

  private instruction(name: string, def: InstrDef | undefined, mask: number | undefined, op: Piece, rest: Piece): void {
    const ops = splitOperands(rest);
    this.align(4);
    if (this.rec) { this.rec.isInstruction = true; this.rec.address = this.lc; }
    const endCol = rest.col + rest.text.length;
    if (name === 'LI') { this.loadImmediate(ops, endCol); return; }
    const d = def!;
    const serial = this.serial;
    if (this.pass === 1) {
      const want = mask === undefined ? 2 : 1;
      if (d.format === 'RX' && ops.length === want && ops[want - 1].text.startsWith('=')) directive.registerLiteral(this, ops[want - 1]);
      this.lc += 4;
      return;
    }
    const dot = this.lc;
    const w = encode(d, name, ops, endCol, {
      eval: (p) => this.eval(p, dot),
      literal: (p) => directive.literalAddress(this, p, serial),
      error: (c, m) => this.error(c, m),
      warn: (c, m) => this.report(c, m, 'warning'),
      dot,
    }, mask);
    this.putWord(w ?? 0);
  }

  /** LI R1,expr: LHI when the value is known in pass 1 and fits 16 bits signed, else LUH + OIL. */
  private loadImmediate(ops: Piece[], endCol: number): void {
    const words = this.decideRaw(() => {
      if (ops.length !== 2) return 1;
      const v = evaluate(ops[1].text, ops[1].col, this.env()).value;
      return v !== undefined && v >= -32768 && v <= 32767 ? 1 : 2;
    });
    if (this.pass === 1) { this.lc += 4 * words; return; }
    if (ops.length !== 2) {
      this.error(ops.length > 2 ? ops[2].col : endCol, `LI expects 2 operands (LI R1,value), found ${ops.length}`);
      this.putWord(0);
      return;
    }
    const dot = this.lc;
    const ctx = {
      eval: (p: Piece) => this.eval(p, dot), literal: () => undefined,
      error: (c: number, m: string) => this.error(c, m),
      warn: (c: number, m: string) => this.report(c, m, 'warning'), dot,
    };
    if (words === 1) { this.putWord(encode(BY_MNEMONIC.get('LHI')!, 'LI', ops, endCol, ctx) ?? 0); return; }
    const v = this.eval(ops[1], dot);
    const half = (h: number) => [ops[0], { text: String(h), col: ops[1].col }];
    this.putWord(v === undefined ? 0 : encode(BY_MNEMONIC.get('LUH')!, 'LI', half(v >>> 16), endCol, ctx) ?? 0);
    this.putWord(v === undefined ? 0 : encode(BY_MNEMONIC.get('OIL')!, 'LI', half(v & 0xffff), endCol, { ...ctx, dot: dot + 4 }) ?? 0);
  }

  /* ---- between and after the passes ---- */

  /** Resolve `.equ`s with forward references, and report pass-1 values that were needed early. */
  resolveAfterPass1(): void {
    for (let progress = true; progress && this.pendingEqus.length;) {
      progress = false;
      this.pendingEqus = this.pendingEqus.filter((e) => {
        const r = evaluate(e.expr.text, e.expr.col, this.env(e.dot));
        if (r.value === undefined && !r.error) return true;
        progress = true;
        if (r.error) this.reportAt(e.pos, r.error.message);
        else this.setSymbol(e.name, r.value!, e.kind, e.pos);
        return false;
      });
    }
    for (const e of this.pendingEqus) {
      const r = evaluate(e.expr.text, e.expr.col, this.env(e.dot));
      const u = r.unknown!;
      const pos = { ...e.pos, col: u.col };
      if (this.defined.has(u.name)) this.reportAt(pos, `cannot resolve ${e.name}: circular definition through ${u.name}`);
      else this.reportAt(pos, this.undefinedMessage(u.name));
    }
    for (const k of this.pendingKnown) {
      const d = this.defined.get(k.name);
      this.reportAt(k.pos, d
        ? `${k.what} needs a value known at this point, but ${k.name} is defined later (at ${d.file}:${d.line})`
        : this.undefinedMessage(k.name));
    }
  }

  /** Sort the chunks into segments; overlaps are errors. */
  segments(): Segment[] {
    const cs = this.chunks.map((c, i) => ({ c, i })).sort((a, b) => a.c.address - b.c.address || a.i - b.i);
    const segs: { address: number; parts: Uint8Array[]; end: number; owner: Chunk }[] = [];
    for (const { c } of cs) {
      if (c.bytes.length === 0) continue;
      const last = segs[segs.length - 1];
      if (last && c.address < last.end) {
        const message = `bytes at ${hex(c.address)}..${hex(c.address + c.bytes.length - 1)} overlap bytes already assembled up to ` +
          `${hex(last.end - 1)} (by ${last.owner.pos.file}:${last.owner.pos.line})${c.pos.where}`;
        this.diags.push({ file: c.pos.file, line: c.pos.line, col: 1, severity: 'error', message });
        continue;
      }
      if (last && c.address === last.end) { last.parts.push(c.bytes); last.end += c.bytes.length; last.owner = c; continue; }
      segs.push({ address: c.address, parts: [c.bytes], end: c.address + c.bytes.length, owner: c });
    }
    return segs.map((s) => {
      const bytes = new Uint8Array(s.end - s.address);
      let o = 0;
      for (const p of s.parts) { bytes.set(p, o); o += p.length; }
      return { address: s.address, bytes };
    });
  }
}

/** Assemble a program. Never throws: every problem, including an internal bug, is a diagnostic. */
export function assemble(source: string, opts: AsmOptions = {}): AsmResult {
  const a = new Assembler(source, opts);
  let segments: Segment[] = [];
  let entry: number | undefined;
  try {
    a.run(1);
    a.resolveAfterPass1();
    a.lines = [];
    a.chunks = [];
    a.run(2);
    segments = a.segments();
    entry = directive.entry(a, segments);
  } catch (e) {
    a.diags.push({
      file: a.src.file || a.file, line: a.src.line, col: 1, severity: 'error',
      message: `internal error: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  const ok = !a.diags.some((d) => d.severity === 'error');
  return { ok, segments, entry, symbols: a.syms, lines: a.lines, diagnostics: a.diags };
}
