/**
 * Directive handlers, macro invocation and the literal pool. They work on the Assembler's state
 * directly; values that shape the layout go through `asm.decide()` so pass 2 replays pass 1.
 */
import { PSW_RESERVED } from '../../cpu/arch.ts';
import { pswValid } from '../../cpu/lowcore.ts';
import { BY_MNEMONIC } from '../../cpu/isa.ts';
import { evaluate } from './expr.ts';
import { parseString, splitOperands, type Piece } from './lexer.ts';
import {
  bindArgs, collectBlock, fileLines, parseMacroHeader, pendingLines, repeatFactor, resolvePath, substitute,
  type MacroDef, type SrcLine,
} from './macros.ts';
import { EXTENDED_BY_NAME } from './operands.ts';
import type { Assembler } from './assembler.ts';
import type { Segment } from './types.ts';
import { hexConstant as hex } from '../../cpu/hex.ts';

const TOP = 0xffffff;
const LIMITS = { includeDepth: 16, macroDepth: 32, rept: 65536, replines: 327_680 } as const;

/** Check the operand count; reports in pass 2 (the check is the same in both passes). */
function need(asm: Assembler, name: string, ops: Piece[], min: number, max: number, syntax: string, rest: Piece): boolean {
  if (ops.length >= min && ops.length <= max) return true;
  const col = ops.length > max ? ops[max].col : rest.col + rest.text.length;
  const n = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
  asm.error(col, `${name} expects ${n} operand${min === 1 && max === 1 ? '' : 's'} (${name} ${syntax}), found ${ops.length}`);
  return false;
}

/** Evaluate and range-check in pass 2; 0 in pass 1 or after an error. */
function value(asm: Assembler, p: Piece, what: string, min: number, max: number): number {
  const v = asm.eval(p);
  if (v === undefined) return 0;
  if (asm.pass === 2 && (v < min || v > max)) asm.error(p.col, `${what} ${v}${v > 255 || v < -255 ? ` (${hex(v)})` : ''} out of range ${min}..${max}`);
  return v;
}

function data(asm: Assembler, name: string, ops: Piece[], rest: Piece, size: 1 | 2 | 4): void {
  if (!need(asm, name, ops, 1, Infinity, 'value[, value...]', rest)) return;
  asm.align(size);
  for (const p of ops) {
    if (size === 1 && p.text.startsWith('"')) { strings(asm, [p], false); continue; }
    if (size === 4) { asm.putWord(value(asm, p, 'word', -0x80000000, 0x7fffffff)); continue; }
    const v = size === 2 ? value(asm, p, 'halfword', -32768, 65535) : value(asm, p, 'byte', -128, 255);
    asm.put(size === 2 ? [v >>> 8, v] : [v]);
  }
}

function strings(asm: Assembler, ops: Piece[], zero: boolean): void {
  asm.flushLabels();
  for (const p of ops) {
    const s = parseString(p);
    if (s.error) asm.error(p.col, s.error);
    asm.put(s.bytes);
    if (zero) asm.put([0]);
  }
}

function message(asm: Assembler, ops: Piece[], rest: Piece): string {
  if (ops.length === 1 && ops[0].text.startsWith('"')) {
    const s = parseString(ops[0]);
    if (!s.error) return String.fromCharCode(...s.bytes);
  }
  return rest.text;
}

