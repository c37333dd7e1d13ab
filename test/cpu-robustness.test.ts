/**
 * Robustness and determinism of the real machine and of CP: a run is a pure function of the
 * program (identical instruction counts, interruptions and storage twice over); random words
 * executed as a program never make the interpreter throw and always stop within the budget,
 * bare and under CP; a guest spinning with every interruption masked is stopped by the budget;
 * a guest cannot reach storage beyond its size (addressing exception), and under CP the host
 * storage around the VM's zone is untouched.
 */
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LC_PGM_CODE, PGM_ADDRESSING } from '../src/cpu/arch.ts';
import { load } from '../src/guest/loader.ts';
import { ControlProgram } from '../src/monitor/cp.ts';
import { VirtualMachine } from '../src/monitor/vm.ts';
import { Session, type Mode } from '../src/session/session.ts';
import { buildOrThrow, buildSourceOrThrow, prelude } from './guest-helpers.ts';

function image(src: string) {
  const b = buildSourceOrThrow(src, 'snippet.s');
  return b.image;
}
const hash = (mem: Int32Array) => createHash('sha256').update(new Uint8Array(mem.buffer, mem.byteOffset, mem.byteLength)).digest('hex');

describe('determinism', () => {
  for (const mode of ['bare', 'vm'] as const) {
    it(`timer.s twice (${mode}): same instruction count, interruptions, output and storage`, () => {
      const b = buildOrThrow('programs/timer.s');
      const once = () => {
        const out: string[] = [];
        const s = new Session(b.image, { mode, console: (l) => out.push(l), recordInterrupts: true });
        const o = s.run(1_000_000);
        return { o, out, time: s.time, ints: s.interrupts, state: s.guestState(), mem: hash(s.mem), n: s.cpu.counters.instructions };
      };
      const a = once(), c = once();
      expect(a.o.success).toBe(true);
      expect(c).toEqual(a);
    });
  }
});

describe('random words as a program', () => {
  /** Storage = random words from X'200' (the entry point); low storage zero except the IPL PSW. */
  function randomImage(words: number[]) {
    const bytes = new Uint8Array(words.length * 4);
    const dv = new DataView(bytes.buffer);
    words.forEach((w, i) => dv.setInt32(i * 4, w));
    return { entry: 0x200, segments: [{ address: 0x200, bytes }] };
  }
  for (const mode of ['bare', 'vm'] as const) {
    it(`never throws and stops within the budget (${mode})`, () => {
      const opcodes = fc.integer({ min: 0, max: 255 });
      const anyWord = fc.oneof(fc.integer({ min: -2147483648, max: 2147483647 }),
        fc.tuple(opcodes, fc.integer({ min: 0, max: 0xffffff })).map(([op, rest]) => ((op << 24) | rest) | 0));
      fc.assert(fc.property(fc.array(anyWord, { minLength: 1, maxLength: 64 }), (words) => {
        const s = new Session(randomImage(words), { mode, storage: 64 * 1024 });
        const o = s.run(20_000);
        expect(['running', 'ended']).toContain(o.state);
        if (mode === 'bare') expect(s.cpu.counters.instructions).toBeLessThanOrEqual(20_000);
        else expect(s.vm!.counters.direct + s.vm!.counters.handled).toBeLessThanOrEqual(20_000);
      }), { numRuns: 40, seed: 370 });
    });
  }
});

describe('budget', () => {
  for (const mode of ['bare', 'vm'] as const) {
    it(`a guest spinning with every interruption masked is stopped by the budget (${mode})`, () => {
      const s = new Session(image('        .org 0x200\nstart: J start\n'), { mode });
      const o = s.run(100_000);
      expect(o).toMatchObject({ state: 'running', reason: 'budget' });
      expect(s.time).toBe(100_000);
      const o2 = s.run(50_000);
      expect(o2.reason).toBe('budget');
      expect(s.time).toBe(150_000);
    });
  }
});

