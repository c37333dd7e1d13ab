import { describe, expect, it } from 'vitest';
import { assemble } from '../src/guest/index.ts';
import { errs } from './asm-helpers.ts';

/** Each error class, with the exact file:line:col the user sees. */
describe('diagnostics', () => {
  const cases: [string, string][] = [
    ['LRR 1,2', "t.s:1:1: error: unknown mnemonic 'LRR' (did you mean LPR?)"],
    [' .wrod 1', "t.s:1:2: error: unknown directive '.wrod' (did you mean .word?)"],
    [' L R1', 't.s:1:6: error: L expects 2 operands (L R1,D2(B2)), found 1'],
    [' LR 1,2,3', 't.s:1:9: error: LR expects 2 operands (LR R1,R2), found 3'],
    [' B', 't.s:1:3: error: B expects 1 operand (B D2(B2)), found 0'],
    [' LR 1,16', 't.s:1:7: error: register 16 out of range 0..15'],
    [' BC 16,0', 't.s:1:5: error: mask 16 out of range 0..15'],
    [' LHI 1,40000', "t.s:1:8: error: immediate 40000 (X'9C40') out of range -32768..32767"],
    [' LUH 1,-1', 't.s:1:8: error: immediate -1 out of range 0..65535'],
    [' MVI 0(R1),256', "t.s:1:12: error: immediate byte 256 (X'100') out of range 0..255"],
    [' SLL R1,5000', "t.s:1:9: error: displacement 5000 (X'1388') out of range 0..4095 (larger addresses need a base register: D(B))"],
    [' L R1,0x9000', "t.s:1:7: error: displacement 36864 (X'9000') out of range -32768..32767 (addresses above X'7FFF' need a base register: D(B))"],
    [' LA 1,0(1,2)', 't.s:1:9: error: this machine has no index registers: write D(B)'],
    [' L 1,nowhere', 't.s:1:6: error: undefined symbol NOWHERE'],
    ['loop: LR 1,1\n J lop', 't.s:2:4: error: undefined symbol LOP (did you mean LOOP?)'],
    ['x: LR 1,1\nx: LR 2,2', 't.s:2:1: error: duplicate symbol X (first defined at t.s:1)'],
    ['PSW_IO = 3', "t.s:1:1: error: symbol PSW_IO clashes with PSW_IO = X'2000000' (predefined from src/cpu/arch.ts)"],
    ['R3: LR 1,1', 't.s:1:1: error: R3 is a register name and cannot be redefined'],
    [' .org 0x100\n J 0x102', "t.s:2:4: error: branch target X'102' is not word aligned (relative branches count in words)"],
    [' .org 0\n J 0x40000', "t.s:2:4: error: branch target X'40000' out of range: 65536 words from X'0' (range -32768..32767 words)"],
    [' .org 0xFFFFFC\n LR 1,1\n LR 2,2', "t.s:3:1: error: location X'1000003' is beyond the 24-bit address space (max X'FFFFFF')"],
    [' .org 0x10\n .word 1\n .org 0x12\n .byte 1', "t.s:4:1: error: bytes at X'12'..X'12' overlap bytes already assembled up to X'13' (by t.s:2)"],
    [' .macro FOO\n LR 1,1', 't.s:1:2: error: unterminated .macro FOO: no .endm before the end of t.s'],
    [' .rept 2\n LR 1,1', 't.s:1:2: error: unterminated .rept: no .endr before the end of t.s'],
    [' .if 1\n LR 1,1', 't.s:1:2: error: unterminated .if: no .endif before the end of t.s'],
    [' .ascii "abc', 't.s:1:9: error: unterminated string or character constant'],
    [' .include "nope.s"', "t.s:1:11: error: include file 'nope.s' not found (no readFile was given to assemble())"],
    [' .org later\nlater: .byte 1', 't.s:1:7: error: .org needs a value known at this point, but LATER is defined later (at t.s:2)'],
    [' .word 1/0', 't.s:1:9: error: division by zero'],
    [' .word (1+2', "t.s:1:12: error: missing ')'"],
    [' .word 0x100000000', 't.s:1:8: error: number 0x100000000 does not fit in 32 bits'],
    [" .byte X'G'", "t.s:1:8: error: malformed X'G' constant"],
    [
      ' .org 0x9000\n L R1,=5',
      "t.s:2:7: error: literal at X'9004' is beyond X'7FFF', the highest address an RX instruction reaches without a base register; put a .ltorg below X'8000'",
    ],
    [' .rept 100000\n.endr', 't.s:1:8: error: .rept count 100000 out of range 0..65536'],
    [' .endif', 't.s:1:2: error: .endif without .if'],
    [' .if 1\n .else\n .else\n .endif', 't.s:3:2: error: second .else for the .if at t.s:1'],
    [' .endm', 't.s:1:2: error: .endm without .macro'],
    [' .align 3', 't.s:1:9: error: .align 3: the alignment must be a power of 2 from 1 to 16777216'],
    [' .psw 0, 0x1000000', "t.s:1:10: error: PSW instruction address 16777216 (X'1000000') out of range 0..16777215"],
    [' .error "boom"', 't.s:1:2: error: boom'],
    [' .entry nowhere', 't.s:1:9: error: undefined symbol NOWHERE'],
    ['.macro L a\n.endm', 't.s:1:8: error: macro name L is an instruction mnemonic'],
    [' L R1,R2', 't.s:1:7: warning: register name R2 used as an address; did you mean 0(R2)?'],
  ];
  for (const [src, want] of cases) it(want.replace(/^t\.s:\d+:\d+: \w+: /, ''), () => expect(errs(src)).toEqual([want]));

  it('reports circular definitions at both ends', () => {
    expect(errs('a = b\nb = a')).toEqual([
      't.s:1:5: error: cannot resolve A: circular definition through B',
      't.s:2:5: error: cannot resolve B: circular definition through A',
    ]);
  });
  it('stops runaway macro recursion with a short chain', () => {
    const e = errs(' .macro R\n R\n .endm\n R');
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(/^t\.s:2:2: error: macro nesting deeper than 32 \(does R invoke itself\?\) /);
    expect(e[0]).toMatch(/\(in macro R invoked at t\.s:2, in macro R invoked at t\.s:2, \.\.\. 29 more, in macro R invoked at t\.s:4\)$/);
  });
  it('keeps going after errors and reports each once', () => {
    const r = assemble(' LR 1,99\n LR 2,2\n FOO\n .word zz', { file: 't.s' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => `${d.line}:${d.col}`)).toEqual(['1:7', '3:2', '4:8']);
    expect(r.lines[1].bytes).toEqual(new Uint8Array([0x18, 0x22, 0, 0]));
  });
  it('never throws, whatever the input', () => {
    const junk = [
      '', '\0\0', ')))(((', '.macro', '.macro\n', '.if', "'", '"', 'L R1,=', '.org -1', '.space -1', ':',
      'a:b:c:', '.include', '.rept', '.rept x\n.endr', '\\@', 'LI', 'LI R1', '.equ', 'x =', '= 5', '.ccw',
      String.fromCharCode(0x263a), '.byte "\\q"',
    ];
    for (const j of junk) expect(() => assemble(j)).not.toThrow();
  });
});
