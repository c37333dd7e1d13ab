/**
 * What the virtual-machine assist (src/cpu/assist.ts, PoO 2.9) completes besides the OSTEP system
 * call: START / TEST / HALT I/O on the guest's own channel (SIE's I/O assist), LCTL of CR1 (a new
 * address space: the shadow table is the real TLB, LCTL purges it), and the DIAGNOSE functions
 * that need nothing but the guest's own state (IDENTIFY, STORAGE SIZE, CONSOLE WRITE). Each is
 * completed by the CPU (its counter says so), and the guest sees exactly what it sees without the
 * assist; DIAGNOSE X'08' and X'F0', PTLB and an exception in an assisted instruction still reach
 * CP; tracing turns the assist off. The same under the time-sharing system (spool, minidisks,
 * links, MTOS's task switches) and between two VMs joined by a channel-to-channel adapter.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WORKLOADS } from '../bench/workloads.ts';
import { INT_CLASS_NAMES, INT_IO, INT_PROGRAM, PGM_ADDRESSING } from '../src/cpu/arch.ts';
import { OP } from '../src/cpu/isa.ts';
import { storageHash } from '../src/cpu/storage.ts';
import { buildSource } from '../src/host/build.ts';
import { driverRun } from '../src/lab/driver.ts';
import { ControlProgram } from '../src/monitor/cp.ts';
import type { TrapEvent } from '../src/monitor/events.ts';
import type { VirtualMachine } from '../src/monitor/vm.ts';
import { Session, type Mode } from '../src/session/session.ts';
import { parseDirectory } from '../src/timesharing/directory.ts';
import { TimeSharingSystem } from '../src/timesharing/time-sharing-system.ts';
import { workDir } from './system-helpers.ts';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * The guest: DIAGNOSE X'00', X'0C', X'10' (one with an operand outside storage: an addressing
 * exception), I/O started, tested, halted, polled and interrupting a loop, two address spaces
 * switched by LCTL of CR1 with DAT on around a hot (compiled) loop, a PTLB, a CP command
 * (DIAGNOSE X'08') and the test result (X'F0').
 */
const GUEST = `
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
CONS = 0x009
start:  DIAG  R2,R3,DIAG_IDENTIFY
        CHKCC 0,1
        CHKR  R2,IDENTIFY_MAGIC,2
        ST    R3,level
        LHI   R3,0
        DIAG  R4,R5,DIAG_STORAGE_SIZE
        CHKR  R4,0x100000,3
        SAY   msg,msglen
        CHKCC 0,4
* CONSOLE WRITE of an operand outside storage: an addressing exception, nothing written
        EXPECT PGM_ADDRESSING,badw+4,0,10
        L     R14,=0xFFFF00
        LHI   R15,16
badw:   DIAG  R14,R15,DIAG_CONSOLE_WRITE
        TRAPPED 1,14
* START I/O, TEST I/O busy, HALT I/O of the operation in progress, its interruption in a wait
        SETNEW LC_IO_NEW,ioh
        LA    R1,ccw
        ST    R1,LC_CAW
        SIO   CONS
        CHKCC 0,20
        TIO   CONS
        CHKCC 2,21
        HIO   CONS
        CHKCC 1,22
        LPSW  waitio
ioh:    CHKM  LC_IO_ADDR,CONS,23
        TIO   CONS
        CHKCC 0,24
* polled: TEST I/O until the status is there
        SIO   CONS
        CHKCC 0,25
poll:   TIO   CONS
        BRC   2,poll
        CHKCC 1,26
* I/O enabled: the interruption comes in the middle of a loop, at one exact count
        SETNEW LC_IO_NEW,ioh2
        SIO   CONS
        STOSM sysm,PSW_IO>>24
        LHI   R6,0
spin:   AHI   R6,1
        J     spin
ioh2:   ST    R6,spins
        CHKM  LC_IO_ADDR,CONS,27
        LTR   R6,R6
        JNZ   spun
        FAIL  28
spun:
* Two address spaces: virtual page 3 is frame 5 in A, frame 6 in B; LCTL of CR1 with DAT on
        DATINIT segb,pageb
        LHI   R1,0x6000
        ST    R1,pageb+3*4
        DATINIT sega,pagea
        LHI   R1,0x5000
        ST    R1,pagea+3*4
        DATON
        BRAS  R14,sum
        CHKR  R8,100*0x11,40
        LCTL  R1,R1,cr1b
        BRAS  R14,sum
        CHKR  R8,100*0x22,41
        LCTL  R1,R1,cr1a
        L     R8,0x3000
        CHKR  R8,0x11,42
* PTLB after a page-table change (CP's)
        LHI   R1,0x6000
        ST    R1,pagea+3*4
        PTLB
        L     R8,0x3000
        CHKR  R8,0x22,43
        DATOFF
* A CP command (under CP: its answer on the console; bare: CC 3)
        LA    R6,cmd
        LHI   R7,cmdlen
        DIAG  R6,R7,DIAG_CP_COMMAND
        PASS
sum:    LHI   R7,100
        LHI   R8,0
suml:   A     R8,0x3000
        BRCT  R7,suml
        BR    R14
        .align 8
waitio: .psw  PSW_IO|PSW_WAIT, 0
ccw:    .ccw  CMD_WRITE, msg, 0, msglen
cr1a:   .word sega
cr1b:   .word segb
level:  .word -1
spins:  .word 0
sysm:   .byte 0
msg:    .ascii "assist: console write"
msglen = * - msg
cmd:    .ascii "QUERY TIME"
cmdlen = * - cmd
        .ltorg
        .org  0x5000
        .word 0x11
        .org  0x6000
        .word 0x22
        .org  0x7000
sega:   .space 64
pagea:  .space 1024
segb:   .space 64
pageb:  .space 1024
`;
const built = buildSource(GUEST, join(ROOT, 'programs/tests/assist-coverage.s'));
if (!built.ok) throw new Error(built.errors.join('\n'));
const image = built.image;

