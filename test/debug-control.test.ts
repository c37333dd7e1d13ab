/**
 * The console's execution control and displays: what STEP changed, STEP OVER / RETURN,
 * conditional ADSTOPs, TRANSLATE / DISPLAY TLB / DISPLAY SHADOW (in `debug` and at a VM console
 * through CP's own command table), symbolic operands, macro body lines, bounded run commands
 * and WATCH on large ranges.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { executeAsync } from '../src/debug/commands.ts';
import { runCommand } from '../src/monitor/commands.ts';
import { harness, TRAPS } from './debug-helpers.ts';

const TLBMISS = resolve(import.meta.dirname, '../programs/tlbmiss.s');
const LOOP = resolve(import.meta.dirname, '../programs/bench/loop.s');
const SYSCALL = resolve(import.meta.dirname, '../programs/syscall.s');
const MODES = ['bare', 'vm'] as const;

describe.each(MODES)('console execution control (%s)', (mode) => {
  it('STEP lists the registers, PSW fields and storage the step changed, marked', () => {
    const h = harness(TRAPS, mode);
    let s = h.cmd('STEP 4'); // LHI R5,0; LHI R6,5; LHI R8,0; AHI R5,1
    expect(s).toContain('CHANGED:');
    expect(s).toContain('* R5      00000000 -> 00000001');
    expect(s).toContain('* R6      00000000 -> 00000005');
    expect(s.some((l) => l.startsWith('* R8'))).toBe(false); // 0 -> 0 is no change
    expect(s.at(-1)).toMatch(/^000210 {2}ST R5,COUNTER/);
    s = h.cmd('STEP'); // ST R5,counter
    expect(s).toContain('* 0002B0.4 (COUNTER) 00000000 -> 00000001');
    expect(s.filter((l) => l.startsWith('* R'))).toEqual([]);
    s = h.cmd('STEP 2'); // BAL into sub, L R7: a branch, not straight-line
    expect(s.find((l) => l.startsWith('* PSW'))).toMatch(/IA 000284 \(branch taken\)/);
    h.d.color = true;
    s = h.cmd('STEP');
    expect(s.join('\n')).toContain('\x1b[1;33m00000001\x1b[0m'); // AR R8,R7: the new value highlighted
  });

  it('STEP OVER runs a call to its return; STEP RETURN runs to the end of the routine', () => {
    const h = harness(TRAPS, mode);
    h.cmd('STEP 5');
    expect(h.d.ia).toBe(0x214); // BAL R14,SUB
    let s = h.cmd('STEP OVER');
    expect(h.d.ia).toBe(0x218);
    expect(h.d.position).toBe(9); // BAL and the three instructions of SUB
    expect(s).toContain('* R8      00000000 -> 00000001');
    expect(s.some((l) => l.startsWith('* PSW'))).toBe(false); // back at the next instruction, as expected
    h.cmd('STEP O'); // not a call: one instruction
    expect(h.d.position).toBe(10);
    h.cmd('ADSTOP sub'); h.cmd('BEGIN'); h.cmd('ADSTOP OFF');
    expect(h.d.ia).toBe(0x280);
    s = h.cmd('STEP RETURN');
    expect(h.d.ia).toBe(0x218); // BR R14 went back after the BAL
    expect(s.at(-1)).toMatch(/BRCT R6,LOOP/);
  });

  it('ADSTOP IF and COUNT stop only when the condition holds', () => {
    let h = harness(TRAPS, mode);
    expect(h.cmd('ADSTOP sub IF R5 = 3')).toEqual(['ADSTOP SET AT 000280 (SUB) IF R5 = 3']);
    expect(h.cmd('BEGIN')[0]).toBe('ADSTOP 000280 (SUB)');
    expect(h.cmd('D G5')[0]).toBe('GPR 5 = 00000003');
    expect(h.cmd('QUERY TRACE')[1]).toBe('ADSTOP 000280 (SUB) IF R5 = 3 (hits 1)');
    h = harness(TRAPS, mode);
    h.cmd('ADSTOP loop COUNT 4');
    expect(h.cmd('BEGIN')[0]).toBe('ADSTOP 00020C (LOOP)');
    expect(h.cmd('D G5')[0]).toBe('GPR 5 = 00000003'); // the fourth arrival
    expect(h.cmd('BEGIN')[0]).toBe('ADSTOP 00020C (LOOP)'); // and every later one
    expect(h.cmd('D G5')[0]).toBe('GPR 5 = 00000004');
    h = harness(TRAPS, mode);
    h.cmd('ADSTOP sub IF counter >= X\'2\' COUNT 2'); // a storage word, hex value, counted
    expect(h.cmd('BEGIN')[0]).toBe('ADSTOP 000280 (SUB)');
    expect(h.cmd('D counter')[0]).toMatch(/^0002B0 {2}00000003/);
    h.cmd('ADSTOP OFF');
    expect(h.cmd('BEGIN').join('\n')).toContain('code 0 (success)');
  });

  it('a bad condition is refused with its reason and sets nothing', () => {
    const h = harness(TRAPS, mode);
    for (const [cmd, reason] of [
      ['ADSTOP sub IF R16 = 3', /'R16' is not a register \(R0-R15\)/],
      ['ADSTOP sub IF R5 => 3', /is not 'operand op value'/],
      ['ADSTOP sub IF R5 3', /IF needs a comparison/],
      ['ADSTOP sub IF R5 = 1F', /'1F' is not a decimal number or a hex value written X'..'/],
      ['ADSTOP sub IF CC = 4', /a condition code is 0-3/],
      ['ADSTOP sub IF nosuch = 1', /'nosuch' is not a register \(R0-R15\), CC, a symbol or a hex address/],
      ['ADSTOP sub COUNT 0', /COUNT takes a positive decimal number/],
      ['ADSTOP IF R5 = 1', /an address or symbol is missing/],
      ['ADSTOP traps.s:1', /has no instruction/],
    ] as const) {
      const r = h.cmd(cmd);
      expect(r[0], cmd).toMatch(/^INVALID OPERAND: /);
      expect(r[0], cmd).toMatch(reason);
    }
    expect(h.d.breakpoints.size).toBe(0);
    expect(h.d.conditions.size).toBe(0);
  });

  it('STEP walks a macro expansion by its body lines, naming the call site; ADSTOP takes file:line', () => {
    const h = harness(TRAPS, mode);
    expect(h.cmd('ADSTOP tinycp.inc:39')).toEqual(['ADSTOP SET AT 00023C']);
    expect(h.cmd('BEGIN').at(-1)).toMatch(/^00023C {2}LHI R15,15 .*tinycp\.inc:39: LHI +R15,msg2len +\(macro SAY at traps\.s:30\)$/);
    expect(h.cmd('STEP').at(-1)).toMatch(/^000240 {2}DIAG R14,R15,0x10 .*tinycp\.inc:40: .*\(macro SAY at traps\.s:30\)$/);
    expect(h.cmd('STEP').at(-1)).toMatch(/^000244 {2}L R2,COUNTER +traps\.s:31:/); // out of the macro
  });

  it('the next instruction shows based operands by symbol', () => {
    const h = harness(TLBMISS, mode);
    h.cmd('ADSTOP map'); h.cmd('BEGIN');
    expect(h.d.whereLine()).toMatch(/^[0-9A-F]{6} {2}ST R2,PAGETAB /);
    h.cmd('STEP 4');
    expect(h.d.whereLine()).toMatch(/^[0-9A-F]{6} {2}ST R2,PAGETAB\+4 /);
    expect(h.cmd('D I map')[0]).toMatch(/ST R2,PAGETAB\+4 /);
    h.cmd('TRACE INSTRUCTION RUN');
    const traced = h.cmd('STEP 4').filter((l) => l.startsWith('*** INSTRUCTION'));
    expect(traced[0]).toMatch(/ ST R2,PAGETAB\+4 \(tlbmiss\.s:29\)/); // traces too, with the registers of that moment
    expect(traced[3]).toMatch(/ BRCT R4,MAP /);
  });

  it('TRANSLATE shows the guest walk beside the shadow table or TLB; DISPLAY TLB / SHADOW list them', () => {
    const h = harness(TLBMISS, mode);
    h.cmd('ADSTOP pfault'); h.cmd('BEGIN');
    let t = h.cmd('TRANSLATE 20008');
    expect(t[0]).toMatch(/^GUEST TABLES \(CR1 [0-9A-F]{8}: segment table at/);
    expect(t).toContain('  020008 = segment 0, page 20, byte 008');
    expect(t.find((l) => l.includes('page-table entry'))).toMatch(/= 00000400 \(invalid\)/);
    expect(t).toContain('  -> page-translation exception: the page-table entry is invalid');
    expect(t.join('\n')).toMatch(mode === 'vm' ? /CP SHADOW TABLE +page 020000: \(none\)/ : /TLB +page 020000: \(none\)/);
    h.cmd('ADSTOP sysexit'); h.cmd('BEGIN');
    t = h.cmd('TRANSLATE 20008');
    expect(t).toContain('  -> real address 020008');
    expect(t.join('\n')).toMatch(mode === 'vm' ? /CP SHADOW TABLE +page 020000: frame 020000/ : /TLB +page 020000: frame 020000/);
    const tlb = h.cmd('DISPLAY TLB');
    expect(tlb.join('\n')).toContain('020000->020000');
    if (mode === 'vm') {
      expect(h.cmd('DISPLAY SHADOW').join('\n')).toContain('020000->020000');
      // The same command at the VM's console, through CP's own command table.
      const vm = h.d.session.vm!, said: string[] = [];
      const saved = vm.consoleWrite;
      vm.consoleWrite = (l) => said.push(l);
      try {
        expect(runCommand(h.d.session.cp!, vm, 'TRANSLATE 20008')).toBe(0);
        expect(said).toContain('  -> real address 020008');
        expect(said.join('\n')).toMatch(/CP SHADOW TABLE +page 020000: frame 020000/);
        said.length = 0;
        expect(runCommand(h.d.session.cp!, vm, 'DISPLAY SHADOW')).toBe(0);
        expect(said.join('\n')).toContain('020000->020000');
        said.length = 0;
        expect(runCommand(h.d.session.cp!, vm, 'TRANS XYZ')).toBe(2);
        expect(said[0]).toMatch(/^INVALID OPERAND: 'XYZ' is not one hex virtual address/);
      } finally { vm.consoleWrite = saved; }
    } else {
      expect(h.cmd('DISPLAY SHADOW')[0]).toMatch(/^INVALID OPERAND: the bare machine has no CP/);
    }
  });

  it('STEP n and BEGIN stop at --max-instructions', () => {
    const h = harness(LOOP, mode, { maxRun: 1000 });
    let s = h.cmd('STEP 5000');
    expect(h.d.position).toBe(1000);
    expect(s[0]).toMatch(/1000 instructions.*limit 1000/);
    s = h.cmd('BEGIN');
    expect(h.d.position).toBe(2000);
    expect(s[0]).toMatch(/limit 1000/);
    h.cmd('STEP OVER'); // not a call
    expect(h.d.position).toBe(2001);
  });

  it('a long run command yields in slices and stops on attention', async () => {
    const h = harness(LOOP, mode, { maxRun: 1_000_000 });
    let slices = 0;
    const r = await executeAsync(h.d, 'BEGIN', () => ++slices >= 2);
    expect(h.d.position).toBe(400_000); // two slices of 200 000, then the attention key
    expect(r.stop!.lines[0]).toBe('attention: stopped after 400000 instructions');
    const s = await executeAsync(h.d, 'STEP 300000', () => false);
    expect(h.d.position).toBe(700_000);
    expect(s.stop!.lines.some((l) => /^\* R3 +[0-9A-F]{8} -> [0-9A-F]{8}$/.test(l))).toBe(true);
  });

  it('WATCH on a 64 KiB range still sees every change: a store inside it and the PSW swap of an interruption', () => {
    const h = harness(TRAPS, mode);
    expect(h.cmd('WATCH 0.10000')[0]).toBe('WATCH SET ON 000000.10000');
    const s = h.cmd('BEGIN');
    expect(s[0]).toBe('WATCH 000000.10000: 0002B3: 00 -> 01'); // a large range shows the bytes that changed
    expect(h.d.ia).toBe(0x214);
    h.cmd('WATCH OFF'); h.cmd('ADSTOP 21C'); h.cmd('BEGIN'); h.cmd('ADSTOP OFF'); // before SVC 7
    h.cmd('WATCH 20.8'); // the SVC old PSW: only the interruption writes it
    expect(h.cmd('BEGIN')[0]).toMatch(/^WATCH 000020\.8: [0-9A-F]{16} -> [0-9A-F]{16}$/);
  });
});

describe('WATCH under CP with the virtual-machine assist', () => {
  it('stops at the SVC whose old PSW the assist stored, where the bare machine stops', () => {
    const at = (mode: 'bare' | 'vm') => {
      const h = harness(SYSCALL, mode);
      h.cmd('WATCH 20.8'); // the SVC old PSW
      const s = h.cmd('BEGIN');
      expect(s[0]).toMatch(/^WATCH 000020\.8: 0{16} -> [0-9A-F]{16}$/);
      return h.d.position;
    };
    const vm = harness(SYSCALL, 'vm');
    expect(vm.d.session.vm!.assist).toBe(true); // nothing traces: the assist reflects the SVC
    expect(at('vm')).toBe(at('bare'));
  });
});

describe('the console program (tinycp debug) with these commands', () => {
  it('runs a scripted session: conditional ADSTOP, STEP OVER with its changes, TRANSLATE, a long STEP', async () => {
    const { PassThrough, Readable } = await import('node:stream');
    const { debugProgram } = await import('../src/cli/debug.ts');
    const stdout = new PassThrough(), stderr = new PassThrough();
    let text = '';
    stdout.on('data', (c) => { text += String(c); });
    const script = ['ADSTOP 214 IF R5 = 2', 'BEGIN', 'STEP OVER', 'TRANSLATE counter', 'ADSTOP OFF', 'STEP 250000', 'QUIT'];
    const rc = await debugProgram(
      TRAPS, { mode: 'vm', storage: 1 << 20, maxInstructions: 1000 },
      { stdin: Readable.from(script.map((l) => l + '\n')), stdout, stderr },
    );
    expect(rc).toBe(0);
    expect(text).toContain('ADSTOP SET AT 000214 IF R5 = 2');
    expect(text).toMatch(/CP> STEP OVER\nCHANGED:\n(\* .*\n)*\* R8 +00000001 -> 00000003\n/);
    expect(text).toContain('  -> real address 0002B0');
    expect(text).not.toMatch(/\x1b\[/); // not a terminal: markers only, no colour
    expect(text).toMatch(/stopped after \d+ instructions|program ended/);
  }, 60_000);
});
