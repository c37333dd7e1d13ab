/**
 * Live guest relocation between two `tinycp system` processes (as z/VM's VMRELOCATE moves a
 * running guest between members of a cluster). The source CP takes the VM off its real CPU between
 * two dispatches, serialises it (registers, PSW, control registers, clocks, shadow table,
 * counters, the storage pages that are not zero, the channel with its devices' state, and every
 * block of its minidisks) and sends it as one JSON line over TCP on 127.0.0.1. The target checks
 * that it can give the VM what it has (a directory entry for the user, not logged on there, as
 * much storage, the console at the same address, a writable minidisk at each address with as many
 * blocks), builds the VM with exactly the same storage size and devices, restores everything,
 * writes the minidisk blocks into its own image, and dispatches it; its console output goes on on
 * the target. A refusal comes back with a reason and the VM keeps running at the source.
 * A VM with spooled unit-record devices is not moved: spool files do not travel.
 */
import { createConnection, createServer, type Server } from 'node:net';
import { Console3215 } from '../cpu/io/console.ts';
import { Channel } from '../cpu/io/channel.ts';
import { TLB_ENTRIES } from '../cpu/arch.ts';
import { MAX_STORAGE, MIN_STORAGE, makeStorage } from '../cpu/storage.ts';
import type { ClocksState } from '../cpu/clocks.ts';
import type { CpEntries, VmState, VmStop } from '../monitor/vm.ts';
import { VirtualMachine } from '../monitor/vm.ts';
import { MinidiskDevice } from '../timesharing/minidisk.ts';
import type { TimeSharingSystem, UserVm } from '../timesharing/time-sharing-system.ts';

const MAGIC = 'tinycp-relocate-1';
/** The most a relocation message may be (16M of storage and minidisks, base64, with room). */
const MAX_MESSAGE = 64 << 20;
const BLOCK = 512;
/** Minidisk blocks one relocation carries (24 MiB): with 16M of storage, base64, within MAX_MESSAGE. */
const MAX_DISK_BLOCKS = (24 << 20) / BLOCK;

export interface VmImage {
  magic: string;
  user: string;
  storage: number;
  console: number;
  instructions: number;
  vm: {
    gpr: number[]; cr: number[]; flags: number; cc: number; ia: number; now: number; clocks: ClocksState; shadow: string;
    state: VmState; stop: VmStop | null; intStreak: number;
    counters: { direct: number; handled: number; emulated: number; reflected: number; shadowFills: number; entries: CpEntries };
  };
  /** Storage pages (4K) that are not all zero: page number -> base64. */
  pages: Record<string, string>;
  channel: unknown;
  disks: { vaddr: number; blocks: number; position: unknown; data: string }[];
}

