/**
 * Issue 9: host work and memory per START I/O are bounded by what the device really transfers.
 * A data-chained console WRITE of 4,096 CCWs of 65,535 bytes used to be gathered into one
 * quarter-gigabyte buffer; now every device states its record (PoO 8.5) and the channel gathers
 * no more. These tests count bytes handed to devices, not time (see bench/io-worst.ts for time).
 */
import { describe, expect, it } from 'vitest';
import {
  CCW_CC, CCW_CD, CCW_SLI, CHAN_INCORRECT_LENGTH, CMD_CONTROL, CMD_SEEK, CMD_WRITE, LC_CAW, LC_CSW, MAX_CCWS,
} from '../src/cpu/arch.ts';
import { loadWord, makeStorage, storeWord } from '../src/cpu/storage.ts';
import { Channel } from '../src/cpu/io/channel.ts';
import { CONSOLE_LINE_SIZE, Console3215 } from '../src/cpu/io/console.ts';
import { Disk3310 } from '../src/cpu/io/disk.ts';
import { MemoryBlockStore } from '../src/cpu/io/blockstore.ts';
import { CARD_SIZE, LINE_SIZE, Printer1403, Punch2540 } from '../src/cpu/io/unitrecord.ts';
import { CE_DE, MAX_OUTPUT_RECORD, trimTrailingBlanks, type Device, type DeviceResult } from '../src/cpu/io/types.ts';

const DEV = 0x100;
const DATA = 0x10000;

function ccw(mem: Int32Array, at: number, cmd: number, data: number, flags: number, count: number): void {
  storeWord(mem, at, (cmd << 24) | data);
  storeWord(mem, at + 4, (flags << 24) | count);
}

/** The worst output program: MAX_CCWS CCWs of 65,535 bytes, data-chained (or command-chained). */
function worstProgram(cmd: number, chainFlag: number): Int32Array {
  const mem = makeStorage(1024 * 1024);
  for (let i = 0; i < 65_535; i++) mem[(DATA + i) >>> 2] = 0x41424344; // "ABCD..." (big-endian words)
  for (let i = 0; i < MAX_CCWS; i++) ccw(mem, 0x100 + 8 * i, cmd, DATA, i === MAX_CCWS - 1 ? 0 : chainFlag, 65_535);
  storeWord(mem, LC_CAW, 0x100);
  return mem;
}

/** Wraps a device and records the size of every output buffer it is handed. */
function spy(inner: Device): Device & { sizes: number[] } {
  const sizes: number[] = [];
  return {
    type: inner.type, sizes,
    command(cmd, data, max): DeviceResult { if (data) sizes.push(data.length); return inner.command(cmd, data, max); },
    outputLimit: inner.outputLimit?.bind(inner),
  };
}

function csw1(mem: Int32Array): number { return loadWord(mem, LC_CSW + 4) >>> 0; }

