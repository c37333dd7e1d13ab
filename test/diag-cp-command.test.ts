/**
 * DIAGNOSE X'08' (PoO 11.3): a CP command issued by the guest itself. A command that loads a whole
 * new PSW (STORE PSW) takes full effect: the VM goes on from exactly that PSW (address, state,
 * condition code), and the DIAGNOSE lays nothing of its own completion over it. Other commands
 * complete the DIAGNOSE normally (R3 = return code, CC 0 or 1, next instruction).
 */
import { describe, expect, it } from 'vitest';
import { LC_SVC_OLD } from '../src/cpu/arch.ts';
import { Session } from '../src/session/session.ts';
import { buildSourceOrThrow, prelude } from './guest-helpers.ts';

/** A guest that issues `command` through DIAGNOSE X'08'; SVCs end in a disabled wait (code 8). */
function guest(command: string): string {
  return `${prelude()}        .org  LC_SVC_NEW
        .psw  PSW_WAIT, 8
        .org  0x200
start:  LHI   R3,5
        SPM   R3                      ; CC 0 ... (R3 bits 2-3 are 0)
        LARL  R1,cmd
        LHI   R3,cmdend-cmd
        DIAG  R1,R3,DIAG_CP_COMMAND
after:  SVC   1                       ; where a half-applied command would go on
        .org  0x400
there:  SVC   2                       ; where STORE PSW sends the VM
cmd:    .ascii "${command}"
cmdend:
`;
}

function runVm(src: string) {
  const b = buildSourceOrThrow(src, 'diag08.s');
  const s = new Session(b.image, { mode: 'vm', storage: 64 * 1024, recordInterrupts: true });
  const outcome = s.run(1000);
  return { s, outcome, sym: (n: string) => b.image.symbols![n.toUpperCase()], state: s.guestState() };
}

describe("DIAGNOSE X'08' STORE PSW", () => {
  it('takes full effect: the new address, problem state and CC 2', () => {
    // Problem state (bit 15), CC 2 (bits 18-19), at X'400'.
    const r = runVm(guest('STORE PSW 00012000 00000400'));
    expect(r.outcome.reason).toBe('disabled-wait');
    expect(r.s.interrupts).toEqual([{ cls: 'svc', code: 2, oldIa: 0x404, time: expect.any(Number) }]);
    expect([r.s.mem[LC_SVC_OLD >>> 2] >>> 0, r.s.mem[(LC_SVC_OLD >>> 2) + 1]]).toEqual([0x00012000, 0x404]);
  });

  it('a wait PSW stops the VM with that PSW, not the address after the DIAGNOSE', () => {
    const r = runVm(guest('STORE PSW 00023000 0000000C'));
    expect(r.outcome.reason).toBe('disabled-wait');
    expect(r.outcome.code).toBe(0xc);
    expect(r.state.psw).toEqual([0x00023000, 0xc]);
  });

  it('a refused STORE PSW completes the DIAGNOSE: R3 = return code, CC 1, next instruction', () => {
    const r = runVm(guest('STORE PSW FF000000 00000400'));
    expect(r.s.interrupts).toEqual([{ cls: 'svc', code: 1, oldIa: r.sym('after') + 4, time: expect.any(Number) }]);
    expect((r.s.mem[LC_SVC_OLD >>> 2] >>> 12) & 3).toBe(1);
    expect(r.state.gpr[3]).not.toBe(0);
  });

  it('other commands complete the DIAGNOSE normally (R3 = 0, CC 0)', () => {
    const r = runVm(guest('STORE G 5 1234'));
    expect(r.s.interrupts).toEqual([{ cls: 'svc', code: 1, oldIa: r.sym('after') + 4, time: expect.any(Number) }]);
    expect((r.s.mem[LC_SVC_OLD >>> 2] >>> 12) & 3).toBe(0);
    expect(r.state.gpr[3]).toBe(0);
    expect(r.state.gpr[5]).toBe(0x1234);
  });
});

describe('STORE C (a CP command) takes full effect', () => {
  it('a new CR1 purges the shadow table, as LCTL does (PoO 6.3); another CR does not', () => {
    const r = runVm(guest('STORE G 5 1'));
    const vm = r.s.vm!;
    vm.ownShadow().fill(0x1234000 | 1);
    expect(r.s.cp!.command(vm, 'STORE C 0 00000C40')).toBe(0);
    expect(vm.shadow.every((e) => e !== 0)).toBe(true);
    expect(r.s.cp!.command(vm, 'STORE C 1 00010000')).toBe(0);
    expect(vm.cr[1]).toBe(0x10000);
    expect(vm.shadow.every((e) => e === 0)).toBe(true);
  });
});
