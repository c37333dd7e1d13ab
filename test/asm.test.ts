import { describe, expect, it } from 'vitest';
import { assemble, formatListing, addressToLine, lineToAddress, lineToAddresses } from '../src/guest/index.ts';
import { EXTENDED } from '../src/cpu/isa.ts';
import { byteAt, code, ok, wordAt } from './asm-helpers.ts';

describe('instruction formats (hand-encoded words)', () => {
  it('RR, RR1, RX, RS, RSH', () => {
    const src = 'LR R1,R2\n AR 3,15\n SPM R4\n L R1,256(R2)\n ST R15,-8(R13)\n L R1,0x100\n STM R14,R12,12(R13)\n LM 2,3,0\n SRL R5,31\n SLL R1,4(R2)';
    expect(code(src)).toEqual([
      0x18120000, 0x1a3f0000, 0x04400000, 0x58120100, 0x50fdfff8, 0x58100100, 0x90ecd00c, 0x98230000, 0x8850001f, 0x89102004,
    ]);
  });
  it('RI, RIU, RIB, SI, S, I, E', () => {
    const src = '.org 0x1000\nLHI R1,-1\n AHI R2,32767\n LUH R3,0xFFFF\n OIL R3,65535\n BRAS R14,there\n MVI 4(R1),C\'A\'\n CLI 0x10,255\n' +
      ' LPSW LC_PROGRAM_OLD\n SIO 0x009\n SVC 255\n PTLB\nthere: BRCT R2,0x1000';
    expect(code(src)).toEqual([
      0xc010ffff, 0xc1207fff, 0xc430ffff, 0xc530ffff, 0xd1e00007, 0x92411004, 0x95ff0010, 0x82000028, 0x9c000009, 0x0a0000ff, 0xa6000000, 0xd220fff5,
    ]);
  });
  it('extended mnemonics', () => {
    // The register form's name for mask 8 comes from the table (isa.ts spells it BRE today).
    const ber = EXTENDED.find((e) => e.base === 'BCR' && e.mask === 8)!.mnemonic;
    expect(code(`.org 0x200\nx: B x\n BR R14\n ${ber} 3\n NOPR R1\n JNE x\n J x\n JNOP x\n BH 8(R1)\n NOP 0`)).toEqual([
      0x47f00200, 0x07fe0000, 0x07830000, 0x07010000, 0xd070fffc, 0xd0f0fffb, 0xd000fffa, 0x47210008, 0x47000000,
    ]);
  });
  it('is case-insensitive for mnemonics, registers, directives and symbols', () => {
    const r = ok('  .ORG 0x40\nLoop: lr r1,R2\n  j LOOP');
    expect(wordAt(r, 0x40)).toBe(0x18120000);
    expect(wordAt(r, 0x44)).toBe(0xd0f0ffff);
    expect(r.symbols.get('LOOP')?.value).toBe(0x40);
  });
  it('aligns instructions to words and binds a label on the instruction\'s line to the aligned instruction', () => {
    const r = ok('.byte 7\nhere: LR 1,2');
    expect(r.symbols.get('HERE')?.value).toBe(4);
    expect([byteAt(r, 0), byteAt(r, 1), byteAt(r, 3), wordAt(r, 4)]).toEqual([7, 0, 0, 0x18120000]);
    expect(r.segments).toHaveLength(1);
    expect(r.diagnostics).toEqual([]);
  });
  it('.psw warns about a PSW that is invalid to load (PoO 2.2), and only then', () => {
    const w = (src: string) => ok(src).diagnostics.map((d) => `${d.severity}: ${d.message}`);
    expect(w('.psw PSW_WAIT, 0xBAC\n.psw PSW_PROBLEM|PSW_DAT, 0x1000')).toEqual([]);
    expect(w('.psw PSW_WAIT, 0xBAD')).toEqual([
      "warning: this PSW is invalid (PoO 2.2): its instruction address X'BAD' is not a multiple of 4; " +
      "loading it is a specification exception (LPSW) or a check-stop (an interruption's new PSW)",
    ]);
    expect(w('.psw 0x80000000, 0')[0]).toMatch(/reserved flag bits X'80000000' are set/);
  });
  it('a label alone on a line names the location counter there, and is warned about when what follows is aligned past it', () => {
    const r = ok('.byte 7\nhere:\n LR 1,2');
    expect(r.symbols.get('HERE')?.value).toBe(1);
    expect(wordAt(r, 4)).toBe(0x18120000);
    expect(r.diagnostics.map((d) => `${d.line}:${d.severity}: ${d.message}`)).toEqual([
      "2:warning: label HERE stands alone at X'1', but what follows is aligned to X'4': HERE names X'1'; put it on the same line, or .align 4 before it",
    ]);
    // Before .align: the address before alignment (a label on the .align line too); no warning when aligned already.
    const a = ok('.byte 1\nbuf:\n .align 8\nmid: .align 16\n .word 5\nok:\n .word 6');
    expect([a.symbols.get('BUF')?.value, a.symbols.get('MID')?.value, a.symbols.get('OK')?.value]).toEqual([1, 8, 0x14]);
    expect(a.diagnostics.map((d) => d.line)).toEqual([2]);
  });
});