export const directive = {
  /** Run directive `opl` (lower case, known to be valid). */
  run(asm: Assembler, opl: string, op: Piece, rest: Piece): void {
    const ops = splitOperands(rest);
    switch (opl) {
      case '.org': {
        asm.flushLabels();
        if (!need(asm, '.org', ops, 1, 1, 'address', rest)) return;
        const v = asm.decide(ops[0], '.org');
        if (v === undefined) return;
        if (v < 0 || v > TOP) { asm.error(ops[0].col, `.org address ${v} (${hex(v)}) out of range 0..X'FFFFFF'`); return; }
        asm.lc = v;
        return;
      }
      case '.align': {
        if (!need(asm, '.align', ops, 1, 1, 'n', rest)) return;
        const v = asm.decide(ops[0], '.align');
        if (v === undefined) return;
        if (v < 1 || v > 0x1000000 || (v & (v - 1)) !== 0) {
          asm.error(ops[0].col, `.align ${v}: the alignment must be a power of 2 from 1 to 16777216`);
          return;
        }
        asm.flushLabels(); // a label on the .align line names the location before it, as one alone would
        asm.align(v);
        return;
      }
      case '.word': data(asm, '.word', ops, rest, 4); return;
      case '.half': data(asm, '.half', ops, rest, 2); return;
      case '.byte': data(asm, '.byte', ops, rest, 1); return;
      case '.ascii': case '.asciz':
        if (need(asm, opl, ops, 1, Infinity, '"string"[, "string"...]', rest)) strings(asm, ops, opl === '.asciz');
        return;
      case '.space': {
        asm.flushLabels();
        if (!need(asm, '.space', ops, 1, 2, 'n[, fill]', rest)) return;
        const n = asm.decide(ops[0], '.space');
        if (n === undefined) return;
        if (n < 0 || n > 0x1000000) { asm.error(ops[0].col, `.space ${n} out of range 0..16777216`); return; }
        const fill = ops[1] ? value(asm, ops[1], 'fill byte', -128, 255) : 0;
        if (asm.pass === 1) asm.lc += n;
        else asm.put(new Uint8Array(n).fill(fill & 0xff));
        return;
      }
      case '.psw': {
        if (!need(asm, '.psw', ops, 2, 2, 'flags, address', rest)) return;
        asm.align(8);
        const flags = value(asm, ops[0], 'PSW flags', -0x80000000, 0x7fffffff), ia = value(asm, ops[1], 'PSW instruction address', 0, TOP);
        asm.putWord(flags);
        asm.putWord(ia);
        // PoO 2.2: loading an invalid PSW is a specification exception (LPSW) or a check-stop (a
        // new or IPL PSW). Deliberate in a test of exactly that; a surprise anywhere else.
        if (asm.pass === 2 && ia >= 0 && ia <= 0xffffff && !pswValid(flags, ia)) { // (an address beyond 24 bits is an error already)
          const what = (flags & PSW_RESERVED) !== 0
            ? `reserved flag bits ${hex(flags & PSW_RESERVED)} are set` : `its instruction address ${hex(ia)} is not a multiple of 4`;
          const then = 'loading it is a specification exception (LPSW) or a check-stop (an interruption\'s new PSW)';
          asm.report(ops[0].col, `this PSW is invalid (PoO 2.2): ${what}; ${then}`, 'warning');
        }
        return;
      }
      case '.ccw': {
        if (!need(asm, '.ccw', ops, 4, 4, 'command, address, flags, count', rest)) return;
        asm.align(8);
        const cmd = value(asm, ops[0], 'CCW command', 0, 255), a = value(asm, ops[1], 'CCW data address', 0, TOP);
        const fl = value(asm, ops[2], 'CCW flags', 0, 255), n = value(asm, ops[3], 'CCW count', 0, 65535);
        asm.putWord(((cmd & 0xff) << 24) | (a & TOP));
        asm.putWord(((fl & 0xff) << 24) | (n & 0xffff));
        return;
      }
      case '.equ': case '.equr':
        if (need(asm, opl, ops, 2, 2, 'NAME, value', rest)) asm.defineValue(ops[0], ops[1], opl === '.equr' ? 'register' : 'equ');
        return;
      case '.include': include(asm, ops, rest); return;
      case '.macro': defineMacro(asm, op, rest); return;
      case '.endm': asm.error(op.col, '.endm without .macro'); return;
      case '.endr': asm.error(op.col, '.endr without .rept'); return;
      case '.if': case '.else': case '.endif': directive.conditional(asm, opl, op, rest); return;
      case '.rept': repeat(asm, op, ops, rest); return;
      case '.ltorg': directive.flushPool(asm); return;
      case '.entry':
        if (!need(asm, '.entry', ops, 1, 1, 'address', rest)) return;
        if (asm.entry && asm.pass === 2) asm.error(op.col, `second .entry (the first is at ${asm.entry.pos.file}:${asm.entry.pos.line})`);
        asm.entry ??= { expr: ops[0], pos: asm.here(ops[0].col) };
        return;
      case '.error': asm.error(op.col, message(asm, ops, rest)); return;
      case '.warning': asm.report(op.col, message(asm, ops, rest), 'warning'); return;
    }
  },

  /** `.if expr` / `.else` / `.endif`, in active and inactive regions alike. */
  conditional(asm: Assembler, opl: string, op: Piece, rest: Piece): void {
    const mine = asm.conds.length > asm.frame.condBase;
    const top = asm.conds[asm.conds.length - 1];
    if (opl === '.if') {
      const pos = asm.here(op.col);
      if (!asm.active) { asm.conds.push({ active: false, taken: true, elseSeen: false, parentActive: false, pos }); return; }
      const v = asm.decide(rest, '.if');
      const yes = v !== undefined && v !== 0;
      asm.conds.push({ active: yes, taken: yes, elseSeen: false, parentActive: true, pos });
    } else if (!mine) {
      asm.error(op.col, `${opl} without .if`);
    } else if (opl === '.else') {
      if (top.elseSeen) { asm.error(op.col, `second .else for the .if at ${top.pos.file}:${top.pos.line}`); return; }
      top.elseSeen = true;
      top.active = top.parentActive && !top.taken;
      top.taken = true;
    } else {
      asm.conds.pop();
    }
  },

  /** Skip a `.macro` or `.rept` block inside a false `.if`. */
  skipBlock(asm: Assembler, opl: string): void {
    collectBlock(asm.frame, opl, opl === '.macro' ? '.endm' : '.endr', asm.bodyLine);
  },

  /** Expand a macro invocation by pushing its substituted body as a new frame. */
  invoke(asm: Assembler, def: MacroDef, op: Piece, rest: Piece): void {
    const depth = asm.stack.filter((f) => f.kind === 'macro').length;
    if (depth >= LIMITS.macroDepth) { asm.error(op.col, `macro nesting deeper than ${LIMITS.macroDepth} (does ${def.name} invoke itself?)`); return; }
    const b = bindArgs(def, splitOperands(rest));
    if (b.error) { asm.error(b.error.col || op.col, b.error.message); return; }
    const factor = repeatFactor(asm.stack, asm.conds.length);
    if (asm.serial + pendingLines(asm.stack) + factor * def.body.length > LIMITS.replines) {
      const times = factor > 1 ? ` (the enclosing .rept makes it ${factor} times)` : '';
      asm.error(op.col, `macro ${def.name} of ${def.body.length} line(s) would expand the program to more than ${LIMITS.replines} lines${times}`);
      asm.halted = true;
      return;
    }
    const n = ++asm.expansions;
    const f = asm.frame;
    asm.stack.push({
      kind: 'macro', lines: def.body.map((l) => ({ ...l, text: substitute(l.text, b.values, n) })), next: 0,
      depth: f.depth + 1, macro: def.name, chain: [`in macro ${def.name} invoked at ${asm.src.file}:${asm.src.line}`, ...f.chain],
      condBase: asm.conds.length,
    });
  },

  /** Pass 1: give an `=expr` literal a slot in the pending pool (deduplicated by value). */
  registerLiteral(asm: Assembler, p: Piece): void {
    const r = evaluate(p.text.slice(1), p.col + 1, asm.env());
    const key = r.value !== undefined ? `v${r.value}` : `u${asm.serial}`;
    let slot = asm.poolKeys.get(key);
    if (slot === undefined) { slot = asm.poolKeys.size; asm.poolKeys.set(key, slot); }
    asm.litUses.set(asm.serial, { pool: asm.pools.length, slot });
  },

  /** Pass 2: the address of a literal's slot, recording its value for the pool. */
  literalAddress(asm: Assembler, p: Piece, serial: number): number | undefined {
    const u = asm.litUses.get(serial);
    const pool = u && asm.pools[u.pool];
    if (!u || !pool) { asm.error(p.col, 'internal error: literal not registered in pass 1'); return undefined; }
    const v = asm.eval(p);
    pool.values[u.slot] = v ?? 0;
    const a = pool.address + 4 * u.slot;
    if (a > 0x7fff) {
      asm.error(
        p.col - 1,
        `literal at ${hex(a)} is beyond X'7FFF', the highest address an RX instruction reaches without a base register; put a .ltorg below X'8000'`,
      );
      return undefined;
    }
    return a;
  },

  /** Emit the pending literal pool (at `.ltorg` and at the end of the program). */
  flushPool(asm: Assembler): void {
    if (asm.pass === 1) {
      const n = asm.poolKeys.size;
      asm.decisions.push(n ? asm.pools.length : -1);
      if (!n) return;
      asm.align(4);
      asm.pools.push({ address: asm.lc, values: new Array<number>(n).fill(0) });
      asm.lc += 4 * n;
      asm.poolKeys = new Map();
      return;
    }
    const idx = asm.decisions[asm.di++];
    if (idx < 0) return;
    asm.align(4);
    for (const v of asm.pools[idx].values) asm.putWord(v);
  },

  /** The entry point: `.entry`, else START, else the lowest address. */
  entry(asm: Assembler, segments: Segment[]): number | undefined {
    if (asm.entry) {
      const { expr, pos } = asm.entry;
      const r = evaluate(expr.text, expr.col, asm.env());
      if (r.error) asm.reportAt({ ...pos, col: r.error.col }, r.error.message);
      else if (r.unknown) asm.reportAt({ ...pos, col: r.unknown.col }, asm.undefinedMessage(r.unknown.name));
      else if (r.value! < 0 || r.value! > TOP) asm.reportAt(pos, `entry address ${hex(r.value!)} out of range 0..X'FFFFFF'`);
      else return r.value;
      return undefined;
    }
    return asm.syms.get('START')?.value ?? segments[0]?.address;
  },
};