describe('bounded output per START I/O', () => {
  it('a data-chained console WRITE of 4,096 x 65,535 bytes gathers one line of 132 bytes', () => {
    const lines: string[] = [];
    const dev = spy(new Console3215((l) => lines.push(l)));
    const ch = new Channel();
    ch.attach(DEV, dev);
    const mem = worstProgram(CMD_WRITE, CCW_CD);
    expect(ch.startIO(DEV, mem, 0)).toBe(0);
    expect(dev.sizes).toEqual([CONSOLE_LINE_SIZE]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toHaveLength(CONSOLE_LINE_SIZE);
    expect(lines[0].slice(0, 8)).toBe('ABCDABCD');
    expect(ch.takeInterrupt(mem, Infinity)).toBe(DEV);
    // PoO 8.5, 8.6.1: the device took 132 bytes of the first CCW: incorrect length, residual 65,535 - 132.
    expect(csw1(mem)).toBe(((CE_DE << 24) | (CHAN_INCORRECT_LENGTH << 16) | (65_535 - CONSOLE_LINE_SIZE)) >>> 0);
    expect(loadWord(mem, LC_CSW) >>> 0).toBe(0x108);
  });

  it('a console WRITE of at most 132 bytes is the whole line, no incorrect length; SLI suppresses it beyond', () => {
    const lines: string[] = [];
    const ch = new Channel();
    ch.attach(DEV, new Console3215((l) => lines.push(l)));
    const mem = makeStorage(64 * 1024);
    ccw(mem, 0x100, CMD_WRITE, 0x1000, 0, CONSOLE_LINE_SIZE);
    storeWord(mem, LC_CAW, 0x100);
    ch.startIO(DEV, mem, 0);
    ch.takeInterrupt(mem, Infinity);
    expect(csw1(mem)).toBe((CE_DE << 24) >>> 0);
    ccw(mem, 0x100, CMD_WRITE, 0x1000, CCW_SLI, 200);
    ch.startIO(DEV, mem, 0);
    ch.takeInterrupt(mem, Infinity);
    expect(csw1(mem)).toBe(((CE_DE << 24) | (200 - CONSOLE_LINE_SIZE)) >>> 0);
    expect(lines.map((l) => l.length)).toEqual([CONSOLE_LINE_SIZE, CONSOLE_LINE_SIZE]);
  });

  it('command-chained console WRITEs with SLI: 4,096 lines of at most 132 bytes each', () => {
    const lines: string[] = [];
    const dev = spy(new Console3215((l) => lines.push(l)));
    const ch = new Channel();
    ch.attach(DEV, dev);
    const mem = worstProgram(CMD_WRITE, CCW_CC | CCW_SLI);
    storeWord(mem, 0x100 + 8 * (MAX_CCWS - 1) + 4, (CCW_SLI << 24) | 65_535);
    expect(ch.startIO(DEV, mem, 0)).toBe(0);
    expect(lines).toHaveLength(MAX_CCWS);
    expect(Math.max(...dev.sizes)).toBe(CONSOLE_LINE_SIZE);
    expect(dev.sizes.reduce((a, b) => a + b, 0)).toBe(MAX_CCWS * CONSOLE_LINE_SIZE);
  });

  const devices: [string, () => Device, number, number][] = [
    ['printer WRITE', () => new Printer1403(), CMD_WRITE, LINE_SIZE],
    ['punch WRITE', () => new Punch2540(), CMD_WRITE, CARD_SIZE],
    ['console CONTROL', () => new Console3215(), CMD_CONTROL, 0],
    ['printer CONTROL', () => new Printer1403(), CMD_CONTROL, 0],
    ['disk WRITE', () => new Disk3310(new MemoryBlockStore(16)), CMD_WRITE, 512],
    ['disk SEEK', () => new Disk3310(new MemoryBlockStore(16)), CMD_SEEK, 4],
  ];
  for (const [name, make, cmd, record] of devices) {
    it(`${name}: a 4,096-CCW data chain hands the device at most its record (${record} bytes)`, () => {
      const dev = spy(make());
      const ch = new Channel();
      ch.attach(DEV, dev);
      const mem = worstProgram(cmd, CCW_CD);
      ch.startIO(DEV, mem, 0);
      expect(dev.sizes).toEqual([record]);
    });
  }

  it('a device that states no record length is handed at most MAX_OUTPUT_RECORD bytes', () => {
    const sizes: number[] = [];
    const plain: Device = { type: 'X', command(_c, data): DeviceResult { sizes.push(data?.length ?? -1); return { status: CE_DE, latency: 1 }; } };
    const ch = new Channel();
    ch.attach(DEV, plain);
    ch.startIO(DEV, worstProgram(CMD_WRITE, CCW_CD), 0);
    expect(sizes).toEqual([MAX_OUTPUT_RECORD]);
  });

  it('a typed console line is cut to the console line length', () => {
    const c = new Console3215();
    c.input('X'.repeat(1_000_000));
    expect(c.pendingInput[0]).toHaveLength(CONSOLE_LINE_SIZE);
  });
});

describe('trimTrailingBlanks', () => {
  it('strips trailing blanks only, like /\\s+$/ on ASCII', () => {
    for (const s of ['', '   ', 'a', 'a  ', ' a b \t\r\n', 'a\u00a0']) expect(trimTrailingBlanks(s)).toBe(s.replace(/[ \t\n\v\f\r]+$/, ''));
  });
  it('is linear: a megabyte of blanks followed by a letter, then blanks, in one scan', () => {
    const s = ' '.repeat(1_000_000) + 'x' + ' '.repeat(1_000_000);
    expect(trimTrailingBlanks(s)).toHaveLength(1_000_001);
  });
});