describe('expressions', () => {
  it('evaluates numbers, constants, operators and precedence like C', () => {
    const r = ok(".word 1+2*3, (1+2)*3, 0x1F, 0b101, X'1F', B'101', C'A', 'AB', -7/2, -7%2, 1<<4|1, ~0, 0xF0>>4, -16>>>28, 6&3^1, 3>2, 2==3 || 1");
    const want = [7, 9, 31, 5, 31, 5, 65, 0x4142, -3 >>> 0, -1 >>> 0, 17, 0xffffffff, 15, 15, 3, 1, 1];
    expect(want.map((_, i) => wordAt(r, i * 4))).toEqual(want);
  });
  it('uses * as the location counter and allows forward references', () => {
    const r = ok('.org 0x100\n.word *, end - *\n.word fwd\nfwd = end + 1\nend: .byte 0');
    expect([wordAt(r, 0x100), wordAt(r, 0x104), wordAt(r, 0x108)]).toEqual([0x100, 0x10c - 0x104, 0x10d]);
  });
  it('predefines the numeric exports of arch.ts', () => {
    const r = ok('.word PSW_EXT|PSW_IO, LC_PROGRAM_NEW, CCW_SLI, MAX_CCWS');
    expect([wordAt(r, 0), wordAt(r, 4), wordAt(r, 8), wordAt(r, 12)]).toEqual([0x03000000, 0x68, 0x20, 4096]);
  });
  it('accepts caller-predefined symbols', () => {
    expect(wordAt(ok('.word MEMSIZE', { predefined: { memsize: 65536 } }), 0)).toBe(65536);
  });
});

describe('directives', () => {
  it('.org, .align, .byte, .half, .word, .ascii, .asciz, .space', () => {
    const r = ok('.org 0x10\n.byte 1, -1, "ab"\n.half 0x1234\n.align 8\n.word 0xDEADBEEF\n.ascii "x\\n", "\\x41\\0"\n.asciz "q"\n.space 3, 0xEE\n');
    expect([byteAt(r, 0x10), byteAt(r, 0x11), byteAt(r, 0x12), byteAt(r, 0x13)]).toEqual([1, 0xff, 0x61, 0x62]);
    expect([byteAt(r, 0x14), byteAt(r, 0x15)]).toEqual([0x12, 0x34]);
    expect(wordAt(r, 0x18)).toBe(0xdeadbeef);
    expect([
      0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25,
    ].map((a) => byteAt(r, a))).toEqual([0x78, 10, 0x41, 0, 0x71, 0, 0xee, 0xee, 0xee, undefined]);
  });
  it('.half aligns to 2, .word to 4, .psw and .ccw to 8', () => {
    const r = ok('.byte 1\n.half 2\n.byte 3\n.word 4\n.byte 5\npsw: .psw PSW_WAIT|PSW_EXT, 0x123456\nccw: .ccw CMD_READ, 0x2000, CCW_CC|CCW_SLI, 80');
    expect([wordAt(r, 0), wordAt(r, 4)]).toEqual([0x01000002, 0x03000000]);
    expect(wordAt(r, 8)).toBe(4);
    expect(r.symbols.get('PSW')?.value).toBe(0x10);
    expect([wordAt(r, 0x10), wordAt(r, 0x14)]).toEqual([0x01020000, 0x123456]);
    expect([wordAt(r, 0x18), wordAt(r, 0x1c)]).toEqual([0x02002000, 0x60000050]);
  });
  it('.equ, NAME .equ, NAME =, .equr', () => {
    const r = ok('.equ A, 5\nB .equ A*2\nC = B+1\nbase .equr 12\n L R1,4(base)\n LHI R2,C');
    expect([r.symbols.get('A')?.value, r.symbols.get('B')?.value, r.symbols.get('C')?.value]).toEqual([5, 10, 11]);
    expect(r.symbols.get('BASE')).toMatchObject({ value: 12, kind: 'register' });
    expect([wordAt(r, 0), wordAt(r, 4)]).toEqual([0x581c0004, 0xc020000b]);
  });
  it('.if / .else / .endif, nested, with the inactive branch skipped entirely', () => {
    const r = ok('X = 2\n.if X == 2\n .if 0\n  bogus stuff\n .else\n  .byte 1\n .endif\n.else\n .byte 2\n.endif\n.if !X\n.error "no"\n.endif');
    expect(r.segments[0].bytes).toEqual(new Uint8Array([1]));
  });
  it('.rept repeats its body', () => {
    expect(code('.rept 3\n AR 1,2\n.endr')).toEqual([0x1a120000, 0x1a120000, 0x1a120000]);
  });
  it('.entry, else START, else the lowest address', () => {
    expect(ok('.org 0x300\n LR 1,1\ngo: LR 2,2\n.entry go').entry).toBe(0x304);
    expect(ok('.org 0x300\n LR 1,1\nstart: LR 2,2').entry).toBe(0x304);
    expect(ok('.org 0x300\n LR 1,1').entry).toBe(0x300);
    expect(ok('; nothing').entry).toBeUndefined();
  });
  it('.warning reports without failing', () => {
    const r = assemble('.warning "careful"', { file: 'w.s' });
    expect(r.ok).toBe(true);
    expect(r.diagnostics[0]).toMatchObject({ file: 'w.s', line: 1, col: 1, severity: 'warning', message: 'careful' });
  });
});