function include(asm: Assembler, ops: Piece[], rest: Piece): void {
  if (!need(asm, '.include', ops, 1, 1, '"file"', rest)) return;
  const s = parseString(ops[0]);
  if (s.error) { asm.error(ops[0].col, s.error); return; }
  const path = String.fromCharCode(...s.bytes);
  const from = asm.src.file;
  const name = resolvePath(path, from);
  const files = asm.stack.filter((f) => f.kind === 'file');
  if (files.some((f) => f.file === name)) {
    asm.error(ops[0].col, `include cycle: ${[...files.map((f) => f.file), name].join(' -> ')}`);
    return;
  }
  if (files.length > LIMITS.includeDepth) { asm.error(ops[0].col, `includes nested deeper than ${LIMITS.includeDepth}`); return; }
  let found = asm.fileCache.get(name);
  if (!asm.fileCache.has(name)) {
    let r: ReturnType<NonNullable<typeof asm.opts.readFile>>;
    try { r = asm.opts.readFile?.(path, from); } catch (e) { r = undefined; if (e instanceof Error) asm.fileErrors.set(name, e.message); }
    // Found elsewhere (the standard include directory): its lines carry its real path, so an
    // error inside it names a file that exists.
    found = r === undefined ? undefined : typeof r === 'string' ? { text: r, path: name } : r;
    asm.fileCache.set(name, found);
  }
  if (found === undefined) {
    const why = asm.fileErrors.get(name); // a file that exists but cannot be read says why (not a regular file, too large)
    asm.error(
      ops[0].col,
      why ? `include file '${path}': ${why}` : `include file '${path}' not found${asm.opts.readFile ? '' : ' (no readFile was given to assemble())'}`,
    );
    return;
  }
  if (found.path !== name && files.some((f) => f.file === found.path)) {
    asm.error(ops[0].col, `include cycle: ${[...files.map((f) => f.file), found.path].join(' -> ')}`);
    return;
  }
  const f = asm.frame;
  asm.stack.push({
    kind: 'file', lines: fileLines(found.path, found.text), next: 0, depth: f.depth + 1, chain: f.chain,
    file: found.path, condBase: asm.conds.length, ...(f.macro ? { macro: f.macro } : {}),
  });
}

