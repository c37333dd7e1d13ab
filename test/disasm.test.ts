import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assemble, disassemble, disassembleRange } from '../src/guest/index.ts';
import { ISA } from '../src/cpu/isa.ts';

/** Assemble one line at `address` and return the word there. */
function wordAt(text: string, address: number): number | string {
  const r = assemble(`  .org ${address}\n  ${text}\n`);
  if (!r.ok) return r.diagnostics.map((d) => d.message).join('; ');
  const s = r.segments.find((x) => x.address <= address && address < x.address + x.bytes.length)!;
  const o = address - s.address;
  return ((s.bytes[o] << 24) | (s.bytes[o + 1] << 16) | (s.bytes[o + 2] << 8) | s.bytes[o + 3]) | 0;
}

describe('disassemble', () => {
  it('prints each format as the assembler reads it', () => {
    expect(disassemble(0x58120100, 0).text).toBe('L R1,256(R2)');
    expect(disassemble(0x5810fffc, 0).text).toBe('L R1,-4');
    expect(disassemble(0x18120000, 0).text).toBe('LR R1,R2');
    expect(disassemble(0x07fe0000, 0).text).toBe('BR R14');
    expect(disassemble(0x47800200, 0).text).toBe('BE 0x200');
    expect(disassemble(0x47300200, 0).text).toBe('BC 3,0x200'); // no extended mnemonic for mask 3
    expect(disassemble(0xd080fffe, 0x1000).text).toBe('JE 0xFF8');
    expect(disassemble(0xd1e00002, 0x1000).text).toBe('BRAS R14,0x1008');
    expect(disassemble(0x90ecd00c, 0).text).toBe('STM R14,R12,12(R13)');
    expect(disassemble(0x89100004, 0).text).toBe('SLL R1,4');
    expect(disassemble(0xc010ffff, 0).text).toBe('LHI R1,-1');
    expect(disassemble(0xc410ffff, 0).text).toBe('LUH R1,0xFFFF');
    expect(disassemble(0x92411000, 0).text).toBe('MVI 0(R1),0x41');
    expect(disassemble(0x82000028, 0).text).toBe('LPSW 0x28');
    expect(disassemble(0x0a00000c, 0).text).toBe('SVC 12');
    expect(disassemble(0xa6000000, 0).text).toBe('PTLB');
    expect(disassemble(0x04100000, 0).text).toBe('SPM R1');
  });

  it('prints undefined opcodes and non-zero unused fields as .word', () => {
    expect(disassemble(0x00000000, 0)).toEqual({ text: '.word 0x00000000', mnemonic: '.word' });
    expect(disassemble(0x18120001, 0).text).toBe('.word 0x18120001'); // RR low half not zero
    expect(disassemble(0xa6000001, 0).text).toBe('.word 0xA6000001');
    expect(disassemble(0x0a000100, 0).text).toBe('.word 0x0A000100');
  });

  it('uses symbols for absolute and relative targets when given', () => {
    const symbols = new Map([[0x200, 'LOOP']]);
    expect(disassemble(0x47f00200, 0, { symbols }).text).toBe('B LOOP');
    expect(disassemble(0xd0f0ffff, 0x204, { symbols }).text).toBe('J LOOP');
  });

  it('disassembles a range of storage', () => {
    const mem = new Int32Array(16);
    mem[1] = 0x18120000;
    const rows = disassembleRange(mem, 2, 12);
    expect(rows.map((r) => [r.address, r.text])).toEqual([[0, '.word 0x00000000'], [4, 'LR R1,R2'], [8, '.word 0x00000000']]);
  });

  it('round-trips every opcode of the table', () => {
    for (const d of ISA) {
      const w = ((d.opcode << 24) | 0x00123456) | 0;
      const text = disassemble(w, 0x4000).text;
      expect(wordAt(text, 0x4000), `${d.mnemonic}: ${text}`).toBe(w);
    }
  });

  it('property: disassemble -> assemble at the same address gives the identical word', () => {
    const opcodes = ISA.map((d) => d.opcode);
    const word = fc.oneof(
      fc.integer({ min: -0x80000000, max: 0x7fffffff }),
      // Mostly defined opcodes with random fields, and zero unused fields half of the time.
      fc.tuple(fc.constantFrom(...opcodes), fc.integer({ min: 0, max: 0xffffff }), fc.boolean()).map(([op, rest, clean]) => {
        const d = ISA.find((x) => x.opcode === op)!;
        const keep = {
          RR: 0xff0000, RR1: 0xf00000, RSH: 0xf0ffff, RI: 0xf0ffff, RIU: 0xf0ffff, RIB: 0xf0ffff, S: 0x00ffff,
          I: 0xff, E: 0,
        } as Record<string, number>;
        const m = clean && d.format in keep ? keep[d.format] : 0xffffff;
        return ((op << 24) | (rest & m)) | 0;
      }),
    );
    const address = fc.integer({ min: 0, max: 0x3ffffe }).map((x) => x * 4);
    fc.assert(fc.property(word, address, (w, a) => {
      const text = disassemble(w, a).text;
      expect(wordAt(text, a), text).toBe(w);
    }), { numRuns: 3000 });
  });
});
