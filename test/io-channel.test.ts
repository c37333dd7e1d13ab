import { describe, expect, it } from 'vitest';
import {
  CCW_CC, CCW_CD, CCW_SKIP, CCW_SLI, CHAN_INCORRECT_LENGTH, CHAN_PROGRAM_CHECK, CMD_CONTROL, CMD_READ,
  CMD_SENSE, CMD_TIC, CMD_WRITE, LC_CAW, LC_CSW, MAX_CCWS, UNIT_CHECK,
} from '../src/cpu/arch.ts';
import { loadWord, makeStorage, readBytes, storeWord, writeBytes } from '../src/cpu/storage.ts';
import { Channel, translateChannelProgram, type CcwEvent } from '../src/cpu/io/channel.ts';
import { Console3215 } from '../src/cpu/io/console.ts';
import { Printer1403, Reader2540 } from '../src/cpu/io/unitrecord.ts';
import { CE_DE, LATENCY, SENSE_COMMAND_REJECT, bytesToText, textToBytes } from '../src/cpu/io/types.ts';

const CONS = 0x009;
const RDR = 0x00c;
const PRT = 0x00e;

function ccw(mem: Int32Array, at: number, cmd: number, data: number, flags: number, count: number): void {
  storeWord(mem, at, (cmd << 24) | data);
  storeWord(mem, at + 4, (flags << 24) | count);
}
function setCaw(mem: Int32Array, addr: number): void { storeWord(mem, LC_CAW, addr); }
function csw(mem: Int32Array): [number, number] { return [loadWord(mem, LC_CSW) >>> 0, loadWord(mem, LC_CSW + 4) >>> 0]; }
function cswWord1(unit: number, chan: number, residual: number): number { return ((unit << 24) | (chan << 16) | residual) >>> 0; }
function text(mem: Int32Array, at: number, s: string): void { writeBytes(mem, at, textToBytes(s)); }

function machine() {
  const mem = makeStorage(64 * 1024);
  const out: string[] = [];
  const printed: string[] = [];
  const cons = new Console3215((l) => out.push(l));
  const prt = new Printer1403((l) => printed.push(l));
  const rdr = new Reader2540();
  const ch = new Channel();
  ch.attach(CONS, cons);
  ch.attach(PRT, prt);
  ch.attach(RDR, rdr);
  return { mem, out, printed, cons, prt, rdr, ch };
}

