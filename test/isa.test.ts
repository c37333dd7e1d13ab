/**
 * The ISA table against the rules it must keep: Popek & Goldberg's theorem 1 (every sensitive
 * instruction is privileged), unique opcodes and mnemonics, and that every defined opcode is
 * executed somewhere (hot loop or slow-path handler), so no instruction is silently an
 * operation exception.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BY_MNEMONIC, BY_OPCODE, EXTENDED, ISA, isCall, isReturn, OP, PRIVILEGED } from '../src/cpu/isa.ts';
import { HANDLERS } from '../src/cpu/handlers.ts';
import { CPU, ICPT_PROGRAM, STOP_INTERCEPT } from '../src/cpu/cpu.ts';
import { makeStorage } from '../src/cpu/storage.ts';
import { PGM_OPERATION, PGM_PRIVILEGED, PSW_PROBLEM } from '../src/cpu/arch.ts';

describe('ISA table', () => {
  it('keeps Popek & Goldberg theorem 1: every sensitive instruction is privileged', () => {
    const violators = ISA.filter((d) => d.sensitive !== 'innocuous' && !d.privileged).map((d) => d.mnemonic);
    expect(violators).toEqual([]);
    // and the privileged set is exactly the sensitive set here (nothing privileged without cause)
    expect(ISA.filter((d) => d.privileged && d.sensitive === 'innocuous').map((d) => d.mnemonic)).toEqual([]);
  });

  it('has unique opcodes and mnemonics, and extended mnemonics name real base instructions', () => {
    expect(new Set(ISA.map((d) => d.opcode)).size).toBe(ISA.length);
    expect(new Set(ISA.map((d) => d.mnemonic)).size).toBe(ISA.length);
    for (const e of EXTENDED) expect(BY_MNEMONIC.has(e.base), e.mnemonic).toBe(true);
    const names = new Set([...ISA.map((d) => d.mnemonic), ...EXTENDED.map((e) => e.mnemonic)]);
    expect(names.size).toBe(ISA.length + EXTENDED.length);
  });

  it('derives the privilege array from the table', () => {
    for (let op = 0; op < 256; op++) expect(PRIVILEGED[op] === 1).toBe(BY_OPCODE[op]?.privileged === true);
  });

  // Run each defined opcode once in supervisor state with interception on: it must not be an
  // operation exception (the hot loop or a handler implements it). Undefined opcodes must be.
  it('implements every defined opcode and rejects every undefined one', () => {
    for (let op = 0; op < 256; op++) {
      const mem = makeStorage(64 * 1024);
      const cpu = new CPU(mem);
      cpu.intercepts = ICPT_PROGRAM;
      cpu.ia = 0x1000;
      mem[0x1000 >>> 2] = (op << 24) | 0; // operands zero: base 0, displacement 0
      cpu.run(1);
      const def = BY_OPCODE[op];
      const opException = cpu.icept.kind === 'program' && cpu.icept.code === PGM_OPERATION && cpu.icept.address === 0x1000;
      expect(opException, `${def?.mnemonic ?? op.toString(16)}`).toBe(def === undefined);
      if (def?.privileged) expect(HANDLERS[op], def.mnemonic).toBeDefined();
    }
  });

  it('traps every privileged instruction in problem state and no other', () => {
    for (const d of ISA) {
      const mem = makeStorage(64 * 1024);
      const cpu = new CPU(mem);
      cpu.intercepts = ICPT_PROGRAM;
      cpu.flags = PSW_PROBLEM;
      cpu.ia = 0x1000;
      mem[0x1000 >>> 2] = (d.opcode << 24) | 0x0100; // displacement 0x100: a harmless operand
      const stop = cpu.run(1);
      const trapped = stop === STOP_INTERCEPT && cpu.icept.code === PGM_PRIVILEGED;
      expect(trapped, d.mnemonic).toBe(d.privileged);
    }
  });
});

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const SRC = join(import.meta.dirname, '..', 'src');

describe('the table drives the engine', () => {
  it('names opcodes only through OP: no opcode literal compared or switched on outside isa.ts', () => {
    // The interpreter's hot switch is the one exception (checked below): V8 builds its jump table
    // only from literal case labels, and that loop must not slow down.
    const literal = /(>>> 24|\bop)\s*[!=]==\s*0x[0-9a-fA-F]{1,2}\b|case 0x[0-9a-fA-F]{1,2}:/;
    const found = sources(SRC).filter((f) => !f.endsWith(join('cpu', 'isa.ts')) && !f.endsWith(join('cpu', 'interp.ts')))
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').map((l, i) => [f, i + 1, l] as const))
      .filter(([, , l]) => literal.test(l)).map(([f, n, l]) => `${f}:${n}: ${l.trim()}`);
    expect(found).toEqual([]);
  });

  it("has the interpreter's case labels name table opcodes, and every hot-loop instruction among them", () => {
    const text = readFileSync(join(SRC, 'cpu', 'interp.ts'), 'utf8');
    const labels = new Set([...text.matchAll(/case (0x[0-9a-f]{2}):/g)].map((m) => parseInt(m[1], 16)));
    for (const op of labels) expect(BY_OPCODE[op], `case 0x${op.toString(16)}`).toBeDefined();
    // Unprivileged with no slow-path handler: the hot loop executes it (SVC leaves from there).
    const hot = ISA.filter((d) => !d.privileged && !HANDLERS[d.opcode]).map((d) => d.mnemonic);
    expect(hot.filter((m) => !labels.has(OP[m as keyof typeof OP]))).toEqual([]);
  });

  it('keeps the mnemonic type narrow', () => {
    expect(OP.LPSW).toBe(0x82);
    // @ts-expect-error: not a mnemonic of the table (Mnemonic must not widen to string)
    expect(OP.NOPE).toBeUndefined();
  });

  it('tells calls and returns apart from other branches (PoO 4.6)', () => {
    const rr = (m: keyof typeof OP, r1: number, r2: number) => (OP[m] << 24) | (r1 << 20) | (r2 << 16);
    const rx = (m: keyof typeof OP, r1: number) => (OP[m] << 24) | (r1 << 20) | 0x100;
    expect([rx('BAL', 14), rx('BRAS', 14), rr('BALR', 14, 15)].map(isCall)).toEqual([true, true, true]);
    expect([rr('BALR', 14, 0), rx('BC', 15), rr('BCR', 15, 14), rx('LPSW', 0)].map(isCall)).toEqual([false, false, false, false]);
    expect([rr('BCR', 15, 14), rx('LPSW', 0)].map(isReturn)).toEqual([true, true]);
    expect([rr('BCR', 8, 14), rr('BCR', 15, 0), rx('BAL', 14), rx('BC', 15)].map(isReturn)).toEqual([false, false, false, false]);
  });
});
