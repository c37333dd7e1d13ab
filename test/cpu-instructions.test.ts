/**
 * Interpreter unit tests per instruction class (PoO 4): small assembled snippets run on a bare
 * machine, then registers, condition code, PSW and storage are checked from the host side.
 * (The guest programs in programs/tests/ check the same classes from inside; these pin down
 * the host-visible state and the interruption bookkeeping.)
 */
import { describe, expect, it } from 'vitest';
import { LC_PGM_CODE, LC_PROGRAM_OLD, LC_TRANS_ADDR, PGM_FIXED_OVERFLOW, PGM_OPERATION, PGM_PAGE, PGM_SPECIFICATION, PSW_DAT } from '../src/cpu/arch.ts';
import { loadByte } from '../src/cpu/storage.ts';
import { Session } from '../src/session/session.ts';
import { buildSourceOrThrow } from './guest-helpers.ts';

/** Assemble `body` at X'200' (with a stop on any program check) and run it bare until it halts. */
function run(body: string, budget = 10_000) {
  const src = `        .include "tinycp.inc"
        .org  LC_PROGRAM_NEW
        .psw  PSW_WAIT, 0xBAD0
        .org  0x200
start:
${body}
        PASS
`;
  const b = buildSourceOrThrow(src, 'snippet.s');
  const s = new Session(b.image, { mode: 'bare', recordInterrupts: true });
  const outcome = s.run(budget);
  const st = s.guestState();
  const sym = (n: string) => b.image.symbols![n.toUpperCase()];
  return { s, outcome, r: st.gpr, cc: (st.psw[0] >>> 12) & 3, word: (a: number) => s.mem[a >>> 2], sym };
}

describe('loads and stores', () => {
  it('L/ST/LH/LLH/IC/LLC/STC/STH/LM/STM', () => {
    const t = run(`        L     R1,w
        LH    R2,w
        LLH   R3,w
        LHI   R4,-1
        IC    R4,w+3
        LLC   R5,w+1
        ST    R1,buf
        STC   R1,buf+4
        STH   R1,buf+6
        LM    R6,R7,w
        STM   R6,R7,buf+8
        J     over
w:      .word 0x80FF7F01,0x12345678
buf:    .space 16
over:`);
    expect(t.outcome.success).toBe(true);
    expect(t.r.slice(1, 8).map((v) => v >>> 0)).toEqual([0x80ff7f01, 0xffff80ff, 0x80ff, 0xffffff01, 0xff, 0x80ff7f01, 0x12345678]);
    const buf = t.sym('buf');
    expect(t.word(buf) >>> 0).toBe(0x80ff7f01);
    expect(t.word(buf + 4) >>> 0).toBe(0x01007f01);
    expect(t.word(buf + 12)).toBe(0x12345678);
  });
  it('LA wraps at 24 bits; LARL is relative; LUH/OIL build a word', () => {
    const t = run(`        LI    R1,0x7FFFFFF0
        LA    R2,0x20(R1)
        LARL  R3,start
        LUH   R4,0xDEAD
        OIL   R4,0xBEEF`);
    expect(t.r[2]).toBe(0x10);
    expect(t.r[3]).toBe(0x200);
    expect(t.r[4] >>> 0).toBe(0xdeadbeef);
  });
});

describe('branches', () => {
  it('BRCT counts down to zero; BAL links the next instruction', () => {
    const t = run(`        LHI   R1,7
        LHI   R2,0
loop:   AHI   R2,3
        BRCT  R1,loop
        BAL   R14,sub
back:   J     done
sub:    BR    R14
done:`);
    expect(t.r[1]).toBe(0);
    expect(t.r[2]).toBe(21);
    expect(t.r[14]).toBe(t.sym('back'));
  });
  it('a misaligned branch target is a specification exception of the branch; the link is not set', () => {
    const t = run(`        LHI   R14,-1
        LA    R1,2
bad:    BALR  R14,R1`);
    expect(t.outcome.code).toBe(0xbad0);
    expect(t.word(LC_PGM_CODE)).toBe(PGM_SPECIFICATION);
    expect(t.word(LC_PROGRAM_OLD + 4)).toBe(t.sym('bad') + 4);
    expect(t.r[14]).toBe(-1);
  });
});