describe('channel: writes, chaining, TIC', () => {
  it('writes one line and interrupts at now + latency', () => {
    const { mem, out, ch } = machine();
    text(mem, 0x1000, 'HELLO');
    ccw(mem, 0x800, CMD_WRITE, 0x1000, 0, 5);
    setCaw(mem, 0x800);
    expect(ch.startIO(CONS, mem, 1000)).toBe(0);
    expect(out).toEqual(['HELLO']); // data moves at START I/O time
    const due = 1000 + LATENCY.CONSOLE + 5;
    expect(ch.nextInterruptTime()).toBe(due);
    expect(ch.testIO(CONS, mem, due - 1)).toBe(2);
    expect(ch.takeInterrupt(mem, due - 1)).toBe(-1);
    expect(ch.takeInterrupt(mem, due)).toBe(CONS);
    expect(csw(mem)).toEqual([0x808, cswWord1(CE_DE, 0, 0)]);
    expect(ch.nextInterruptTime()).toBe(Infinity);
    expect(ch.testIO(CONS, mem, due)).toBe(0);
  });

  it('command-chains two writes; the CSW points past the last CCW', () => {
    const { mem, out, ch } = machine();
    text(mem, 0x1000, 'ONE');
    text(mem, 0x1010, 'TWO!');
    ccw(mem, 0x800, CMD_WRITE, 0x1000, CCW_CC, 3);
    ccw(mem, 0x808, CMD_WRITE, 0x1010, 0, 4);
    setCaw(mem, 0x800);
    expect(ch.startIO(CONS, mem, 0)).toBe(0);
    expect(out).toEqual(['ONE', 'TWO!']);
    expect(ch.nextInterruptTime()).toBe(2 * LATENCY.CONSOLE + 7);
    expect(ch.testIO(CONS, mem, 10_000)).toBe(1);
    expect(csw(mem)).toEqual([0x810, cswWord1(CE_DE, 0, 0)]);
  });

  it('data-chains a write across CCWs (command codes of chained CCWs ignored)', () => {
    const { mem, out, ch } = machine();
    text(mem, 0x1000, 'HEL');
    text(mem, 0x2000, 'LO');
    ccw(mem, 0x800, CMD_WRITE, 0x1000, CCW_CD, 3);
    ccw(mem, 0x808, 0x00, 0x2000, 0, 2);
    setCaw(mem, 0x800);
    expect(ch.startIO(CONS, mem, 0)).toBe(0);
    expect(out).toEqual(['HELLO']);
    expect(ch.takeInterrupt(mem, 10_000)).toBe(CONS);
    expect(csw(mem)).toEqual([0x810, cswWord1(CE_DE, 0, 0)]);
  });

  it('data-chains a read, with SKIP and a TIC inside the chain', () => {
    const { mem, rdr, ch } = machine();
    rdr.load(['AAAABBBBCCCC']);
    ccw(mem, 0x800, CMD_READ, 0x1000, CCW_CD, 4);
    ccw(mem, 0x808, CMD_READ, 0x1100, CCW_CD | CCW_SKIP, 4);
    ccw(mem, 0x810, CMD_TIC, 0x900, 0, 0);
    ccw(mem, 0x900, CMD_READ, 0x1200, 0, 72);
    setCaw(mem, 0x800);
    expect(ch.startIO(RDR, mem, 0)).toBe(0);
    expect(bytesToText(readBytes(mem, 0x1000, 4))).toBe('AAAA');
    expect(readBytes(mem, 0x1100, 4)).toEqual(new Uint8Array(4)); // skipped: not stored
    expect(bytesToText(readBytes(mem, 0x1200, 4))).toBe('CCCC');
    expect(ch.takeInterrupt(mem, 10_000)).toBe(RDR);
    expect(csw(mem)).toEqual([0x908, cswWord1(CE_DE, 0, 0)]);
  });

  it('follows a TIC to the next command', () => {
    const { mem, out, ch } = machine();
    text(mem, 0x1000, 'A');
    text(mem, 0x1001, 'B');
    ccw(mem, 0x800, CMD_WRITE, 0x1000, CCW_CC, 1);
    ccw(mem, 0x808, CMD_TIC, 0xa00, 0, 0);
    ccw(mem, 0xa00, CMD_WRITE, 0x1001, 0, 1);
    setCaw(mem, 0x800);
    expect(ch.startIO(CONS, mem, 0)).toBe(0);
    expect(out).toEqual(['A', 'B']);
    ch.takeInterrupt(mem, 10_000);
    expect(csw(mem)[0]).toBe(0xa08);
  });

  it('stops a TIC loop with a channel program check after MAX_CCWS CCWs', () => {
    const { mem, ch } = machine();
    ccw(mem, 0x800, CMD_CONTROL, 0x1000, CCW_CC, 1);
    ccw(mem, 0x808, CMD_TIC, 0x800, 0, 0);
    setCaw(mem, 0x800);
    let events = 0;
    ch.ccws.add(() => { events++; });
    expect(ch.startIO(PRT, mem, 0)).toBe(0);
    expect(events).toBe(MAX_CCWS);
    const t = ch.nextInterruptTime();
    expect(t).toBe((MAX_CCWS / 2) * LATENCY.IMMEDIATE);
    expect(ch.takeInterrupt(mem, t)).toBe(PRT);
    const [, w1] = csw(mem);
    expect(w1).toBe(cswWord1(0, CHAN_PROGRAM_CHECK, 0));
  });

  it('stops an endless data chain (CD + TIC back) with a program check, no device call', () => {
    const { mem, out, ch } = machine();
    ccw(mem, 0x800, CMD_WRITE, 0x1000, CCW_CD, 1);
    ccw(mem, 0x808, CMD_TIC, 0x800, 0, 0);
    setCaw(mem, 0x800);
    expect(ch.startIO(CONS, mem, 0)).toBe(1); // nothing reached the device
    expect(out).toEqual([]);
    expect(csw(mem)[1]).toBe(cswWord1(0, CHAN_PROGRAM_CHECK, 0));
    expect(ch.testIO(CONS, mem, 0)).toBe(0);
  });

  it('rejects TIC to TIC, a zero count, an invalid command and a bad CAW with CC 1', () => {
    const { mem, ch } = machine();
    ccw(mem, 0x800, CMD_TIC, 0x808, 0, 0);
    ccw(mem, 0x808, CMD_TIC, 0x800, 0, 0);
    setCaw(mem, 0x800);
    expect(ch.startIO(CONS, mem, 0)).toBe(1);
    expect(csw(mem)).toEqual([0x810, cswWord1(0, CHAN_PROGRAM_CHECK, 0)]);

    ccw(mem, 0x800, CMD_WRITE, 0x1000, 0, 0);
    expect(ch.startIO(CONS, mem, 0)).toBe(1);
    expect(csw(mem)).toEqual([0x808, cswWord1(0, CHAN_PROGRAM_CHECK, 0)]);

    ccw(mem, 0x800, 0x00, 0x1000, 0, 1);
    expect(ch.startIO(CONS, mem, 0)).toBe(1);

    setCaw(mem, 0x804); // not doubleword aligned
    expect(ch.startIO(CONS, mem, 0)).toBe(1);
    expect(csw(mem)[1]).toBe(cswWord1(0, CHAN_PROGRAM_CHECK, 0));
    setCaw(mem, 0x0100_0800); // bits 4-7 not zero
    storeWord(mem, LC_CSW, 0);
    expect(ch.startIO(CONS, mem, 0)).toBe(1);
    expect(csw(mem)).toEqual([0, cswWord1(0, CHAN_PROGRAM_CHECK, 0)]);
    setCaw(mem, 0xfffff8); // beyond 64 KiB storage
    expect(ch.startIO(CONS, mem, 0)).toBe(1);
  });
});

