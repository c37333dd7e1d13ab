/**
 * Backing stores for fixed-block disks (PoO 8.10.5): an array of 512-byte blocks. The memory store
 * is here; the store in a host file is `src/host/file-blockstore.ts` (the CPU imports no node:
 * module, so it runs in a browser).
 */

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

/** Throw when `block` is outside the store (shared by the memory and file stores). */
export function checkBlock(store: BlockStore, block: number): void {
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