describe('arithmetic and program mask', () => {
  it('AR overflow with the mask on: result stored, CC 3 in the old PSW, interruption code 8', () => {
    const t = run(`        LI    R0,0x08000000
        SPM   R0
        LI    R1,0x7FFFFFFF
        LHI   R2,1
ovf:    AR    R1,R2`);
    expect(t.outcome.code).toBe(0xbad0);
    expect(t.word(LC_PGM_CODE)).toBe(PGM_FIXED_OVERFLOW);
    expect(t.r[1] >>> 0).toBe(0x80000000);
    expect(t.word(LC_PROGRAM_OLD)).toBe(0x3800);
    expect(t.word(LC_PROGRAM_OLD + 4)).toBe(t.sym('ovf') + 4);
    expect(t.s.interrupts).toEqual([{ cls: 'program', code: 8, oldIa: t.sym('ovf') + 4, time: 6 }]);
  });
  it('MR/DR on a pair', () => {
    const t = run(`        LHI   R3,-6
        LHI   R4,7
        MR    R2,R4
        LHI   R5,4
        DR    R2,R5`);
    expect(t.r[3]).toBe(-10);
    expect(t.r[2]).toBe(-2);
  });
});

describe('atomics', () => {
  it('TS and CS', () => {
    const t = run(`        LA    R8,lock
        TS    0(R8)
` + `
        BRC   8,ok1
        FAIL  1
ok1:    TS    0(R8)
        BRC   4,ok2
        FAIL  2
ok2:    LHI   R2,0
        LHI   R3,9
        CS    R2,R3,4(R8)
        J     done
        .align 8
lock:   .word 0, 0
done:`);
    expect(t.outcome.success).toBe(true);
    expect(loadByte(t.s.mem, t.sym('lock'))).toBe(0xff);
    expect(t.word(t.sym('lock') + 4)).toBe(9);
    expect(t.cc).toBe(0);
  });
});

describe('undefined operation and DAT', () => {
  it('operation exception: old PSW after the word', () => {
    const t = run(`bad:    .word 0xA7000000`);
    expect(t.word(LC_PGM_CODE)).toBe(PGM_OPERATION);
    expect(t.word(LC_PROGRAM_OLD + 4)).toBe(t.sym('bad') + 4);
  });
  it('page-translation exception nullifies: old PSW at the instruction, failing address stored', () => {
    const t = run(`        LA    R1,pt
        LHI   R2,0
        LHI   R3,16
fill:   ST    R2,0(R1)
        AHI   R1,4
        AHI   R2,4096
        BRCT  R3,fill
        LHI   R2,PTE_INVALID
        ST    R2,pt+5*4
        LA    R1,pt
        ST    R1,st
        LA    R1,st
        ST    R1,cr1
        LCTL  R1,R1,cr1
        LPSW  on
        .align 8
on:     .psw  PSW_DAT, go
cr1:    .word 0
go:     LI    R4,0x5004
bad:    L     R5,0(R4)
        J     done
        .align 64
st:     .space 64
pt:     .space 1024, 0x04
done:`);
    expect(t.outcome.code).toBe(0xbad0);
    expect(t.word(LC_PGM_CODE)).toBe(PGM_PAGE);
    expect(t.word(LC_PROGRAM_OLD)).toBe(PSW_DAT);
    expect(t.word(LC_PROGRAM_OLD + 4)).toBe(t.sym('bad'));
    expect(t.word(LC_TRANS_ADDR)).toBe(0x5004);
  });
});

describe('timers in virtual time', () => {
  it('STPT reads the value set minus the instructions executed since', () => {
    const t = run(`        SPT   v
        NOPR  R0
        NOPR  R0
        STPT  out
        J     done
        .align 8
v:      .word 0, 100
out:    .word 0, 0
done:`);
    expect(t.word(t.sym('out') + 4)).toBe(97);
  });
});
