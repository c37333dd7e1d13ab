/**
 * CP's own rules: the emulator set is exactly the ISA's privileged set; OSTEP's system-call flow
 * costs exactly two CP entries; a compute loop runs with none (efficiency); a guest cannot keep
 * CP from regaining control or reach storage outside its own.
 */
import { describe, expect, it } from 'vitest';
import { ISA } from '../src/cpu/isa.ts';
import { PRIVILEGED_OPS } from '../src/cpu/privileged.ts';
import type { TrapEvent } from '../src/monitor/events.ts';
import { Session } from '../src/session/session.ts';
import { hex } from '../src/cpu/hex.ts';
import { buildOrThrow, buildSourceOrThrow, prelude } from './guest-helpers.ts';

function session(src: string, mode: 'bare' | 'vm' = 'vm', storage = 64 * 1024) {
  const b = buildSourceOrThrow(src, 'test.s');
  return new Session(b.image, { mode, storage });
}

describe('CP', () => {
  // CP runs the real machine's handlers on the VM's state; DIAGNOSE alone is CP's own (hypercalls).
  it('emulates exactly the privileged instructions of the ISA table', () => {
    expect([...Object.keys(PRIVILEGED_OPS), 'DIAG'].sort()).toEqual(ISA.filter((d) => d.privileged).map((d) => d.mnemonic).sort());
  });

  // OSTEP appendix B: the guest OS handles a system call made by its user program. Under CP the
  // SVC traps to CP, which reflects it to the guest OS's handler; the handler returns with LPSW,
  // which traps to CP, which emulates it. Two CP entries, in that order, and nothing else.
  it('costs exactly 2 CP entries per guest system call, SVC reflected then LPSW emulated', () => {
    const s = session(`
${prelude({ LC_SVC_NEW: 'svch' })}        .org 0x200
start:  LPSW  userpsw               ; drop into problem state
user:   LHI   R5,7
        SVC   1                     ; the system call
        LR    R6,R5
        SVC   2                     ; second call: end
svch:   L     R7,LC_SVC_CODE
        CHI   R7,2
        JE    done
        AHI   R5,1                  ; the "kernel" does the work
        LPSW  LC_SVC_OLD            ; return to the user
done:   EXIT
        .align 8
userpsw: .psw PSW_PROBLEM, user
`);
    const events: TrapEvent[] = [];
    s.cp!.on((e) => events.push(e));
    const r = s.run(10_000);
    expect(r.success).toBe(true);
    expect(s.vm!.gpr[6]).toBe(8);
    const firstCall = events.findIndex((e) => e.cause === 'svc' && e.code === 1);
    const flow = events.slice(firstCall, firstCall + 3).map((e) => `${e.cause}:${e.action}:${e.instruction?.text.split(' ')[0]}`);
    expect(flow).toEqual(['svc:reflected:SVC', 'privileged:emulated:LPSW', 'svc:reflected:SVC']);
    expect(events[firstCall].after.flags & 0x10000).toBe(0); // reflected into the supervisor
    expect(events[firstCall + 1].after.flags & 0x10000).toBe(0x10000); // back to problem state
  });

  it('runs a compute loop with 0 CP entries (efficiency)', () => {
    const s = session(`
${prelude()}        .org 0x200
start:  LHI  R1,3
        LI   R2,100000
loop:   AR   R3,R1
        BRCT R2,loop
        EXIT
`);
    const events: TrapEvent[] = [];
    s.cp!.on((e) => events.push(e));
    expect(s.run(1_000_000).success).toBe(true);
    expect(s.vm!.gpr[3]).toBe(300000);
    // The only CP entries are the final LPSW (EXIT) and the halt record: none inside the loop.
    expect(events.filter((e) => e.action !== 'halt').map((e) => e.instruction?.text.split(' ')[0])).toEqual(['LPSW']);
    expect(s.vm!.counters.efficiency).toBeGreaterThan(0.99999);
  });

  it('regains control from a guest spinning with every interruption masked', () => {
    const s = session(`
        .org 0
        .psw 0, spin
        .org 0x200
spin:   J    spin
`);
    const r = s.run(123_457);
    expect(r.state).toBe('running');
    expect(r.reason).toBe('budget');
    expect(s.time).toBe(123_457);
  });

  it('keeps a guest inside its storage: wild stores are addressing exceptions, host storage untouched', () => {
    const s = session(`
${prelude({ LC_PROGRAM_NEW: 'pgm' })}        .org 0x200
start:  LI   R1,0x10000             ; first byte beyond 64 KiB
        ST   R1,0(R1)
        EXIT 4
pgm:    L    R2,LC_PGM_CODE
        CHI  R2,PGM_ADDRESSING
        JNE  bad
        EXIT
bad:    EXIT 8
`);
    expect(s.mem.length).toBe(64 * 1024 / 4);
    expect(s.run(1000).success).toBe(true);
  });

  it('stops a program-interruption loop with a diagnostic instead of spinning', () => {
    const s = session(`
        .org 0
        .psw 0, start
        .org LC_PROGRAM_NEW
        .psw 0, 0x300               ; the handler itself is an invalid instruction
        .org 0x200
start:  .word 0                     ; operation exception
`);
    const r = s.run(1_000_000);
    expect(r.state).toBe('ended');
    expect(r.reason).toBe('interruption-loop');
    expect(s.time).toBeLessThan(100);
  });
});