function run(mode: Mode, assist = true, trace?: (e: TrapEvent) => void) {
  const out: string[] = [];
  const s = new Session(image, { mode, console: (l) => out.push(l), recordInterrupts: true, assist });
  if (trace) s.cp!.on(trace);
  const outcome = s.run(1_000_000);
  return { s, vm: s.vm, seen: { outcome, out, interrupts: s.interrupts, state: s.guestState(), mem: storageHash(s.mem) } };
}

describe('the assist completes I/O, LCTL of CR1 and the guest-state DIAGNOSE codes', () => {
  it('the guest sees the same with it on and off', () => {
    const on = run('vm'), off = run('vm', false);
    expect(on.seen.outcome.success, on.seen.outcome.message).toBe(true);
    expect(on.seen).toEqual(off.seen);
    expect(on.seen.out).toContain('assist: console write');
    expect(on.seen.out.some((l) => l.startsWith('TIME: '))).toBe(true); // the CP command's answer, at the same virtual time
    // The addressing exception is the same program interruption, at the same time, as on the bare machine.
    const bare = run('bare');
    expect(bare.seen.outcome.success).toBe(true);
    expect(on.seen.interrupts).toEqual(bare.seen.interrupts);
    const pgm = on.seen.interrupts.filter((i) => i.cls === INT_CLASS_NAMES[INT_PROGRAM]);
    expect(pgm).toEqual([{ cls: INT_CLASS_NAMES[INT_PROGRAM], code: PGM_ADDRESSING, oldIa: image.symbols.BADW + 4, time: pgm[0].time }]);
    expect(on.seen.interrupts.filter((i) => i.cls === INT_CLASS_NAMES[INT_IO])).toHaveLength(2);
  });

  it('counts each new instruction completed by the assist; X\'08\', X\'F0\', the bad operand and PTLB reach CP', () => {
    const on = run('vm').vm!.assistCounters, off = run('vm', false).vm!.assistCounters;
    for (const op of [OP.SIO, OP.TIO, OP.HIO, OP.LCTL]) {
      expect(on.completed[op]).toBeGreaterThan(0);
      expect(on.passed[op]).toBe(0);
      expect(on.completed[op]).toBe(off.passed[op]);
    }
    expect(on.completed[OP.DIAG]).toBe(3); // IDENTIFY, STORAGE SIZE, CONSOLE WRITE
    expect(on.passed[OP.DIAG]).toBe(3); // the CONSOLE WRITE outside storage, the CP command, the test result
    expect(off.passed[OP.DIAG]).toBe(6);
    expect([on.completed[OP.PTLB], on.passed[OP.PTLB]]).toEqual([0, 1]);
    expect(on.total.completed + on.total.passed).toBe(off.total.passed);
  });

  it('is off while CP is traced: the trace sees every DIAGNOSE and I/O instruction', () => {
    const events: TrapEvent[] = [];
    const traced = run('vm', true, (e) => events.push(e)), off = run('vm', false);
    expect(traced.vm!.assistCounters.total.completed).toBe(0);
    expect(traced.seen).toEqual(off.seen);
    const by = (op: number) => events.filter((e) => e.instruction !== null && e.instruction.word >>> 24 === op).length;
    expect(by(OP.DIAG)).toBe(6);
    expect(by(OP.SIO) + by(OP.TIO) + by(OP.HIO)).toBe(off.vm!.assistCounters.passed[OP.SIO] + off.vm!.assistCounters.passed[OP.TIO]
      + off.vm!.assistCounters.passed[OP.HIO]);
    expect(events.filter((e) => e.cause === 'diagnose' && e.details.text === 'assist: console write')).toHaveLength(1);
  });

  it('--stats lists the assisted instructions one by one', () => {
    const { s } = run('vm');
    const text = s.statsText();
    expect(text).toMatch(/by instruction +completed \/ passed/);
    const c = s.vm!.assistCounters;
    expect(text).toMatch(new RegExp(`^ +SIO +${c.completed[OP.SIO]} / 0$`, 'm'));
    expect(text).toMatch(/^ +DIAG +3 \/ 3$/m);
    expect(text).toMatch(/^ +PTLB +0 \/ 1$/m);
  });
});