function defineMacro(asm: Assembler, op: Piece, rest: Piece): void {
  const start: SrcLine = asm.src;
  const h = parseMacroHeader(rest);
  const body = collectBlock(asm.frame, '.macro', '.endm', asm.bodyLine);
  asm.src = start; // report against the .macro line, not the last body line
  if (!body) {
    const where = asm.frame.kind === 'file' ? asm.frame.file : 'the enclosing macro';
    asm.error(op.col, `unterminated .macro${h.name ? ` ${h.name.text.toUpperCase()}` : ''}: no .endm before the end of ${where}`);
    return;
  }
  if (h.error || !h.name) { asm.error(h.error?.col ?? op.col, h.error?.message ?? '.macro needs a name'); return; }
  const name = h.name.text.toUpperCase();
  if (BY_MNEMONIC.has(name) || EXTENDED_BY_NAME.has(name) || name === 'LI') { asm.error(h.name.col, `macro name ${name} is an instruction mnemonic`); return; }
  const old = asm.macros.get(name);
  if (old) { asm.error(h.name.col, `macro ${name} already defined at ${old.file}:${old.line}`); return; }
  asm.macros.set(name, { name, params: h.params, body, file: start.file, line: start.line });
}

function repeat(asm: Assembler, op: Piece, ops: Piece[], rest: Piece): void {
  const start = asm.src;
  const body = collectBlock(asm.frame, '.rept', '.endr', asm.bodyLine);
  asm.src = start;
  if (!body) {
    asm.error(op.col, `unterminated .rept: no .endr before the end of ${asm.frame.kind === 'file' ? asm.frame.file : 'the enclosing macro'}`);
    return;
  }
  if (!need(asm, '.rept', ops, 1, 1, 'count', rest)) return;
  const n = asm.decide(ops[0], '.rept');
  if (n === undefined) return;
  if (n < 0 || n > LIMITS.rept) { asm.error(ops[0].col, `.rept count ${n} out of range 0..${LIMITS.rept}`); return; }
  if (n === 0 || body.length === 0) return;
  const factor = repeatFactor(asm.stack, asm.conds.length);
  if (asm.serial + pendingLines(asm.stack) + factor * n * body.length > LIMITS.replines) {
    const times = factor > 1 ? ` (the enclosing .rept makes it ${factor} times)` : '';
    asm.error(ops[0].col, `.rept ${n} of ${body.length} line(s) would expand the program to more than ${LIMITS.replines} lines${times}`);
    asm.halted = true; // an enclosing .rept would only refuse it again on every pass
    return;
  }
  // One frame passes over the body n times: nothing is copied, whatever n is.
  const f = asm.frame;
  asm.stack.push({ kind: 'rept', lines: body, repeats: n, next: 0, depth: f.depth + 1, macro: '.rept', chain: f.chain, condBase: asm.conds.length });
}
