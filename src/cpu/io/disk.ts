/**
 * A fixed-block disk, 3310-like (PoO 8.10.5): 512-byte blocks addressed by number. SEEK sets the
 * block; each READ or WRITE moves one block and then advances to the next, so a program can
 * SEEK once and chain several READs.
 */

import { CMD_CONTROL, CMD_READ, CMD_SEEK, CMD_SENSE, CMD_WRITE } from '../arch.ts';
import { BLOCK_SIZE, type BlockStore } from './blockstore.ts';
import {
  CE_DE, LATENCY, SENSE_COMMAND_REJECT, SENSE_EQUIPMENT_CHECK, SENSE_SEEK_CHECK, noOpResult, senseResult,
  unitCheckResult, type Device, type DeviceResult,
} from './types.ts';

/** Bytes of a SEEK argument: a big-endian block number. */
export const SEEK_SIZE = 4;

/** Plain-data state of a disk (see `Disk3310.save`). */
interface DiskState {
  block: number;
  sense: number;
  data: unknown;
}

/**
 * Disk commands: SEEK (0x07, 4-byte big-endian block number; fewer bytes: command reject, more:
 * incorrect length), READ (0x02) and WRITE (0x01) of one block (count other than 512: incorrect
 * length; a short WRITE is zero-padded, a long one writes the first 512 bytes), CONTROL (0x03)
 * no-op, SENSE (0x04). A block number at or past the end: unit check, sense SEEK_CHECK, and
 * nothing moves. A host I/O error: unit check, sense EQUIPMENT_CHECK.
 */
export class Disk3310 implements Device {
  readonly type = '3310';
  readonly store: BlockStore;
  /** The block the next READ or WRITE uses. */
  private block = 0;
  private senseByte = 0;
  /** Last host I/O error message (for the operator; not guest-visible beyond the sense byte). */
  lastHostError: string | null = null;

  constructor(store: BlockStore) {
    this.store = store;
  }

  /** Number of blocks. */
  get blocks(): number { return this.store.blocks; }

  /** The current block number (after the last SEEK and transfers). */
  get position(): number { return this.block; }

  command(cmd: number, data: Uint8Array | null, max: number): DeviceResult {
    if (cmd === CMD_SENSE) return senseResult(this.senseByte);
    this.senseByte = 0; // PoO 8.7: sense describes the last command only
    switch (cmd) {
      case CMD_SEEK: {
        if (data === null || data.length < SEEK_SIZE) return this.check(SENSE_COMMAND_REJECT, LATENCY.IMMEDIATE);
        const b = ((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3]) >>> 0;
        if (b >= this.store.blocks) return this.check(SENSE_SEEK_CHECK, LATENCY.DISK_SEEK);
        this.block = b;
        return { status: CE_DE, length: SEEK_SIZE, latency: LATENCY.DISK_SEEK };
      }
      case CMD_READ: {
        if (this.block >= this.store.blocks) return this.check(SENSE_SEEK_CHECK, LATENCY.IMMEDIATE);
        const out = new Uint8Array(BLOCK_SIZE);
        if (!this.host(() => this.store.read(this.block, out))) return this.check(SENSE_EQUIPMENT_CHECK, LATENCY.DISK_BLOCK);
        this.block++;
        return { status: CE_DE, data: out, latency: LATENCY.DISK_BLOCK };
      }
      case CMD_WRITE: {
        if (this.block >= this.store.blocks) return this.check(SENSE_SEEK_CHECK, LATENCY.IMMEDIATE);
        const buf = new Uint8Array(BLOCK_SIZE);
        const given = data ?? new Uint8Array(0);
        buf.set(given.subarray(0, BLOCK_SIZE));
        if (!this.host(() => this.store.write(this.block, buf))) return this.check(SENSE_EQUIPMENT_CHECK, LATENCY.DISK_BLOCK);
        this.block++;
        return { status: CE_DE, length: BLOCK_SIZE, latency: LATENCY.DISK_BLOCK };
      }
      case CMD_CONTROL:
        return noOpResult();
      default:
        return this.check(SENSE_COMMAND_REJECT, LATENCY.IMMEDIATE);
    }
  }

  /** SEEK takes its 4-byte argument, WRITE one block; CONTROL ignores its data. */
  outputLimit(cmd: number): number { return cmd === CMD_SEEK ? SEEK_SIZE : cmd === CMD_WRITE ? BLOCK_SIZE : 0; }

  sense(): Uint8Array { return Uint8Array.of(this.senseByte); }

  save(): unknown {
    const s: DiskState = { block: this.block, sense: this.senseByte, data: this.store.save ? this.store.save() : null };
    return s;
  }

  restore(state: unknown): void {
    const s = state as DiskState;
    this.block = s.block;
    this.senseByte = s.sense;
    if (this.store.restore && s.data !== null) this.store.restore(s.data);
  }

  private check(sense: number, latency: number): DeviceResult {
    this.senseByte = sense;
    return unitCheckResult(latency);
  }

  /** Run a host store operation; a host failure becomes an equipment check, never a host crash. */
  private host(op: () => void): boolean {
    try {
      op();
      return true;
    } catch (e) {
      this.lastHostError = e instanceof Error ? e.message : String(e);
      return false;
    }
  }
}
