/**
 * A fixed-block disk's backing store in a host file (PoO 8.10.5). A FileBlockStore may be a slice
 * of a larger image (a CP minidisk extent): block 0 of the store is block `firstBlock` of the file,
 * and the store is exactly `blocks` long, so a guest can never reach outside its extent.
 */

import * as fs from 'node:fs';
import { BLOCK_SIZE, checkBlock, type BlockStore } from '../cpu/io/blockstore.ts';

/** Options of a FileBlockStore. */
export interface FileBlockStoreOptions {
  /** First block of the extent within the file (default 0). */
  firstBlock?: number;
  /** Blocks in the extent. Required when the file does not exist yet; default: the rest of the file. */
  blocks?: number;
}

/**
 * Blocks in a host file, read and written synchronously (fs.readSync / fs.writeSync), so a write
 * that completed is in the host's file before the guest can see its I/O interruption. The file is
 * opened on first use, and created then (sized to firstBlock + blocks blocks) if missing; an
 * existing file is never truncated, and blocks beyond its end read as zeros.
 * Contents are outside channel snapshots: reverse execution must copy the file itself.
 */
export class FileBlockStore implements BlockStore {
  readonly blocks: number;
  readonly path: string;
  readonly firstBlock: number;
  private fd = -1;

  constructor(path: string, options: FileBlockStoreOptions = {}) {
    this.path = path;
    this.firstBlock = options.firstBlock ?? 0;
    if (!Number.isInteger(this.firstBlock) || this.firstBlock < 0) throw new RangeError(`bad firstBlock ${this.firstBlock}`);
    let blocks = options.blocks;
    if (blocks === undefined) {
      if (!fs.existsSync(path)) throw new Error(`${path}: the file does not exist, so its size (blocks) must be given`);
      blocks = Math.floor(fs.statSync(path).size / BLOCK_SIZE) - this.firstBlock;
    }
    if (!Number.isInteger(blocks) || blocks < 1) throw new RangeError(`${path}: bad block count ${blocks}`);
    this.blocks = blocks;
  }

  private open(): number {
    if (this.fd < 0) {
      const exists = fs.existsSync(this.path);
      this.fd = fs.openSync(this.path, exists ? 'r+' : 'w+');
      if (!exists) fs.ftruncateSync(this.fd, (this.firstBlock + this.blocks) * BLOCK_SIZE);
    }
    return this.fd;
  }

  read(block: number, out: Uint8Array): void {
    checkBlock(this, block);
    const fd = this.open();
    const n = fs.readSync(fd, out, 0, BLOCK_SIZE, (this.firstBlock + block) * BLOCK_SIZE);
    out.fill(0, n, BLOCK_SIZE);
  }

  write(block: number, data: Uint8Array): void {
    checkBlock(this, block);
    const fd = this.open();
    let done = 0;
    while (done < BLOCK_SIZE) {
      done += fs.writeSync(fd, data, done, BLOCK_SIZE - done, (this.firstBlock + block) * BLOCK_SIZE + done);
    }
  }

  flush(): void { if (this.fd >= 0) fs.fsyncSync(this.fd); }

  /** Close the host file (it reopens on next use). */
  close(): void {
    if (this.fd >= 0) { fs.closeSync(this.fd); this.fd = -1; }
  }
}
