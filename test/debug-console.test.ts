/**
 * The debugger's CP console: breakpoints, watchpoints, trace classes and filters, displays and
 * stores, refusals that change nothing, and the rule that debugging never changes the guest.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Session } from '../src/session/session.ts';
import { buildOrThrow } from './guest-helpers.ts';
import { fullState, harness, HELLO, TRAPS } from './debug-helpers.ts';
import { tempDir } from './tmp.ts';

const MODES = ['bare', 'vm'] as const;

describe.each(MODES)('debugger console (%s)', (mode) => {
  it('starts before the first instruction and runs to the end', () => {
    const h = harness(TRAPS, mode);
    expect(h.d.position).toBe(0);
    expect(h.d.whereLine()).toMatch(/^000200 {2}LHI R5,0 .*traps\.s:17/);
    const lines = h.cmd('BEGIN');
    expect(lines.join('\n')).toContain('program ended: disabled wait, code 0 (success)');
    expect(h.out).toEqual(['traps: I/O', 'traps: DIAGNOSE']);
    expect(h.cmd('BEGIN')[0]).toMatch(/has ended/);
  });

  it('ADSTOP on symbols stops before the instruction, every time, until ADSTOP OFF', () => {
    const h = harness(TRAPS, mode);
    expect(h.cmd('ADSTOP sub iodone')[0]).toBe('ADSTOP SET AT 000280 (SUB) 000234 (IODONE)');
    for (let turn = 1; turn <= 5; turn++) {
      const s = h.cmd('B');
      expect(s[0]).toBe('ADSTOP 000280 (SUB)');
      expect(h.cmd('D G5')[0]).toBe(`GPR 5 = ${turn.toString(16).padStart(8, '0')}`);
    }
    expect(h.cmd('BEGIN')[0]).toBe('ADSTOP 000234 (IODONE)');
    expect(h.cmd('ADSTOP OFF')).toEqual(['ADSTOP OFF']);
    expect(h.cmd('BEGIN').join('\n')).toContain('code 0 (success)');
  });

  it('WATCH stops after the store that changed the range', () => {
    const h = harness(TRAPS, mode);
    expect(h.cmd('WATCH counter')[0]).toMatch(/^WATCH SET ON 0002B0\.4 \(COUNTER\)$/);
    const s = h.cmd('BEGIN');
    expect(s[0]).toMatch(/WATCH 0002B0\.4: 00000000 -> 00000001/);
    expect(s[1]).toMatch(/BAL R14,SUB/);
    expect(h.cmd('BEGIN')[0]).toMatch(/00000001 -> 00000002/);
  });

  it('STEP n executes n instructions', () => {
    const h = harness(TRAPS, mode);
    h.cmd('STEP 3');
    expect(h.d.position).toBe(3);
    expect(h.d.ia).toBe(0x20c);
    expect(h.cmd('STE').at(-1)).toMatch(/^000210 {2}ST R5,COUNTER/);
  });

  it('TRACE SVC stops with the narration: instruction, source line, decision, PSWs, counters', () => {
    const h = harness(TRAPS, mode);
    const text = h.cmd('TRACE SVC').concat(h.cmd('BEGIN')).join('\n');
    expect(text).toContain('TRACING SVC NORUN');
    expect(text).toMatch(/SVC 7/);
    expect(text).toContain('source: traps.s:24: SVC   7');
    expect(text).toMatch(/PSW before 0000[0-3]000 00000(21C|220)\n.*after  00000000 0000028C/);
    expect(text).toMatch(/\^/);
    expect(text).toContain('counters:');
    if (mode === 'vm') {
      expect(text).toContain('CP reflected: SUPERVISOR CALL is not privileged');
      expect(text).toMatch(/real PSW 0001[0-3]000/);
    } else {
      expect(text).toContain('the bare machine has no CP');
    }
    expect(h.d.ia).toBe(0x28c);
  });

  it('trace code filters select one SVC number, program code or DIAGNOSE code', () => {
    const h = harness(TRAPS, mode);
    h.cmd('TRACE SVC 8');
    expect(h.cmd('BEGIN').join('\n')).toContain('code 0 (success)');
    const h2 = harness(TRAPS, mode);
    h2.cmd('TRACE PROGRAM 1');
    const t = h2.cmd('BEGIN').join('\n');
    expect(t).toMatch(/operation exception \(code X'01'\)|a operation exception/);
    const h3 = harness(TRAPS, mode);
    h3.cmd('TRACE DIAG 10');
    const t3 = h3.cmd('BEGIN').join('\n');
    expect(t3).toContain('DIAG R14,R15,0x10');
    expect(t3).toContain(mode === 'vm' ? 'CP hypercall' : 'executed');
  });

  it('TRACE ... RUN logs and goes on; TRACE END stops tracing; QUERY TRACE shows the settings', () => {
    const h = harness(TRAPS, mode);
    h.cmd('TRACE ALL RUN');
    h.cmd('ADSTOP bad');
    const q = h.cmd('QUERY TRACE');
    expect(q[0]).toBe('TRACE ALL RUN');
    expect(q[1]).toMatch(/ADSTOP 000270 \(BAD\)/);
    const t = h.cmd('BEGIN');
    expect(t.filter((l) => l.startsWith('***')).length).toBeGreaterThanOrEqual(6);
    expect(t.some((l) => /^\*\*\* SVC/.test(l))).toBe(true);
    expect(t.some((l) => /^\*\*\* CCW/.test(l))).toBe(true);
    expect(t.join('\n')).toContain('code 0 (success)');
    expect(h.cmd('TRACE END')).toEqual(['TRACE ENDED']);
    expect(h.cmd('Q TRACE')[0]).toBe('NO TRACE SET');
  });

  it('TRACE INSTRUCTION stops after every instruction', () => {
    const h = harness(TRAPS, mode);
    h.cmd('TRACE INSTRUCTION');
    const t = h.cmd('BEGIN').join('\n');
    expect(t).toContain('LHI R5,0');
    expect(h.d.position).toBe(1);
  });

  it('DISPLAY and STORE: registers, control registers, PSW, storage, symbols', () => {
    const h = harness(TRAPS, mode);
    expect(h.cmd('STORE G 3 12345678 9')).toEqual(['GPR 3-4 STORED']);
    expect(h.cmd('D G3-4')).toEqual(['GPR 3 = 12345678 00000009']);
    expect(h.cmd('D C0')[0]).toMatch(/^CR  0 = /);
    expect(h.cmd('STORE counter 0000002A')).toEqual(['STORED 4 BYTE(S) AT 0002B0']);
    expect(h.cmd('D counter.4')[0]).toMatch(/^0002B0 {2}0000002A/);
    expect(h.cmd('D msg.A')[0]).toContain('*traps: I/O*');
    expect(h.cmd('D PSW')[0]).toMatch(/PSW = 00000000 00000200/);
    expect(h.cmd('STORE PSW 00000000 204')).toEqual(['PSW STORED']);
    expect(h.d.ia).toBe(0x204);
    expect(h.cmd('D I start.8')[1]).toMatch(/LHI R6,5/);
  });

  it('refuses bad commands with a named reason and changes nothing', () => {
    const h = harness(TRAPS, mode);
    h.cmd('STEP 4');
    const before = JSON.stringify(fullState(h.d));
    const bad: [string, RegExp][] = [
      ['FROB', /UNKNOWN CP COMMAND: FROB/],
      ['D NOSUCH', /'NOSUCH' is not a symbol or a hex address/],
      ['D FFFFFF.10', /outside the guest's storage/],
      ['STORE G 16 1', /register number '16' is not 0-15/],
      ['STORE G 1', /a value is missing/],
      ['STORE PSW 1 2', /not a valid PSW/],
      ['ADSTOP 201', /not word aligned/],
      ['TRACE BOGUS', /not a trace class/],
      ['TRACE', /NO TRACE SET/],
      ['STEP -1', /not a positive number/],
      ['BACK x', /not a positive number/],
      ['SYSTEM', /SYSTEM takes RESET/],
      ['WATCH 7FFFFFFF', /outside/],
    ];
    for (const [c, re] of bad) expect(h.cmd(c).join('\n'), c).toMatch(re);
    expect(JSON.stringify(fullState(h.d))).toBe(before);
    expect(h.d.timeline.journal.length).toBe(0);
  });

  it('QUERY, HELP and VM/370 abbreviations', () => {
    const h = harness(TRAPS, mode);
    expect(h.cmd('Q V')[0]).toMatch(mode === 'vm' ? /^VM GUEST UNDER CP {2}STORAGE = 1024K/ : /^BARE MACHINE/);
    expect(h.cmd('Q COUNTERS')[0]).toMatch(mode === 'vm' ? /direct 0, handled 0/ : /instructions 0/);
    const help = h.cmd('HELP').join('\n');
    for (const name of [
      'ADstop', 'Begin', 'BAck', 'STEp', 'Display', 'STore', 'TRace', 'WAtch', 'Query', 'Ipl', 'SYStem',
      'EXTernal', 'INput',
    ]) expect(help).toContain(name);
    expect(h.cmd('AD sub')[0]).toMatch(/ADSTOP SET/);
    expect(h.cmd('TR SVC')[0]).toBe('TRACING SVC NORUN');
  });

  it('IPL and SYSTEM RESET start over; EXTERNAL is journaled', () => {
    const h = harness(TRAPS, mode);
    h.cmd('BEGIN');
    expect(h.d.ended).toBe(true);
    h.cmd('IPL');
    expect(h.d.ended).toBe(false);
    expect(h.d.ia).toBe(0x200);
    expect(h.cmd('BEGIN').join('\n')).toContain('code 0 (success)');
    h.cmd('SYSTEM RESET');
    expect(h.d.psw().ia).toBe(0);
    h.cmd('EXTERNAL');
    expect(h.d.timeline.journal.map((j) => j.text)).toEqual(['IPL', 'SYSTEM RESET', 'EXTERNAL']);
  });
});

describe('debugging never changes what the guest does', () => {
  it.each(MODES)('same output, state and interruptions with and without breakpoints and traces (%s)', (mode) => {
    const b = buildOrThrow(TRAPS);
    const outPlain: string[] = [];
    const plain = new Session(b.image, { mode, console: (l) => outPlain.push(l), recordInterrupts: true });
    plain.run(1_000_000);
    const h = harness(TRAPS, mode);
    h.d.session.interrupts.length = 0;
    h.cmd('TRACE ALL NORUN'); h.cmd('TRACE INSTRUCTION RUN'); h.cmd('ADSTOP sub loop'); h.cmd('WATCH counter.8');
    let n = 0;
    while (!h.d.ended && n++ < 1000) h.cmd('BEGIN');
    expect(h.d.session.outcome).toEqual(plain.outcome);
    expect(h.d.session.guestState()).toEqual(plain.guestState());
    expect(h.out).toEqual(outPlain);
    expect([...h.d.mem]).toEqual([...plain.mem]);
  });
});

describe('tinycp debug (the command)', () => {
  it('reads commands from stdin, echoes them, and writes --trace-json records', () => {
    const json = resolve(tempDir(), 'trace.jsonl'); // removed when the test ends (test/tmp.ts)
    const r = spawnSync(process.execPath, [resolve(import.meta.dirname, '../bin/tinycp.mjs'), 'debug', '--vm', HELLO, '--trace-json', json], {
      input: 'ADSTOP iodone\nBEGIN\nD G2\nBEGIN\nQUIT\n', encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('CP> ADSTOP iodone');
    expect(r.stdout).toContain('Hello, world');
    expect(r.stdout).toContain('ADSTOP 000214 (IODONE)');
    expect(r.stdout).toContain('program ended: disabled wait, code 0 (success)');
    const recs = readFileSync(json, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(recs[0]).toMatchObject({ schema: 'tinycp-trace/1', seq: 1, vm: 'GUEST', origin: 'cp', cause: 'privileged', action: 'emulated' });
    expect(recs.map((x) => x.cause)).toContain('io');
    expect(recs.every((x, i) => x.seq === i + 1)).toBe(true);
  });
});
