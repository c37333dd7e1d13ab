/**
 * Backing stores for fixed-block disks (PoO 8.10.5): an array of 512-byte blocks, in memory or
 * in a host file. A FileBlockStore may be a slice of a larger image (a CP minidisk extent): block
 * 0 of the store is block `firstBlock` of the file, and the store is exactly `blocks` long, so a
 * guest can never reach outside its extent.
 */

import * as fs from 'node:fs';

/** Bytes per block. */
export const BLOCK_SIZE = 512;

/** An array of BLOCK_SIZE-byte blocks. Callers (the disk) check `block < blocks` first. */
export interface BlockStore {
  /** Number of blocks. */
  readonly blocks: number;
  /** Copy block `block` into `out` (BLOCK_SIZE bytes). */
  read(block: number, out: Uint8Array): void;
  /** Write BLOCK_SIZE bytes of `data` to block `block`; durable against a host process crash on return. */
  write(block: number, data: Uint8Array): void;
  /** Make written data durable against a host crash (fsync). */
  flush?(): void;
  /** Snapshot of the contents, if the store supports it (memory stores do, file stores do not). */
  save?(): unknown;
  restore?(state: unknown): void;
}

function checkBlock(store: BlockStore, block: number): void {
  // A bug in the caller, never a guest error: the disk checks the range and reports unit check.
  if (!Number.isInteger(block) || block < 0 || block >= store.blocks) {
    throw new RangeError(`block ${block} is outside 0..${store.blocks - 1}`);
  }
}

/** Blocks in host memory (zero-filled at first). Snapshots copy the whole contents. */
export class MemoryBlockStore implements BlockStore {
  readonly blocks: number;
  private bytes: Uint8Array;

  /** @param init optional initial contents (copied; shorter is zero-padded). */
  constructor(blocks: number, init?: Uint8Array) {
    if (!Number.isInteger(blocks) || blocks < 1) throw new RangeError(`bad block count ${blocks}`);
    this.blocks = blocks;
    this.bytes = new Uint8Array(blocks * BLOCK_SIZE);
    if (init) this.bytes.set(init.subarray(0, this.bytes.length));
  }

  read(block: number, out: Uint8Array): void {
    checkBlock(this, block);
    out.set(this.bytes.subarray(block * BLOCK_SIZE, (block + 1) * BLOCK_SIZE));
  }

  write(block: number, data: Uint8Array): void {
    checkBlock(this, block);
    this.bytes.set(data.subarray(0, BLOCK_SIZE), block * BLOCK_SIZE);
  }

  save(): unknown { return this.bytes.slice(); }
  restore(state: unknown): void { this.bytes.set(state as Uint8Array); }
}

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