describe('channel: storage bounds and incorrect length', () => {
  it('a data area beyond storage is a program check and storage is untouched', () => {
    const { mem, rdr, ch } = machine();
    rdr.load(['X'.repeat(80)]);
    const size = mem.length * 4;
    ccw(mem, 0x800, CMD_READ, size - 10, 0, 80);
    setCaw(mem, 0x800);
    const before = mem.slice();
    expect(ch.startIO(RDR, mem, 0)).toBe(1);
    const after = mem.slice();
    after[LC_CSW >> 2] = before[LC_CSW >> 2];
    after[(LC_CSW + 4) >> 2] = before[(LC_CSW + 4) >> 2];
    expect(after).toEqual(before);
    expect(csw(mem)[1]).toBe(cswWord1(0, CHAN_PROGRAM_CHECK, 0));
    expect(rdr.remaining).toBe(1); // the card was not read
  });

  it('a later bad CCW ends the program with a program check interruption', () => {
    const { mem, out, ch } = machine();
    text(mem, 0x1000, 'OK');
    ccw(mem, 0x800, CMD_WRITE, 0x1000, CCW_CC, 2);
    ccw(mem, 0x808, CMD_WRITE, 0xfffff0, 0, 0x20);
    setCaw(mem, 0x800);
    expect(ch.startIO(CONS, mem, 0)).toBe(0);
    expect(out).toEqual(['OK']);
    expect(ch.takeInterrupt(mem, LATENCY.CONSOLE + 2)).toBe(CONS);
    expect(csw(mem)).toEqual([0x810, cswWord1(0, CHAN_PROGRAM_CHECK, 0)]);
  });

  it('reports incorrect length without SLI and stops chaining', () => {
    const { mem, rdr, out, ch } = machine();
    rdr.load(['CARD1', 'CARD2']);
    ccw(mem, 0x800, CMD_READ, 0x1000, CCW_CC, 100);
    ccw(mem, 0x808, CMD_READ, 0x1100, 0, 80);
    setCaw(mem, 0x800);
    expect(ch.startIO(RDR, mem, 0)).toBe(0);
    expect(ch.takeInterrupt(mem, 1e9)).toBe(RDR);
    expect(csw(mem)).toEqual([0x808, cswWord1(CE_DE, CHAN_INCORRECT_LENGTH, 20)]);
    expect(rdr.remaining).toBe(1); // the chained read did not run
    expect(out).toEqual([]);
  });

  it('SLI suppresses incorrect length and chaining goes on', () => {
    const { mem, rdr, ch } = machine();
    rdr.load(['CARD1', 'CARD2']);
    ccw(mem, 0x800, CMD_READ, 0x1000, CCW_CC | CCW_SLI, 100);
    ccw(mem, 0x808, CMD_READ, 0x1100, CCW_SLI, 40);
    setCaw(mem, 0x800);
    expect(ch.startIO(RDR, mem, 0)).toBe(0);
    expect(ch.takeInterrupt(mem, 1e9)).toBe(RDR);
    expect(csw(mem)).toEqual([0x810, cswWord1(CE_DE, 0, 0)]); // record longer than count: residual 0
    expect(rdr.remaining).toBe(0);
    expect(bytesToText(readBytes(mem, 0x1100, 5))).toBe('CARD2');
    expect(readBytes(mem, 0x1128, 8)).toEqual(new Uint8Array(8)); // only 40 bytes stored
  });

  it('a printer line longer than 132 prints 132 bytes with incorrect length', () => {
    const { mem, printed, ch } = machine();
    text(mem, 0x1000, 'P'.repeat(140));
    ccw(mem, 0x800, CMD_WRITE, 0x1000, 0, 140);
    setCaw(mem, 0x800);
    expect(ch.startIO(PRT, mem, 0)).toBe(0);
    expect(printed).toEqual(['P'.repeat(132)]);
    ch.takeInterrupt(mem, 1e9);
    expect(csw(mem)[1]).toBe(cswWord1(CE_DE, CHAN_INCORRECT_LENGTH, 8));
  });

  it('reader end of file is a unit exception, without incorrect length', () => {
    const { mem, ch } = machine();
    ccw(mem, 0x800, CMD_READ, 0x1000, 0, 80);
    setCaw(mem, 0x800);
    expect(ch.startIO(RDR, mem, 0)).toBe(0);
    expect(ch.takeInterrupt(mem, LATENCY.READER)).toBe(RDR);
    expect(csw(mem)).toEqual([0x808, cswWord1(CE_DE | 0x01, 0, 80)]);
  });

  it('an unknown command is a command reject, and SENSE says so', () => {
    const { mem, ch } = machine();
    ccw(mem, 0x800, 0x05, 0x1000, CCW_CC, 1); // a write-type command the console lacks
    ccw(mem, 0x808, CMD_WRITE, 0x1000, 0, 1);
    setCaw(mem, 0x800);
    expect(ch.startIO(CONS, mem, 0)).toBe(0);
    ch.takeInterrupt(mem, 1e9);
    expect(csw(mem)).toEqual([0x808, cswWord1(CE_DE | UNIT_CHECK, 0, 1)]);
    ccw(mem, 0x800, CMD_SENSE, 0x1000, 0, 1);
    expect(ch.startIO(CONS, mem, 1e9)).toBe(0);
    ch.takeInterrupt(mem, 2e9);
    expect(readBytes(mem, 0x1000, 1)[0]).toBe(SENSE_COMMAND_REJECT);
    expect(csw(mem)[1]).toBe(cswWord1(CE_DE, 0, 0));
  });
});