const b64 = (a: Int32Array | Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** Why `u` cannot be moved, or null. */
export function notRelocatable(u: UserVm): string | null {
  if (u.reader || u.punch || u.printer) return `VM ${u.entry.name} HAS SPOOLED UNIT-RECORD DEVICES: NOT RELOCATABLE (SPOOL FILES DO NOT MOVE)`;
  const blocks = [...u.disks.values()].reduce((a, d) => a + d.blocks, 0);
  if (blocks > MAX_DISK_BLOCKS) return `VM ${u.entry.name} HAS ${blocks} MINIDISK BLOCKS: AT MOST ${MAX_DISK_BLOCKS} ARE MOVED IN ONE MESSAGE`;
  for (const [vaddr, d] of u.disks) {
    if (d.owner !== u.entry.name || d.ownerVaddr !== vaddr) return `VM ${u.entry.name} HAS A LINKED MINIDISK AT ${hex3(vaddr)}: NOT RELOCATABLE`;
  }
  return null;
}

/** Serialise a VM that is not on the real CPU. */
export function captureVm(u: UserVm): VmImage {
  const v = u.vm, k = v.counters;
  const pages: Record<string, string> = {};
  for (let p = 0; p < v.mem.length; p += 1024) {
    const page = v.mem.subarray(p, p + 1024);
    if (page.some((w) => w !== 0)) pages[String(p >>> 10)] = b64(page);
  }
  const disks = [...u.disks].map(([vaddr, d]) => {
    const out = new Uint8Array(d.blocks * BLOCK);
    for (let b = 0; b < d.blocks; b++) d.disk.store.read(b, out.subarray(b * BLOCK, (b + 1) * BLOCK));
    const position = d.disk.save() as { data?: unknown };
    return { vaddr, blocks: d.blocks, position: { ...position, data: null }, data: b64(out) };
  });
  return {
    magic: MAGIC, user: u.entry.name, storage: v.size, console: u.consoleAddr, instructions: k.direct + k.handled,
    vm: {
      gpr: [...v.gpr], cr: [...v.cr], flags: v.flags, cc: v.cc, ia: v.ia, now: v.now, clocks: v.clocks.save(), shadow: b64(v.shadow),
      state: v.state, stop: v.stop ? { ...v.stop } : null, intStreak: v.intStreak,
      counters: { direct: k.direct, handled: k.handled, emulated: k.emulated, reflected: k.reflected, shadowFills: k.shadowFills, entries: { ...k.entries } },
    },
    pages, channel: u.channel.save(), disks,
  };
}

/** Take the VM out of the source system once it has moved (its table row says 'relocated'). */
export function releaseVm(sys: TimeSharingSystem, u: UserVm, to: string): void {
  sys.gone.push(sys.reportOf(u, 'relocated'));
  sys.cp.stopVm(u.vm, 'operator', 0, `relocated to ${to}`);
  u.vm.state = 'logged-off';
  const i = sys.cp.vms.indexOf(u.vm);
  if (i >= 0) sys.cp.vms.splice(i, 1);
  sys.users.delete(u.entry.name);
}

/** Check that the target can hold the VM; null when it can. */
export function refuseReason(sys: TimeSharingSystem, img: VmImage): string | null {
  if (img.magic !== MAGIC) return 'NOT A TINYCP RELOCATION MESSAGE';
  const entry = sys.dir.users.find((x) => x.name === img.user);
  if (!entry) return `USERID ${img.user} IS NOT IN THE TARGET'S DIRECTORY`;
  if (sys.users.has(img.user)) return `USERID ${img.user} IS ALREADY LOGGED ON AT THE TARGET`;
  const size = img.storage;
  if (!Number.isSafeInteger(size) || size < MIN_STORAGE || size > MAX_STORAGE || size % 4096 !== 0) return `BAD STORAGE SIZE ${String(size)}`;
  if (!['ready', 'idle', 'stopped'].includes(img.vm?.state)) return `BAD VM STATE ${String(img.vm?.state)}`;
  const badDisk = (d: VmImage['disks'][number]) => !Number.isSafeInteger(d?.vaddr) || !Number.isSafeInteger(d?.blocks) || d.blocks < 1;
  if (!Array.isArray(img.disks) || img.disks.some(badDisk)) return 'BAD MINIDISK LIST';
  if (entry.storage < img.storage) return `THE TARGET GIVES ${img.user} ${entry.storage / 1024}K OF STORAGE; THE VM HAS ${img.storage / 1024}K`;
  if (entry.console !== img.console) return `THE TARGET'S CONSOLE FOR ${img.user} IS AT ${hex3(entry.console)}; THE VM'S IS AT ${hex3(img.console)}`;
  for (const d of img.disks) {
    const md = entry.mdisks.find((m) => m.vaddr === d.vaddr);
    if (!md) return `THE TARGET HAS NO MINIDISK ${hex3(d.vaddr)} FOR ${img.user}`;
    if (md.mode === 'R') return `THE TARGET'S MINIDISK ${hex3(d.vaddr)} FOR ${img.user} IS READ-ONLY`;
    if (md.blocks < d.blocks) return `THE TARGET'S MINIDISK ${hex3(d.vaddr)} FOR ${img.user} HAS ${md.blocks} BLOCKS; THE VM'S HAS ${d.blocks}`;
  }
  return null;
}

/** Build the VM on the target from its image (after `refuseReason` said yes). Returns an error or null. */
export function adoptVm(sys: TimeSharingSystem, img: VmImage): string | null {
  const entry = sys.dir.users.find((x) => x.name === img.user)!;
  const name = entry.name;
  const vm = new VirtualMachine(name, makeStorage(img.storage));
  const channel = new Channel();
  const direct = sys.mux.sinkFor(name);
  const sink = (line: string) => sys.cp.afterEvent(() => direct(line));
  const console = new Console3215(sink);
  channel.attach(entry.console, console);
  vm.io = channel;
  vm.consoleWrite = sink;
  const u: UserVm = {
    entry, vm, channel, console, consoleAddr: entry.console, reader: null, punch: null, printer: null, disks: new Map(), reported: false,
  };
  for (const d of img.disks) {
    const md = entry.mdisks.find((m) => m.vaddr === d.vaddr)!;
    const store = sys.disks.extent(md.image, md.first, md.blocks, `${name} ${hex3(d.vaddr)}`, entry.fsync);
    if (typeof store === 'string') return store;
    const dev = new MinidiskDevice(store, false, name, d.vaddr);
    const data = Buffer.from(d.data, 'base64');
    if (data.length !== d.blocks * BLOCK) return `MINIDISK ${hex3(d.vaddr)}: ${data.length} BYTES FOR ${d.blocks} BLOCKS`;
    for (let b = 0; b < d.blocks; b++) store.write(b, new Uint8Array(data.buffer, data.byteOffset + b * BLOCK, BLOCK));
    dev.disk.restore(d.position);
    channel.attach(d.vaddr, dev);
    u.disks.set(d.vaddr, dev);
  }
  for (const [p, text] of Object.entries(img.pages)) {
    const page = Number(p), bytes = Buffer.from(text, 'base64');
    if (!Number.isInteger(page) || page < 0 || (page + 1) * 1024 > vm.mem.length || bytes.length !== 4096) return `BAD STORAGE PAGE ${p}`;
    vm.mem.set(new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + 4096)), page * 1024);
  }
  const s = img.vm;
  vm.gpr.set(s.gpr); vm.cr.set(s.cr); vm.flags = s.flags; vm.cc = s.cc; vm.ia = s.ia; vm.now = s.now;
  vm.clocks.restore(s.clocks);
  const sh = Buffer.from(s.shadow, 'base64');
  if (sh.length === TLB_ENTRIES * 4) vm.restoreShadow(new Int32Array(sh.buffer.slice(sh.byteOffset, sh.byteOffset + sh.length)));
  vm.state = s.state; vm.stop = s.stop; vm.intStreak = s.intStreak;
  Object.assign(vm.counters, { ...s.counters, entries: { ...s.counters.entries } });
  try { channel.restore(img.channel); } catch (e) { return `CHANNEL: ${(e as Error).message}`; }
  sys.users.set(name, u);
  sys.cp.addVm(vm);
  return null;
}