describe('CP services', () => {
  it('injects an external interruption with the EXTERNAL command (DIAGNOSE X\'08\') when the guest enables for it', () => {
    const s = session(`
${prelude({ LC_EXTERNAL_NEW: 'ext' })}        .org 0x200
start:  LA   R2,cmd
        LHI  R3,cmdlen
        DIAG R2,R3,DIAG_CP_COMMAND   ; ask CP to press our interrupt key
        JNZ  bad
        LHI  R4,0
        SSM  enable                  ; the interruption arrives here, not before
        LHI  R4,1
        EXIT 4
ext:    L    R5,LC_EXT_CODE
        CHI  R5,EXT_INTERRUPT_KEY
        JNE  bad
        LTR  R4,R4                   ; delivered right after SSM, before LHI R4,1
        JNZ  bad
        EXIT
bad:    EXIT 8
enable: .byte PSW_EXT >> 24
cmd:    .ascii "EXTERNAL"
cmdlen = * - cmd
`);
    const events: TrapEvent[] = [];
    s.cp!.on((e) => events.push(e));
    const r = s.run(10_000);
    expect(r).toMatchObject({ state: 'ended', reason: 'disabled-wait', code: 0, success: true });
    expect(events.map((e) => `${e.cause}:${e.action}`)).toEqual([
      'diagnose:hypercall', 'privileged:emulated', 'external:injected', 'privileged:emulated', 'wait:halt',
    ]);
  });

  it('answers DIAGNOSE IDENTIFY with the nesting level: 0 bare, 1 under CP', () => {
    const src = `
${prelude()}        .org 0x200
start:  DIAG R1,R2,DIAG_IDENTIFY
        DIAG R3,R3,DIAG_STORAGE_SIZE
        EXIT
`;
    const bare = session(src, 'bare'); bare.run(100);
    const vm = session(src, 'vm'); vm.run(100);
    expect(bare.guestState().gpr.slice(1, 4)).toEqual([0x54435000, 0, 65536]);
    expect(vm.guestState().gpr.slice(1, 4)).toEqual([0x54435000, 1, 65536]);
  });
});

describe('CP TRACE (the #CP TRACE of a VM console, also reachable by DIAGNOSE X\'08\')', () => {
  const SRC = `
${prelude({ LC_SVC_NEW: 'svch' })}        .org 0x200
start:  SVC   5
        SVC   6
        EXIT
svch:   LPSW  LC_SVC_OLD
`;
  function vmSession(lines: string[]) {
    const b = buildSourceOrThrow(SRC, 'trace.s');
    return new Session(b.image, { mode: 'vm', console: (l) => lines.push(l) });
  }

  it('narrates the selected traps on the VM console with TRACE ... RUN and leaves the guest alone', () => {
    const lines: string[] = [];
    const s = vmSession(lines);
    expect(s.cp!.command(s.vm!, 'TRACE SVC 6 RUN')).toBe(0);
    expect(lines).toEqual(['TRACING SVC CODE 6 RUN']);
    expect(s.run(1000).success).toBe(true);
    const narrated = lines.filter((l) => l.startsWith('*** #'));
    expect(narrated).toHaveLength(1); // SVC 6 only, not SVC 5 or the LPSWs
    expect(narrated[0]).toMatch(/at 000204: SVC 6/);
  });

  it('stops the VM at a NORUN trap; BEGIN resumes it; bad operands are refused with a reason', () => {
    const lines: string[] = [];
    const s = vmSession(lines);
    expect(s.cp!.command(s.vm!, 'TRACE PRIV BOGUS')).toBe(2);
    expect(lines.pop()).toMatch(/^INVALID OPERAND: 'BOGUS' is not a trace class/);
    expect(s.cp!.command(s.vm!, 'TRACE PRIV')).toBe(0); // NORUN is the default, as in VM/370
    let r = s.run(1000);
    expect(r.state).toBe('running');
    expect(r.reason).toBe('breakpoint');
    expect(s.vm!.stop!.reason).toBe('operator');
    const stoppedAt = s.vm!.ia;
    expect(stoppedAt).toBe(0x204); // after the first LPSW (return from SVC 5)
    expect(s.cp!.command(s.vm!, 'TRACE END')).toBe(0);
    expect(s.cp!.command(s.vm!, 'BEGIN')).toBe(0);
    r = s.run(1000);
    expect(r.success).toBe(true);
  });
});

