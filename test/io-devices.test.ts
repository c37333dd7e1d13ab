import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CCW_CC, CHAN_INCORRECT_LENGTH, CMD_READ, CMD_SEEK, CMD_SENSE, CMD_WRITE, DEV_PUNCH, DEV_READER, LC_CAW, LC_CSW, UNIT_CHECK,
} from '../src/cpu/arch.ts';
import { loadWord, makeStorage, readBytes, storeWord, writeBytes } from '../src/cpu/storage.ts';
import { Channel } from '../src/cpu/io/channel.ts';
import { BLOCK_SIZE, MemoryBlockStore, type BlockStore } from '../src/cpu/io/blockstore.ts';
import { FileBlockStore } from '../src/host/file-blockstore.ts';
import { Disk3310 } from '../src/cpu/io/disk.ts';
import { Punch2540, Reader2540, makeCard } from '../src/cpu/io/unitrecord.ts';
import { CE_DE, LATENCY, SENSE_SEEK_CHECK, bytesToText, textToBytes } from '../src/cpu/io/types.ts';

const DISK = 0x190;
const PUN = DEV_PUNCH;

function ccw(mem: Int32Array, at: number, cmd: number, data: number, flags: number, count: number): void {
  storeWord(mem, at, (cmd << 24) | data);
  storeWord(mem, at + 4, (flags << 24) | count);
}
function csw(mem: Int32Array): [number, number] { return [loadWord(mem, LC_CSW) >>> 0, loadWord(mem, LC_CSW + 4) >>> 0]; }
function cswWord1(unit: number, chan: number, residual: number): number { return ((unit << 24) | (chan << 16) | residual) >>> 0; }

/** Run one channel program at CAW `at` to its interruption; returns the CSW. */
function run(ch: Channel, mem: Int32Array, dev: number, at: number): [number, number] {
  storeWord(mem, LC_CAW, at);
  expect(ch.startIO(dev, mem, 0)).toBe(0);
  expect(ch.takeInterrupt(mem, ch.nextInterruptTime())).toBe(dev);
  return csw(mem);
}

/** SEEK `block` then READ or WRITE one block at `buf`. */
function blockIo(ch: Channel, mem: Int32Array, block: number, cmd: number, buf: number, count = BLOCK_SIZE): [number, number] {
  storeWord(mem, 0x700, block);
  ccw(mem, 0x800, CMD_SEEK, 0x700, CCW_CC, 4);
  ccw(mem, 0x808, cmd, buf, 0, count);
  return run(ch, mem, DISK, 0x800);
}

function pattern(seed: number): Uint8Array {
  const b = new Uint8Array(BLOCK_SIZE);
  for (let i = 0; i < BLOCK_SIZE; i++) b[i] = (i * 7 + seed) & 0xff;
  return b;
}

