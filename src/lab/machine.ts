/**
 * Run the lab's guests on CP's time-sharing system (src/timesharing/time-sharing-system.ts): a directory made in
 * memory, one user per VM, each IPLed from an image built by build.ts, every console line the
 * guest writes captured with the VM's virtual time. The spool CP keeps lives in a temporary
 * folder removed by `close()`. Everything is deterministic: same configuration, same lines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Directory, MdiskEntry, UserEntry } from '../timesharing/directory.ts';
import { DEFAULT_LIMITS } from '../timesharing/directory.ts';
import { TimeSharingSystem, type UserVm } from '../timesharing/time-sharing-system.ts';
import type { ObjectImage } from '../guest/object.ts';

/** A console line and when the VM wrote it: its virtual time, and CP's real time (all VMs' instructions). */
export interface Line { text: string; at: number; real: number }

export interface LabVm {
  name: string; image: ObjectImage; storage: number; share: number;
  /** Minidisks: blocks of image files in the machine's temporary folder. */
  mdisks?: { vaddr: number; image: string; blocks: number }[];
}

export class LabMachine {
  readonly sys: TimeSharingSystem;
  readonly lines = new Map<string, Line[]>();
  /** The temporary folder: spool, minidisk images. */
  readonly work: string;
  private readonly images = new Map<string, ObjectImage>();

  constructor(vms: readonly LabVm[], quantum = 5_000) {
    this.work = mkdtempSync(join(tmpdir(), 'tinycp-lab-'));
    const users: UserEntry[] = vms.map((v, i) => ({
      name: v.name, password: 'LAB', storage: v.storage, ipl: null, console: 0x009, spool: [], links: [],
      mdisks: (v.mdisks ?? []).map((d): MdiskEntry => ({
        vaddr: d.vaddr, image: d.image, first: 0, blocks: d.blocks, mode: 'W', passwords: { R: null, W: null, M: null }, line: i + 1,
      })),
      autolog: false, share: v.share, classes: 'G', fsync: false, limits: { ...DEFAULT_LIMITS }, line: i + 1,
    }));
    const dir: Directory = { file: 'lab.direct', base: this.work, users, script: [], passwords: false };
    try {
      this.sys = new TimeSharingSystem(dir, { spoolDir: join(this.work, 'spool'), logDir: null, quantum });
      for (const v of vms) {
        this.sys.logon(v.name);
        this.images.set(v.name, v.image);
        this.ipl(v.name);
      }
    } catch (e) { this.close(); throw e; }
  }

  /** The user's VM as CP keeps it. */
  user(name: string): UserVm { return this.sys.users.get(name)!; }

  /** IPL a VM again from its image (CP re-IPLs it alone); its captured lines go on. */
  ipl(name: string): void {
    const u = this.user(name);
    const err = this.sys.iplImage(u, this.images.get(name)!);
    if (err) throw new Error(`${name}: ${err}`);
    const out = this.lines.get(name) ?? [];
    this.lines.set(name, out);
    u.vm.consoleWrite = (text) => { if (out.length < 100_000) out.push({ text, at: u.vm.now, real: this.sys.cp.realNow }); };
  }

  /** Run every VM until all are idle or stopped, or `max` real instructions. */
  run(max: number): 'idle' | 'budget' { return this.sys.runUntilQuiet(max, 10_000); }

  /** Real instructions CP has run so far (all VMs). */
  get realTime(): number { return this.sys.cp.realTime; }

  close(): void { rmSync(this.work, { recursive: true, force: true }); }
}