describe('CP operator commands on a VM (DISPLAY, STORE, ADSTOP, BEGIN)', () => {
  const SRC = `
${prelude()}        .org 0x200
start:  LHI   R3,1
        SSM   mask                   ; a trap just before the ADSTOP address
here:   AHI   R3,1
        ST    R3,word
        EXIT
mask:   .byte 0
        .align 4
word:   .word 0
`;
  function vmSession(lines: string[]) {
    const b = buildSourceOrThrow(SRC, 'op.s');
    return { s: new Session(b.image, { mode: 'vm', console: (l) => lines.push(l) }), sym: b.image.symbols };
  }

  it('stops at an ADSTOP (even right after a trap), shows and changes state, and BEGIN resumes', () => {
    const lines: string[] = [];
    const { s, sym } = vmSession(lines);
    const cmd = (t: string) => s.cp!.command(s.vm!, t);
    expect(cmd(`ADSTOP ${sym.HERE.toString(16)}`)).toBe(0);
    let r = s.run(1000);
    expect(r.reason).toBe('breakpoint');
    expect(s.vm!.ia).toBe(sym.HERE);
    expect(lines).toContain(`ADSTOP AT ${hex(sym.HERE, 6)}`);
    lines.length = 0;
    expect(cmd('DISPLAY G 3')).toBe(0);
    expect(lines).toEqual(['GPR 3 = 00000001']);
    expect(cmd('STORE G 3 41')).toBe(0);
    expect(cmd('STORE G 3 XYZ')).toBe(2); // refused, nothing changed
    expect(s.vm!.gpr[3]).toBe(0x41);
    expect(cmd('BEGIN')).toBe(0);
    r = s.run(1000);
    expect(r.success).toBe(true);
    lines.length = 0;
    expect(cmd(`DISPLAY ${sym.WORD.toString(16)}.4`)).toBe(0);
    expect(lines[0]).toMatch(/^000[0-9A-F]{3}  00000042 /);
  });

  it('refuses addresses outside the VM\'s storage with a reason', () => {
    const lines: string[] = [];
    const { s } = vmSession(lines);
    expect(s.cp!.command(s.vm!, 'DISPLAY FFFF0.20')).toBe(2);
    expect(lines.pop()).toMatch(/outside the VM's storage/);
    expect(s.cp!.command(s.vm!, 'ADSTOP 202')).toBe(2);
    expect(lines.pop()).toMatch(/not a word-aligned address/);
  });
});

describe('OSTEP appendix B: the TLB-miss flow under CP (programs/tlbmiss.s)', () => {
  it('shows the flow trap by trap, and ends as on the bare machine', () => {
    const b = buildOrThrow('programs/tlbmiss.s');
    const vm = new Session(b.image, { mode: 'vm', recordInterrupts: true });
    const events: TrapEvent[] = [];
    vm.cp!.on((e) => events.push(e));
    expect(vm.run(10_000).success).toBe(true);
    const bare = new Session(b.image, { mode: 'bare', recordInterrupts: true });
    expect(bare.run(10_000).success).toBe(true);
    expect(vm.interrupts).toEqual(bare.interrupts);
    expect(vm.guestState()).toEqual(bare.guestState());
    const at = b.image.symbols;
    const flow = events.map((e) => [e.cause, e.action, e.instruction?.address ?? null, e.code]);
    const user = flow.findIndex(([c, a]) => c === 'translation' && a === 'reflected');
    expect(flow.slice(user - 1, user + 6)).toEqual([
      ['translation', 'shadow-fill', null, 0], // the user's first instruction fetch: shadow miss, guest maps it
      ['translation', 'reflected', at.UPROG + 8, 0x11], // the load: the guest's table says invalid -> its page fault
      ['privileged', 'emulated', at.PFAULT + 0x28, 0], // the OS's PTLB: CP purges the shadow table
      ['privileged', 'emulated', at.PFAULT + 0x2c, 0], // the OS returns with LPSW
      ['translation', 'shadow-fill', null, 0], // retry: fetch misses again (the shadow was purged)
      ['translation', 'shadow-fill', at.UPROG + 8, 0], // the load misses, the guest maps it now: fill
      ['svc', 'reflected', at.UPROG + 12, 0], // the load hit; the user's exit system call
    ]);
  });
});