describe('channel: console input, busy, not operational, halt', () => {
  it('a console read waits for input, then resumes at the arrival time', () => {
    const { mem, out, cons, ch } = machine();
    text(mem, 0x1000, 'NAME?');
    ccw(mem, 0x800, CMD_WRITE, 0x1000, CCW_CC, 5);
    ccw(mem, 0x808, CMD_READ, 0x1100, CCW_SLI, 20);
    setCaw(mem, 0x800);
    expect(ch.startIO(CONS, mem, 0)).toBe(0);
    expect(out).toEqual(['NAME?']);
    expect(ch.nextInterruptTime()).toBe(Infinity);
    expect(ch.testIO(CONS, mem, 5000)).toBe(2);
    expect(ch.startIO(CONS, mem, 5000)).toBe(2);
    expect(ch.status(CONS, 5000)).toBe('waiting');
    cons.input('ADA');
    expect(ch.inputArrived(CONS, 5000)).toBe(true);
    expect(bytesToText(readBytes(mem, 0x1100, 3))).toBe('ADA');
    expect(cons.transcript).toEqual(['ADA']);
    const due = 5000 + LATENCY.CONSOLE + 3;
    expect(ch.nextInterruptTime()).toBe(due);
    expect(ch.takeInterrupt(mem, due)).toBe(CONS);
    expect(csw(mem)).toEqual([0x810, cswWord1(CE_DE, 0, 17)]);
  });

  it('input typed early is queued; a long line is truncated with incorrect length', () => {
    const { mem, cons, ch } = machine();
    cons.input('ABCDEFGHIJ');
    ccw(mem, 0x800, CMD_READ, 0x1100, 0, 4);
    setCaw(mem, 0x800);
    expect(ch.startIO(CONS, mem, 10)).toBe(0);
    expect(ch.inputArrived(CONS, 10)).toBe(false); // nothing was waiting
    expect(bytesToText(readBytes(mem, 0x1100, 5))).toBe('ABCD\0');
    ch.takeInterrupt(mem, 1e9);
    expect(csw(mem)[1]).toBe(cswWord1(CE_DE, CHAN_INCORRECT_LENGTH, 0));
  });

  it('the program resumes no earlier than it reached the waiting read', () => {
    const { mem, cons, ch } = machine();
    text(mem, 0x1000, 'PROMPT');
    ccw(mem, 0x800, CMD_WRITE, 0x1000, CCW_CC, 6);
    ccw(mem, 0x808, CMD_READ, 0x1100, CCW_SLI, 20);
    setCaw(mem, 0x800);
    ch.startIO(CONS, mem, 0);
    cons.input('X');
    ch.inputArrived(CONS, 3); // typed while the prompt was still being written
    expect(ch.nextInterruptTime()).toBe(LATENCY.CONSOLE + 6 + LATENCY.CONSOLE + 1);
  });

  it('HALT I/O ends a waiting read now; idle is CC 0', () => {
    const { mem, ch } = machine();
    expect(ch.haltIO(CONS, mem, 0)).toBe(0);
    ccw(mem, 0x800, CMD_READ, 0x1100, 0, 20);
    setCaw(mem, 0x800);
    expect(ch.startIO(CONS, mem, 0)).toBe(0);
    expect(ch.haltIO(CONS, mem, 700)).toBe(1);
    expect(ch.nextInterruptTime()).toBe(700);
    expect(ch.haltIO(CONS, mem, 700)).toBe(0); // interruption pending: nothing to halt
    expect(ch.takeInterrupt(mem, 700)).toBe(CONS);
    expect(csw(mem)).toEqual([0x808, cswWord1(CE_DE, 0, 20)]);
  });

  it('HALT I/O on a busy device brings its interruption forward', () => {
    const { mem, ch } = machine();
    text(mem, 0x1000, 'X');
    ccw(mem, 0x800, CMD_WRITE, 0x1000, 0, 1);
    setCaw(mem, 0x800);
    ch.startIO(PRT, mem, 0);
    expect(ch.haltIO(PRT, mem, 50)).toBe(1);
    expect(ch.takeInterrupt(mem, 50)).toBe(PRT);
  });

  it('busy and interruption-pending devices give CC 2; TIO clears; CC 3 when absent', () => {
    const { mem, ch } = machine();
    text(mem, 0x1000, 'X');
    ccw(mem, 0x800, CMD_WRITE, 0x1000, 0, 1);
    setCaw(mem, 0x800);
    expect(ch.startIO(PRT, mem, 0)).toBe(0);
    expect(ch.startIO(PRT, mem, 1)).toBe(2); // busy
    expect(ch.startIO(CONS, mem, 1)).toBe(0); // other devices are independent
    expect(ch.status(PRT, LATENCY.PRINTER)).toBe('interrupt-pending');
    expect(ch.startIO(PRT, mem, LATENCY.PRINTER)).toBe(2); // interruption pending
    expect(ch.testIO(PRT, mem, LATENCY.PRINTER)).toBe(1);
    expect(csw(mem)).toEqual([0x808, cswWord1(CE_DE, 0, 0)]);
    expect(ch.startIO(PRT, mem, LATENCY.PRINTER)).toBe(0);
    expect(ch.startIO(0x123, mem, 0)).toBe(3);
    expect(ch.testIO(0x123, mem, 0)).toBe(3);
    expect(ch.haltIO(0x123, mem, 0)).toBe(3);
    expect(ch.status(0x123, 0)).toBe('none');
  });

  it('takes interruptions earliest first, ties by lowest address', () => {
    const mem = makeStorage(64 * 1024);
    const ch = new Channel();
    const a = new Printer1403();
    const b = new Printer1403();
    const c = new Printer1403();
    ch.attach(0x30, a);
    ch.attach(0x20, b);
    ch.attach(0x10, c);
    ccw(mem, 0x800, CMD_WRITE, 0x1000, 0, 1);
    setCaw(mem, 0x800);
    ch.startIO(0x30, mem, 0);
    ch.startIO(0x20, mem, 0);
    ch.startIO(0x10, mem, 5);
    expect(ch.nextInterruptTime()).toBe(LATENCY.PRINTER);
    expect([ch.takeInterrupt(mem, 1e9), ch.takeInterrupt(mem, 1e9), ch.takeInterrupt(mem, 1e9), ch.takeInterrupt(mem, 1e9)])
      .toEqual([0x20, 0x30, 0x10, -1]);
  });
});

