/**
 * Minidisks (VM/370's DMKDAS/DMKCCW for DASD): a virtual Disk3310 whose blocks are an extent of a
 * real disk image, a host file. The guest's SEEK names a block of *its* disk, 0..blocks-1; the
 * FileBlockStore of the extent relocates it (+firstBlock) into the image, and the disk refuses a
 * block at or past the end of the extent with unit check, sense SEEK CHECK, before any data moves
 * (PoO 8.10.5). So no channel program can reach another user's blocks.
 *
 * A read-only minidisk (a read link, or an R-mode MDISK) is guarded twice: the device rejects every
 * write-class command with unit check, sense COMMAND REJECT (PoO 8.7), and its store refuses a
 * write outright, so even a CP bug cannot put guest data into the file.
 */
import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CMD_SENSE } from '../cpu/arch.ts';
import type { BlockStore } from '../cpu/io/blockstore.ts';
import { FileBlockStore } from '../host/file-blockstore.ts';
import { Disk3310 } from '../cpu/io/disk.ts';
import { imageKey } from './directory.ts';
import { SENSE_COMMAND_REJECT, senseResult, unitCheckResult, type Device, type DeviceResult } from '../cpu/io/types.ts';

/** A store that can be read but never written (the second guard of a read-only minidisk). */
export class ReadOnlyStore implements BlockStore {
  constructor(private readonly inner: BlockStore) {}
  get blocks(): number { return this.inner.blocks; }
  read(block: number, out: Uint8Array): void { this.inner.read(block, out); }
  write(): void { throw new Error('read-only minidisk'); }
}

/** PoO 8.3: write-class commands end in binary 01 (WRITE X'01' and its modifiers). */
const isWrite = (cmd: number) => (cmd & 3) === 1;

/** A minidisk as the guest sees it: a 3310 at a virtual address, read-write or read-only. */
export class MinidiskDevice implements Device {
  readonly type = '3310';
  readonly disk: Disk3310;
  /** The last command was a write refused for being read-only: SENSE reports COMMAND REJECT. */
  private rejected = false;

  constructor(store: BlockStore, readonly readOnly: boolean, readonly owner: string, readonly ownerVaddr: number) {
    this.disk = new Disk3310(readOnly ? new ReadOnlyStore(store) : store);
  }

  get blocks(): number { return this.disk.blocks; }

  command(cmd: number, data: Uint8Array | null, max: number): DeviceResult {
    if (cmd === CMD_SENSE && this.rejected) return senseResult(SENSE_COMMAND_REJECT);
    this.rejected = false;
    if (this.readOnly && isWrite(cmd)) { this.rejected = true; return unitCheckResult(); }
    return this.disk.command(cmd, data, max);
  }

  outputLimit(cmd: number): number { return this.disk.outputLimit(cmd); }

  sense(): Uint8Array { return this.rejected ? Uint8Array.of(SENSE_COMMAND_REJECT) : this.disk.sense(); }
}

/** How CP opens an extent of an image file (injectable: tests count the flushes). */
export type StoreOpener = (path: string, first: number, blocks: number) => BlockStore & { flush(): void; close(): void };

/**
 * A store whose every write is flushed to stable storage (fsync) before it returns, so a write
 * the guest saw complete survives a power loss, not only a crash of tinycp (OPTION FSYNC).
 */
export class SyncStore implements BlockStore {
  constructor(private readonly inner: BlockStore & { flush(): void }) {}
  get blocks(): number { return this.inner.blocks; }
  read(block: number, out: Uint8Array): void { this.inner.read(block, out); }
  write(block: number, data: Uint8Array): void { this.inner.write(block, data); this.inner.flush(); }
}

/**
 * The real disk images CP has open: one store per extent, shared by the owner and every link to
 * it (writes are synchronous, so sharing needs no cache coherence). Extents are keyed by the real
 * file (device and inode, `imageKey`), not its name: a relative and an absolute name of one
 * image are one file, and two extents of it that share a block are refused, whatever the
 * directory check said. `close()` at shutdown.
 */
export class DiskImages {
  private stores = new Map<string, { store: BlockStore & { flush(): void; close(): void }; file: string; first: number; blocks: number; who: string }>();
  /** @param dir folder that relative image paths resolve against */
  constructor(readonly dir: string, private readonly opener: StoreOpener = (path, first, blocks) => new FileBlockStore(path, { firstBlock: first, blocks })) {}

  /**
   * The store for blocks [first, first+blocks) of `image` (opened on first use), or why not: the
   * image cannot be created, or the extent shares blocks with another extent of the same file.
   * `who` names the extent in that message; `fsync` flushes every write.
   */
  extent(image: string, first: number, blocks: number, who: string, fsync = false): BlockStore | string {
    const path = resolve(this.dir, image);
    try {
      if (!existsSync(path)) closeSync(openSync(path, 'a'));
      if (!statSync(path).isFile()) return `MINIDISK IMAGE ${image} IS NOT A REGULAR FILE`; // a folder, FIFO or device is no disk
    } catch (e) {
      return `MINIDISK IMAGE ${image} CANNOT BE CREATED (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
    }
    const file = imageKey(path);
    const key = `${file}\u0000${first}\u0000${blocks}`;
    let s = this.stores.get(key);
    if (!s) {
      for (const o of this.stores.values()) {
        if (o.file === file && first < o.first + o.blocks && o.first < first + blocks) {
          const mine = `BLOCKS ${first}-${first + blocks - 1}`, theirs = `BLOCKS ${o.first}-${o.first + o.blocks - 1}`;
          return `MINIDISK ${who} (${mine} OF ${image}) OVERLAPS ${o.who} (${theirs}) OF THE SAME FILE`;
        }
      }
      s = { store: this.opener(path, first, blocks), file, first, blocks, who };
      this.stores.set(key, s);
    }
    return fsync ? new SyncStore(s.store) : s.store;
  }

  /** Flush and close every image (they reopen on next use). */
  close(): void {
    for (const s of this.stores.values()) { s.store.flush(); s.store.close(); }
  }
}
