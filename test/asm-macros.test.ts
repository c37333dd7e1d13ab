import { describe, expect, it } from 'vitest';
import { assemble } from '../src/guest/index.ts';
import { code, errs, ok } from './asm-helpers.ts';

describe('macros', () => {
  it('substitutes positional, keyword and default parameters', () => {
    const src = '.macro ADDI reg, n=1\n AHI \\reg,\\n\n.endm\n ADDI R3\n ADDI R4, 7\n ADDI n=-2, reg=R5';
    expect(code(src)).toEqual([0xc1300001, 0xc1400007, 0xc150fffe]);
  });
  it('substitutes a string argument without its quotes where the body expects a string, as written elsewhere', () => {
    const bytesOf = (src: string) => [...ok(src).segments[0].bytes];
    const hello = [...'hello'].map((c) => c.charCodeAt(0));
    // Inside "..." in the body: "hello" and hello give the same five bytes (no stray quotes).
    expect(bytesOf('.macro MSG text\n .ascii "\\text"\n.endm\n MSG "hello"')).toEqual(hello);
    expect(bytesOf('.macro MSG text\n .ascii "\\text"\n.endm\n MSG hello')).toEqual(hello);
    // Escapes inside the argument are read by the body's string: "a\"b" is a, quote, b.
    expect(bytesOf('.macro MSG text\n .ascii "<\\text>"\n.endm\n MSG "a\\"b"')).toEqual([...'<a"b>'].map((c) => c.charCodeAt(0)));
    // Outside a string the argument is substituted as written, quotes included.
    expect(bytesOf('.macro MSG text\n .ascii \\text\n.endm\n MSG "hello"')).toEqual(hello);
    // A \" escape in the body does not end its string; \n stays an escape.
    expect(bytesOf('.macro Q t\n .ascii "\\"\\t\\"\\n"\n.endm\n Q "x"')).toEqual([0x22, 0x78, 0x22, 0x0a]);
  });
  it('makes unique labels with \\@ and joins names with \\()', () => {
    const r = ok('.macro SPIN r\nw\\@: BRCT \\r,w\\@\nx\\r\\()y = 1\n.endm\n SPIN R1\n SPIN R2');
    expect([...r.symbols.keys()].sort()).toEqual(['W1', 'W2', 'XR1Y', 'XR2Y']);
    expect(code('.macro SPIN r\nw\\@: BRCT \\r,w\\@\n.endm\n SPIN R1\n SPIN R2')).toEqual([0xd2100000, 0xd2200000]);
  });
  it('expands nested invocations and records depth and macro name', () => {
    const r = ok('.macro INNER\n AR 1,1\n.endm\n.macro OUTER\n INNER\n AR 2,2\n.endm\n OUTER');
    const ex = r.lines.filter((l) => l.bytes.length);
    expect(ex.map((l) => [l.text.trim(), l.depth, l.macro])).toEqual([['AR 1,1', 2, 'INNER'], ['AR 2,2', 1, 'OUTER']]);
  });
  it('points an error in a macro body at the body line and names the invocation', () => {
    const e = errs('.macro BAD x\n LR 1,\\x\n.endm\n BAD 99\n BAD 3');
    expect(e).toEqual(['t.s:2:7: error: register 99 out of range 0..15 (in macro BAD invoked at t.s:4)']);
  });
  it('names every level of a nested invocation', () => {
    const e = errs('.macro AA\n LR 1,16\n.endm\n.macro BB\n AA\n.endm\n BB');
    expect(e).toEqual(['t.s:2:7: error: register 16 out of range 0..15 (in macro AA invoked at t.s:5, in macro BB invoked at t.s:7)']);
  });
  it('reports missing and extra arguments', () => {
    expect(errs('.macro M2 a\n.endm\n M2')).toEqual(['t.s:3:2: error: missing argument for parameter A of macro M2 (defined at t.s:1)']);
    expect(errs('.macro M2 a\n.endm\n M2 1, 2')).toEqual(['t.s:3:8: error: too many arguments for macro M2 (it takes 1: A)']);
    expect(errs('.macro M2 a\n.endm\n.macro M2\n.endm')).toEqual(['t.s:3:8: error: macro M2 already defined at t.s:1']);
  });
  it('binds a label on the invocation line to the first thing the macro assembles', () => {
    expect(errs(' TWO\n.macro TWO\n.endm')).toEqual(["t.s:1:2: error: unknown mnemonic 'TWO' (did you mean TIO?)"]); // define before use
    const r2 = ok('.macro TWO\n AR 2,2\n.endm\n .byte 1\nhere: TWO');
    expect(r2.symbols.get('HERE')?.value).toBe(4);
  });
  it('lets .if inside a macro choose on a parameter', () => {
    expect(code('.macro PICK n\n.if \\n > 1\n AR 2,2\n.else\n AR 1,1\n.endif\n.endm\n PICK 1\n PICK 5')).toEqual([0x1a110000, 0x1a220000]);
  });
});

describe('includes', () => {
  const files: Record<string, string> = {
    'lib/defs.s': 'COUNT = 3\n.include "more.s"',
    'lib/more.s': '.macro ONE\n LHI R1,1\n.endm',
    'lib/bad.s': ' LR 1,\n',
    'loop/a.s': '.include "b.s"',
    'loop/b.s': '.include "a.s"',
  };
  const readFile = (path: string, from: string) => {
    const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
    return files[dir + path];
  };
  it('resolves paths relative to the including file and nests', () => {
    const r = ok(' .include "lib/defs.s"\n ONE\n LHI R2,COUNT', { file: 'main.s', readFile });
    expect(r.lines.filter((l) => l.bytes.length).map((l) => [l.file, l.line])).toEqual([['lib/more.s', 2], ['main.s', 3]]);
    expect(r.symbols.get('COUNT')).toMatchObject({ value: 3, file: 'lib/defs.s', line: 1 });
    expect(r.lines.find((l) => l.file === 'lib/more.s')?.depth).toBe(2);
  });
  it('reports errors in the included file', () => {
    expect(errs(' .include "lib/bad.s"', { file: 'main.s', readFile })).toEqual(['lib/bad.s:1:7: error: expected a value']);
  });
  it('detects include cycles', () => {
    expect(errs(
      '.include "loop/a.s"', { file: 'main.s', readFile },
    )).toEqual(['loop/b.s:1:10: error: include cycle: main.s -> loop/a.s -> loop/b.s -> loop/a.s']);
  });
  it('reports a missing file', () => {
    expect(errs(' .include "none.s"', { readFile })).toEqual(["t.s:1:11: error: include file 'none.s' not found"]);
  });
  it('survives a readFile that throws', () => {
    const r = assemble('.include "x"', { readFile: () => { throw new Error('EACCES'); } });
    expect(r.ok).toBe(false);
  });
});