describe('channel: trace, translation, snapshots', () => {
  it('reports every CCW to its subscribers, TICs included', () => {
    const { mem, ch } = machine();
    ccw(mem, 0x800, CMD_WRITE, 0x1000, CCW_CC, 1);
    ccw(mem, 0x808, CMD_TIC, 0x900, 0, 0);
    ccw(mem, 0x900, CMD_WRITE, 0x1000, 0, 1);
    setCaw(mem, 0x800);
    const events: CcwEvent[] = [];
    ch.ccws.add((e) => events.push(e));
    ch.startIO(CONS, mem, 7);
    expect(events.map((e) => [e.device, e.ccwAddress, e.command, e.time])).toEqual([
      [CONS, 0x800, CMD_WRITE, 7], [CONS, 0x808, CMD_TIC, 7 + LATENCY.CONSOLE + 1], [CONS, 0x900, CMD_WRITE, 7 + LATENCY.CONSOLE + 1],
    ]);
  });

  it('translateChannelProgram lists the CCWs or names the failing one', () => {
    const mem = makeStorage(64 * 1024);
    ccw(mem, 0x800, CMD_WRITE, 0x1000, CCW_CD, 1);
    ccw(mem, 0x808, 0, 0x1001, CCW_CC, 1);
    ccw(mem, 0x810, CMD_TIC, 0x900, 0, 0);
    ccw(mem, 0x900, CMD_READ, 0x1000, 0, 80);
    ccw(mem, 0x908, CMD_WRITE, 0x1000, 0, 1); // not reached: 0x900 chains nothing
    setCaw(mem, 0x800);
    const t = translateChannelProgram(mem);
    expect('error' in t).toBe(false);
    expect(t.ccws.map((c) => c.address)).toEqual([0x800, 0x808, 0x810, 0x900]);
    ccw(mem, 0x900, CMD_READ, 0x1000, 0, 0);
    const bad = translateChannelProgram(mem, 0x800);
    expect(bad).toMatchObject({ error: 'count is zero', ccwAddress: 0x900 });
  });

  it('save/restore replays a session to the same outputs', () => {
    const { mem, out, cons, rdr, ch } = machine();
    rdr.load(['FIRST', 'SECOND']);
    cons.input('typed');
    const snapMem = mem.slice();
    const snap = structuredClone(ch.save());
    const session = (): string[] => {
      // read a card, echo it; read a console line, echo it
      ccw(mem, 0x800, CMD_READ, 0x1000, 0, 80);
      setCaw(mem, 0x800);
      expect(ch.startIO(RDR, mem, 0)).toBe(0);
      ccw(mem, 0x808, CMD_WRITE, 0x1000, CCW_CC, 6);
      ccw(mem, 0x810, CMD_READ, 0x1100, CCW_SLI | CCW_CC, 10);
      ccw(mem, 0x818, CMD_WRITE, 0x1100, 0, 5);
      setCaw(mem, 0x808);
      expect(ch.startIO(CONS, mem, 0)).toBe(0);
      ch.takeInterrupt(mem, 1e9);
      ch.takeInterrupt(mem, 1e9);
      return [...out];
    };
    const first = session();
    expect(first).toEqual(['FIRST ', 'typed']);
    expect(rdr.remaining).toBe(1);
    out.length = 0;
    mem.set(snapMem);
    ch.restore(snap);
    expect(rdr.remaining).toBe(2);
    expect(cons.transcript).toEqual([]);
    expect(session()).toEqual(first);
  });

  it('save/restore keeps a waiting read and a busy operation', () => {
    const { mem, cons, ch } = machine();
    ccw(mem, 0x800, CMD_READ, 0x1100, CCW_SLI, 10);
    setCaw(mem, 0x800);
    ch.startIO(CONS, mem, 0);
    ccw(mem, 0x808, CMD_CONTROL, 0x1100, 0, 1);
    setCaw(mem, 0x808);
    ch.startIO(PRT, mem, 0);
    const snap = structuredClone(ch.save());
    ch.reset();
    expect(ch.status(CONS, 0)).toBe('idle');
    ch.restore(snap);
    expect(ch.status(CONS, 0)).toBe('waiting');
    expect(ch.status(PRT, 0)).toBe('busy');
    cons.input('hi');
    expect(ch.inputArrived(CONS, 100)).toBe(true);
    expect(ch.takeInterrupt(mem, 1e9)).toBe(PRT);
    expect(ch.takeInterrupt(mem, 1e9)).toBe(CONS);
    expect(csw(mem)).toEqual([0x808, cswWord1(CE_DE, 0, 8)]);
  });
});