export interface RelocateResult { ok: boolean; reason?: string; instructions?: number }

/** Source side: send user `name` to the CP listening on 127.0.0.1:`port`. On success the VM is gone here. */
export function sendVm(sys: TimeSharingSystem, name: string, port: number, timeoutMs = 60_000): Promise<RelocateResult> {
  const u = sys.users.get(name.toUpperCase());
  if (!u) return Promise.resolve({ ok: false, reason: `USERID ${name.toUpperCase()} NOT LOGGED ON` });
  const no = notRelocatable(u);
  if (no) return Promise.resolve({ ok: false, reason: no });
  const img = captureVm(u);
  return new Promise((resolve) => {
    let reply = '', done = false;
    const finish = (r: RelocateResult) => { if (done) return; done = true; sock.destroy(); resolve(r); };
    const sock = createConnection({ host: '127.0.0.1', port }, () => sock.end(JSON.stringify(img) + '\n'));
    sock.setTimeout(timeoutMs, () => finish({ ok: false, reason: 'THE TARGET DID NOT ANSWER' }));
    sock.on('error', (e) => finish({ ok: false, reason: `CANNOT REACH THE TARGET: ${(e as NodeJS.ErrnoException).code ?? e.message}` }));
    sock.on('data', (b) => { reply += b.toString('utf8'); if (reply.length > 4096) finish({ ok: false, reason: 'BAD ANSWER FROM THE TARGET' }); });
    sock.on('close', () => {
      let r: RelocateResult;
      try { r = JSON.parse(reply) as RelocateResult; } catch { r = { ok: false, reason: 'BAD ANSWER FROM THE TARGET' }; }
      if (r.ok) releaseVm(sys, u, `127.0.0.1:${port}`);
      finish(r.ok ? { ok: true, instructions: img.instructions } : { ok: false, reason: String(r.reason ?? 'REFUSED') });
    });
  });
}

/**
 * Target side: listen on 127.0.0.1:`port` (0: any free port) for relocations. Each message is
 * checked and adopted between dispatches (the system runs synchronously; the event loop hands
 * messages over only when it awaits). `onMove` hears each outcome.
 */
export function acceptVms(sys: TimeSharingSystem, port: number, onMove: (user: string, r: RelocateResult) => void): Promise<Server> {
  const server = createServer((sock) => {
    const chunks: Buffer[] = [];
    let size = 0;
    sock.setTimeout(60_000, () => sock.destroy());
    sock.on('error', () => {});
    sock.on('data', (b) => {
      size += b.length;
      if (size > MAX_MESSAGE) { sock.end(JSON.stringify({ ok: false, reason: 'RELOCATION MESSAGE TOO LARGE' }) + '\n'); sock.destroy(); return; }
      chunks.push(b);
    });
    sock.on('end', () => {
      let img: VmImage;
      try { img = JSON.parse(Buffer.concat(chunks).toString('utf8')) as VmImage; } catch {
        sock.end(JSON.stringify({ ok: false, reason: 'NOT A TINYCP RELOCATION MESSAGE' }) + '\n');
        return;
      }
      let reason: string | null;
      try { reason = refuseReason(sys, img) ?? adoptVm(sys, img); } catch (e) { reason = `CANNOT BUILD THE VM: ${(e as Error).message}`; }
      // adoptVm registers the VM only after every check: a refused or failed VM leaves nothing behind.
      const r: RelocateResult = reason ? { ok: false, reason } : { ok: true, instructions: img.instructions };
      onMove(String(img.user), r);
      sock.end(JSON.stringify(r) + '\n');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const hex3 = (v: number) => v.toString(16).toUpperCase().padStart(3, '0');
