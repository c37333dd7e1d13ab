/**
 * The ISA table against the rules it must keep: Popek & Goldberg's theorem 1 (every sensitive
 * instruction is privileged), unique opcodes and mnemonics, and that every defined opcode is
 * executed somewhere (hot loop or slow-path handler), so no instruction is silently an
 * operation exception.
 */
import { describe, expect, it } from 'vitest';
import { BY_MNEMONIC, BY_OPCODE, EXTENDED, ISA, PRIVILEGED } from '../src/cpu/isa.ts';
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