function diskMachine(store: BlockStore) {
  const mem = makeStorage(64 * 1024);
  const disk = new Disk3310(store);
  const ch = new Channel();
  ch.attach(DISK, disk);
  return { mem, disk, ch };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tinycp-io-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('disk', () => {
  it('seek, write, read round trip in memory, with the documented latency', () => {
    const { mem, ch } = diskMachine(new MemoryBlockStore(16));
    writeBytes(mem, 0x2000, pattern(1));
    expect(blockIo(ch, mem, 5, CMD_WRITE, 0x2000)).toEqual([0x810, cswWord1(CE_DE, 0, 0)]);
    storeWord(mem, 0x700, 5);
    storeWord(mem, LC_CAW, 0x800);
    ccw(mem, 0x808, CMD_READ, 0x3000, 0, BLOCK_SIZE);
    expect(ch.startIO(DISK, mem, 1000)).toBe(0);
    expect(ch.nextInterruptTime()).toBe(1000 + LATENCY.DISK_SEEK + LATENCY.DISK_BLOCK);
    ch.takeInterrupt(mem, 1e9);
    expect(readBytes(mem, 0x3000, BLOCK_SIZE)).toEqual(pattern(1));
    // Another block is still zero.
    blockIo(ch, mem, 4, CMD_READ, 0x3000);
    expect(readBytes(mem, 0x3000, BLOCK_SIZE)).toEqual(new Uint8Array(BLOCK_SIZE));
  });

  it('READ advances to the next block, so chained reads are sequential', () => {
    const store = new MemoryBlockStore(4);
    store.write(2, pattern(2));
    store.write(3, pattern(3));
    const { mem, disk, ch } = diskMachine(store);
    storeWord(mem, 0x700, 2);
    ccw(mem, 0x800, CMD_SEEK, 0x700, CCW_CC, 4);
    ccw(mem, 0x808, CMD_READ, 0x2000, CCW_CC, BLOCK_SIZE);
    ccw(mem, 0x810, CMD_READ, 0x2200, 0, BLOCK_SIZE);
    run(ch, mem, DISK, 0x800);
    expect(readBytes(mem, 0x2000, BLOCK_SIZE)).toEqual(pattern(2));
    expect(readBytes(mem, 0x2200, BLOCK_SIZE)).toEqual(pattern(3));
    expect(disk.position).toBe(4);
    // Past the end: unit check, seek check.
    ccw(mem, 0x818, CMD_READ, 0x2000, 0, BLOCK_SIZE);
    expect(run(ch, mem, DISK, 0x818)[1]).toBe(cswWord1(CE_DE | UNIT_CHECK, 0, BLOCK_SIZE));
  });

  it('a block number beyond the disk is a unit check with sense "seek check"', () => {
    const { mem, ch } = diskMachine(new MemoryBlockStore(8));
    expect(blockIo(ch, mem, 8, CMD_WRITE, 0x2000)).toEqual([0x808, cswWord1(CE_DE | UNIT_CHECK, 0, 4)]);
    ccw(mem, 0x820, CMD_SENSE, 0x900, 0, 1);
    expect(run(ch, mem, DISK, 0x820)[1]).toBe(cswWord1(CE_DE, 0, 0));
    expect(readBytes(mem, 0x900, 1)[0]).toBe(SENSE_SEEK_CHECK);
    expect(blockIo(ch, mem, 0xffff_ffff, CMD_READ, 0x2000)[1]).toBe(cswWord1(CE_DE | UNIT_CHECK, 0, 4));
  });

  it('a count other than 512 is incorrect length', () => {
    const { mem, ch } = diskMachine(new MemoryBlockStore(8));
    expect(blockIo(ch, mem, 1, CMD_READ, 0x2000, 256)).toEqual([0x810, cswWord1(CE_DE, CHAN_INCORRECT_LENGTH, 0)]);
    writeBytes(mem, 0x2000, [1, 2, 3]);
    expect(blockIo(ch, mem, 1, CMD_WRITE, 0x2000, 3)[1]).toBe(cswWord1(CE_DE, CHAN_INCORRECT_LENGTH, 0));
    blockIo(ch, mem, 1, CMD_READ, 0x3000);
    const expected = new Uint8Array(BLOCK_SIZE);
    expected.set([1, 2, 3]); // a short write is zero-padded
    expect(readBytes(mem, 0x3000, BLOCK_SIZE)).toEqual(expected);
    expect(blockIo(ch, mem, 1, CMD_READ, 0x3000, 600)[1]).toBe(cswWord1(CE_DE, CHAN_INCORRECT_LENGTH, 88));
  });

  it('a file store survives reopening', () => {
    const file = path.join(tmp, 'disk.img');
    const store = new FileBlockStore(file, { blocks: 32 });
    expect(fs.existsSync(file)).toBe(false); // created on first use
    const { mem, ch } = diskMachine(store);
    writeBytes(mem, 0x2000, pattern(9));
    blockIo(ch, mem, 31, CMD_WRITE, 0x2000);
    expect(fs.statSync(file).size).toBe(32 * BLOCK_SIZE);
    store.flush();
    store.close();
    const again = diskMachine(new FileBlockStore(file));
    expect(again.disk.blocks).toBe(32);
    blockIo(again.ch, again.mem, 31, CMD_READ, 0x3000);
    expect(readBytes(again.mem, 0x3000, BLOCK_SIZE)).toEqual(pattern(9));
    (again.disk.store as FileBlockStore).close();
  });

  it('a minidisk extent maps onto its slice of the image and cannot leave it', () => {
    const file = path.join(tmp, 'volume.img');
    fs.writeFileSync(file, new Uint8Array(64 * BLOCK_SIZE));
    const store = new FileBlockStore(file, { firstBlock: 10, blocks: 4 });
    const { mem, ch } = diskMachine(store);
    writeBytes(mem, 0x2000, pattern(5));
    expect(blockIo(ch, mem, 3, CMD_WRITE, 0x2000)[1]).toBe(cswWord1(CE_DE, 0, 0));
    expect(blockIo(ch, mem, 4, CMD_WRITE, 0x2000)[1]).toBe(cswWord1(CE_DE | UNIT_CHECK, 0, 4));
    store.close();
    const image = fs.readFileSync(file);
    expect(image.length).toBe(64 * BLOCK_SIZE);
    expect(new Uint8Array(image.subarray(13 * BLOCK_SIZE, 14 * BLOCK_SIZE))).toEqual(pattern(5));
    // Nothing else changed: block 14 (the extent's "block 4") is still zero.
    expect(image.subarray(14 * BLOCK_SIZE, 15 * BLOCK_SIZE).every((b) => b === 0)).toBe(true);
    expect(image.subarray(0, 13 * BLOCK_SIZE).every((b) => b === 0)).toBe(true);
  });

  it('save/restore brings back the disk contents and position', () => {
    const { mem, disk, ch } = diskMachine(new MemoryBlockStore(4));
    writeBytes(mem, 0x2000, pattern(1));
    blockIo(ch, mem, 0, CMD_WRITE, 0x2000);
    const snap = structuredClone(ch.save());
    writeBytes(mem, 0x2000, pattern(2));
    blockIo(ch, mem, 0, CMD_WRITE, 0x2000);
    blockIo(ch, mem, 2, CMD_WRITE, 0x2000);
    ch.restore(snap);
    expect(disk.position).toBe(1);
    blockIo(ch, mem, 0, CMD_READ, 0x3000);
    expect(readBytes(mem, 0x3000, BLOCK_SIZE)).toEqual(pattern(1));
    blockIo(ch, mem, 2, CMD_READ, 0x3000);
    expect(readBytes(mem, 0x3000, BLOCK_SIZE)).toEqual(new Uint8Array(BLOCK_SIZE));
  });
});

describe('punch and reader', () => {
  it('punches 80-byte cards: short data padded, long data incorrect length', () => {
    const mem = makeStorage(64 * 1024);
    const cards: Uint8Array[] = [];
    const ch = new Channel();
    ch.attach(PUN, new Punch2540((c) => cards.push(c)));
    writeBytes(mem, 0x2000, textToBytes('//JOB' + 'Z'.repeat(80)));
    ccw(mem, 0x800, CMD_WRITE, 0x2000, 0, 5);
    expect(run(ch, mem, PUN, 0x800)).toEqual([0x808, cswWord1(CE_DE, 0, 0)]);
    ccw(mem, 0x800, CMD_WRITE, 0x2000, 0, 81);
    expect(run(ch, mem, PUN, 0x800)[1]).toBe(cswWord1(CE_DE, CHAN_INCORRECT_LENGTH, 1));
    expect(cards.map(bytesToText)).toEqual(['//JOB'.padEnd(80, ' '), '//JOB' + 'Z'.repeat(75)]);
  });

  it('reads cards in order, blank-padded, then end of file', () => {
    const mem = makeStorage(64 * 1024);
    const rdr = new Reader2540(['ONE', makeCard('TWO')]);
    const ch = new Channel();
    ch.attach(DEV_READER, rdr);
    ccw(mem, 0x800, CMD_READ, 0x2000, CCW_CC, 80);
    ccw(mem, 0x808, CMD_READ, 0x2050, CCW_CC, 80);
    ccw(mem, 0x810, CMD_READ, 0x20a0, 0, 80);
    expect(run(ch, mem, DEV_READER, 0x800)).toEqual([0x818, cswWord1(CE_DE | 0x01, 0, 80)]);
    expect(bytesToText(readBytes(mem, 0x2000, 160))).toBe('ONE'.padEnd(80) + 'TWO'.padEnd(80));
    rdr.load(['THREE']);
    ccw(mem, 0x800, CMD_READ, 0x2000, 0, 80);
    expect(run(ch, mem, DEV_READER, 0x800)[1]).toBe(cswWord1(CE_DE, 0, 0));
  });
});