describe('storage bounds', () => {
  const PROBE = `
${prelude({ LC_PROGRAM_NEW: 'pgm' })}        .org  0x200
* Try to store at and beyond the end of storage, by every route: ST, STM across the end, MVI,
* STCK, DIAGNOSE console write, a channel program (CCW data beyond storage), and DAT (a PTE
* naming a frame beyond storage). Count program checks in R9.
start:  DIAG  R1,R0,DIAG_STORAGE_SIZE
        LHI   R9,0
        LHI   R2,-1
        LR    R3,R1
        AHI   R3,-4
        ST    R2,0(R3)                ; the last word: allowed
        LHI   R5,16
probe:  ST    R2,4(R3)
        STM   R2,R3,0(R3)
        MVI   4(R3),0xEE
        STCK  4(R3)
        AHI   R3,4
        BRCT  R5,probe
        LR    R6,R1
        LHI   R7,16
        DIAG  R6,R7,DIAG_CONSOLE_WRITE
        ST    R1,ccw
        MVI   ccw,CMD_READ
        LA    R6,ccw
        ST    R6,LC_CAW
        SIO   DEV_READER
        LR    R6,R1
        ST    R6,pagetab+4            ; page 1 -> the frame at the end of storage (page 0: itself)
        LA    R6,pagetab
        ST    R6,segtab
        LA    R6,segtab
        ST    R6,cr1
        LCTL  R1,R1,cr1
        STOSM mask,PSW_DAT>>24
        ST    R2,0x1000               ; through the bad PTE: addressing
        STNSM mask,0xFB
        LHI   R15,0
        DIAG  R15,R15,DIAG_TEST_RESULT
pgm:    AHI   R9,1
        LPSW  LC_PROGRAM_OLD
        .align 8
ccw:    .word 0, 0x20000050           ; READ 80 bytes into the address just past storage
cr1:    .word 0
mask:   .word 0
        .align 64
segtab: .space 64
pagetab: .word 0, 0
        .space 1016, 0xFF             ; other pages invalid (X'FF..' has the invalid bit)
`;
  it('bare: every store beyond the end is an addressing exception, storage unchanged', () => {
    const img = image(PROBE);
    const s = new Session(img, { mode: 'bare', storage: 64 * 1024, cards: ['X'] });
    const o = s.run(100_000);
    expect(o).toMatchObject({ state: 'ended', reason: 'halt', code: 0, success: true }); // DIAGNOSE X'F0' result 0
    expect(s.mem[(64 * 1024 >>> 2) - 1]).toBe(-1); // the last word was written
    expect(s.mem[LC_PGM_CODE >>> 2]).toBe(PGM_ADDRESSING);
    expect(s.guestState().gpr[9]).toBeGreaterThanOrEqual(16 * 3 + 2);
  });

  it('under CP: the host storage around the VM\'s zone is untouched', () => {
    const GUARD = 16 * 1024; // words on each side
    const size = 64 * 1024;
    const host = new Int32Array(GUARD + (size >>> 2) + GUARD).fill(0x5a5a5a5a);
    const zone = host.subarray(GUARD, GUARD + (size >>> 2));
    zone.fill(0);
    const b = buildSourceOrThrow(PROBE, 'probe.s');
    expect(load(zone, b.image).ok).toBe(true);
    const cp = new ControlProgram();
    const vm = new VirtualMachine('PROBE', zone);
    vm.setPsw(zone[0], zone[1]);
    cp.addVm(vm);
    cp.runVm(vm, 100_000);
    expect(vm.stop).toMatchObject({ reason: 'halt', code: 0 });
    expect(vm.gpr[9]).toBeGreaterThanOrEqual(16 * 3 + 2);
    for (let i = 0; i < GUARD; i++) {
      if (host[i] !== 0x5a5a5a5a || host[host.length - 1 - i] !== 0x5a5a5a5a) throw new Error(`guard word ${i} changed`);
    }
    // And the bare machine agrees on what the guest saw.
    const bare = new Session(b.image, { mode: 'bare', storage: size });
    bare.run(100_000);
    expect([...vm.gpr]).toEqual(bare.guestState().gpr);
  });
});

describe('mode equivalence of the outcome type', () => {
  it.each(['bare', 'vm'] as Mode[])('a disabled wait with code 0 is success (%s)', (mode) => {
    const s = new Session(image('        .include "tinycp.inc"\n        .org 0x200\nstart: EXIT\n'), { mode });
    expect(s.run(1000)).toMatchObject({ state: 'ended', reason: 'disabled-wait', success: true });
  });
});