describe('the bench\'s MTOS and CMS workloads (issue 11: a hit ratio of at least 95%)', () => {
  for (const name of ['mtos', 'cms']) {
    it(`${name}: every exit completed by the assist, the same result as without it`, () => {
      const w = WORKLOADS.find((x) => x.name === name)!;
      const on = w.run({ mode: 'vm', reps: 1, assist: true }), off = w.run({ mode: 'vm', reps: 1, assist: false });
      expect(on.success).toBe(true);
      expect(on.result).toEqual(off.result);
      expect(on.instructions).toBe(off.instructions);
      expect(on.hitRatio).toBeGreaterThanOrEqual(0.95);
      expect(on.entries).toBeLessThan(off.entries);
    });
  }
});

/** Run `f` with every VM's assist off (CP's `assisting` answers no), whoever made the VMs. */
function assistOff<T>(f: () => T): T {
  const orig = ControlProgram.prototype.assisting;
  ControlProgram.prototype.assisting = () => false;
  try { return f(); } finally { ControlProgram.prototype.assisting = orig; }
}

/** Record the VMs CP dispatches (to read their assist counters after they are gone). */
function watchVms(): { vms: Set<VirtualMachine>; stop: () => void } {
  const orig = ControlProgram.prototype.assisting;
  const vms = new Set<VirtualMachine>();
  ControlProgram.prototype.assisting = function (vm) { vms.add(vm); return orig.call(this, vm); };
  return { vms, stop: () => { ControlProgram.prototype.assisting = orig; } };
}
const completed = (vms: Set<VirtualMachine>, op: number) => [...vms].reduce((a, v) => a + v.assistCounters.completed[op], 0);

describe('the assist under the time-sharing system', () => {
  let stopWatch: (() => void) | null = null;
  afterEach(() => { stopWatch?.(); stopWatch = null; });

  /** The demo (programs/demo/user.direct): CMS users with spool, minidisks and a LINK, MTOS, HELLO, a crasher. */
  function demo(assist: boolean) {
    const work = workDir();
    const file = join(ROOT, 'programs/demo/user.direct');
    const p = parseDirectory(readFileSync(file, 'utf8'), file, work);
    if (!p.ok) throw new Error(p.errors.join('\n'));
    const sys = new TimeSharingSystem(p.directory, { spoolDir: join(work, 'spool'), logDir: join(work, 'logs'), imageDir: work, assist });
    sys.boot();
    const vms = [...sys.cp.vms];
    sys.runUntilQuiet(50_000_000);
    const users = vms.map((v) => ({ user: v.name, state: v.state, stop: v.stop, instructions: v.counters.direct + v.counters.handled, now: v.now }));
    sys.shutdown();
    // Every file CP wrote (spool, printer files, console logs, minidisk images), by digest; the folder's name is the run's own.
    const here = (t: string) => t.split(work).join('<work>');
    const files = Object.fromEntries(readdirSync(work, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => {
      const f = join(d.parentPath, d.name);
      return [here(f), createHash('sha256').update(here(readFileSync(f, 'latin1')), 'latin1').digest('hex')];
    }));
    return { seen: { transcript: sys.mux.transcript.map(here), users, files }, vms };
  }

  it('the demo runs the same with the assist on and off: consoles, spool, printer files, minidisks, every VM\'s time', () => {
    const on = demo(true), off = demo(false);
    expect(on.seen).toEqual(off.seen);
    expect(on.seen.transcript.some((l) => l.includes('THIS NOTE WAS PUNCHED BY CMSA'))).toBe(true);
    const byName = (n: string) => on.vms.find((v) => v.name === n)!.assistCounters;
    for (const n of ['CMSA', 'CMSB']) {
      for (const op of [OP.SIO, OP.DIAG]) expect(byName(n).completed[op], `${n} ${op}`).toBeGreaterThan(5);
    }
    expect(byName('MTOS').completed[OP.LCTL]).toBeGreaterThan(10);
    expect(byName('MTOS').passed[OP.LCTL]).toBe(0);
  }, 120_000);

  it('two VMs joined by a channel-to-channel adapter (a write wakes the other VM): the same lines at the same real times', () => {
    const w = watchVms();
    stopWatch = w.stop;
    const on = [driverRun(-1), driverRun(9000)];
    w.stop(); stopWatch = null;
    const off = assistOff(() => [driverRun(-1), driverRun(9000)]);
    expect(on).toEqual(off);
    expect(on[1].outage).toBeGreaterThan(0);
    expect(completed(w.vms, OP.SIO)).toBeGreaterThan(100);
    expect(completed(w.vms, OP.DIAG)).toBeGreaterThan(100);
  }, 120_000);
});
