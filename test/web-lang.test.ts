/**
 * The playground's highlighting (web/src/lang.ts) classifies words by the ISA table and the
 * assembler's directive list, so the editor cannot drift from the machine: every privileged
 * instruction is marked privileged, every other instruction and extended mnemonic an instruction,
 * every directive a directive.
 */
import { describe, expect, it } from 'vitest';
import { EXTENDED, ISA } from '../src/cpu/isa.ts';
import { DIRECTIVES } from '../src/guest/index.ts';
import { tokenize } from '../web/src/lang.ts';

const opStyle = (op: string) => tokenize(`        ${op} R1,R2`)[0];

describe('tinycp assembly highlighting in the playground', () => {
  it('marks a line part by part', () => {
    expect(tokenize('start:  LPSW  user    ; enter the user program')).toEqual([
      ['start:', 'labelName'], ['LPSW', 'privileged'], ['user', 'variableName'], ['; enter the user program', 'comment']]);
    expect(tokenize('* a comment line')).toEqual([['* a comment line', 'comment']]);
    expect(tokenize('msg:    .ascii "Hi; there"')).toEqual([['msg:', 'labelName'], ['.ascii', 'directive'], ['"Hi; there"', 'string']]);
    expect(tokenize('        LHI   R3,X\'1F\'+0x10')).toEqual([
      ['LHI', 'keyword'], ['R3', 'register'], ["X'1F'", 'number'], ['+', 'operator'], ['0x10', 'number'],
    ]);
    expect(tokenize('        EXIT  4')).toEqual([['EXIT', 'macroName'], ['4', 'number']]);
    expect(tokenize('        ST    R1,LC_CAW')).toEqual([['ST', 'keyword'], ['R1', 'register'], ['LC_CAW', 'constant']]);
  });

  it('takes its words from the ISA table and the assembler', () => {
    for (const d of ISA) expect(opStyle(d.mnemonic), d.mnemonic).toEqual([d.mnemonic, d.privileged ? 'privileged' : 'keyword']);
    for (const e of EXTENDED) expect(opStyle(e.mnemonic)[1], e.mnemonic).toBe('keyword');
    for (const d of DIRECTIVES) expect(opStyle(d)[1], d).toBe('directive');
  });
});