describe('literal pool and LI', () => {
  it('puts =expr literals in a deduplicated pool at .ltorg', () => {
    const r = ok('.org 0x100\n L R1,=0x12345678\n L R2,=5\n C R3,=0x12345678\n .ltorg\n L R4,=7');
    expect([wordAt(r, 0x100), wordAt(r, 0x104), wordAt(r, 0x108)]).toEqual([0x5810010c, 0x58200110, 0x5930010c]);
    expect([wordAt(r, 0x10c), wordAt(r, 0x110)]).toEqual([0x12345678, 5]);
    expect(wordAt(r, 0x114)).toBe(0x58400118); // second pool at the end
    expect(wordAt(r, 0x118)).toBe(7);
  });
  it('accepts literals with forward references', () => {
    const r = ok(' L R1,=later\nlater: .word 9');
    expect(wordAt(r, 0)).toBe(0x58100008);
    expect(wordAt(r, 8)).toBe(4);
  });
  it('LI is one LHI when the value is known and small, else LUH + OIL', () => {
    expect(code('LI R1,-5\n LI R2,0x12345678\n LI R3,big\nbig = 100')).toEqual([0xc010fffb, 0xc4201234, 0xc5205678, 0xc4300000, 0xc5300064]);
  });
});

describe('listing and source map', () => {
  const src = '  .org 0x200\nstart: L R1,256(R2)\n  .macro TWO\n  AR 1,1\n  AR 2,2\n  .endm\n  TWO\nk = 3\n';
  const r = ok(src, { file: 'p.s' });
  it('has one record per line, expanded lines included', () => {
    expect(r.lines.map((l) => [l.line, l.depth, l.macro ?? ''])).toEqual([
      [1, 0, ''], [2, 0, ''], [3, 0, ''], [4, 0, ''], [5, 0, ''], [6, 0, ''], [7, 0, ''], [4, 1, 'TWO'], [5, 1, 'TWO'], [8, 0, ''], [9, 0, ''],
    ]);
  });
  it('formats address, bytes, line number and source, then the symbols', () => {
    const text = formatListing(r);
    expect(text).toMatch(/000200  58120100 +2 start: L R1,256\(R2\)/);
    expect(text).toMatch(/000204  1A110000 +4 \+  AR 1,1/);
    expect(text).toMatch(/=00000003 +8 k = 3/);
    expect(text).toMatch(/START +00000200 +label +p\.s:2/);
  });
  it('maps addresses to lines and back', () => {
    expect(addressToLine(r, 0x202)).toMatchObject({ file: 'p.s', line: 2 });
    expect(addressToLine(r, 0x208)).toMatchObject({ file: 'p.s', line: 5, macro: 'TWO' });
    expect(addressToLine(r, 0x20c)).toBeUndefined();
    expect(lineToAddress(r, 'p.s', 2)).toBe(0x200);
    expect(lineToAddress(r, 'p.s', 7)).toBe(0x204); // the macro invocation: its first instruction
    expect(lineToAddresses(r, 'p.s', 4)).toEqual([0x204]);
    expect(lineToAddress(r, 'p.s', 8)).toBeUndefined();
  });
});

describe('speed', () => {
  // Not a benchmark (the machine is shared and loaded): a bound that only a quadratic slip breaks.
  it('assembles 10,000 lines without a pathological slowdown', () => {
    const src = Array.from({ length: 10000 }, (_, i) => `l${i}: L R1,=${i}\n AHI R1,${i % 100}\n J l${i}`).join('\n').split('\n').slice(0, 10000).join('\n');
    const t = performance.now();
    const r = assemble(src.replace(/=(\d+)/g, (_m, n) => `${Number(n) % 50}(R2)`));
    expect(r.ok).toBe(true);
    expect(performance.now() - t).toBeLessThan(10_000);
  });
});

describe('docs/assembler.md', () => {
  it('the complete example assembles cleanly, with the values its comments claim', async () => {
    const { readFileSync } = await import('node:fs');
    const md = readFileSync(new URL('../docs/assembler.md', import.meta.url), 'utf8');
    const src = /## A complete example\s+```asm\n([\s\S]*?)```/.exec(md)![1];
    const r = ok(src, { file: 'hello.s' });
    expect(r.entry).toBe(0x200);
    const li = r.lines.find((l) => l.text.includes('LI    R3'))!;
    expect(li.bytes.length).toBe(8);
    expect(r.symbols.get('MSGLEN')?.value).toBe(13);
    expect(wordAt(r, 0x6c)).toBe(0xdeac);
  });
});
