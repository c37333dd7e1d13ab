/**
 * Time-sharing in the page: the demo directory's users (programs/demo/user.direct) as virtual
 * machines of one ControlProgram, dispatched round-robin in time slices, each with its own
 * console. The node-side system (src/timesharing/time-sharing-system.ts) keeps spool files, console logs and
 * minidisk images on the host's file system; here everything is in memory: each CMS user's
 * A-disk is a MemoryBlockStore, and there is no spool (so CMSA's note is not punched to CMSB:
 * each CMS user runs its own session). Like the node system, a VM is given the real CPU for a
 * slice (`cp.runVm(vm, quantum)`), whatever its masks, so a guest that spins cannot starve the others.
 *
 * DOM-free like engine.ts: ts-worker.ts runs it in a Web Worker, the tests in Node.
 */
import { MemoryBlockStore } from '../../src/cpu/io/blockstore.ts';
import { CONSOLE_ADDRESS } from '../../src/cpu/io/console.ts';
import { Disk3310 } from '../../src/cpu/io/disk.ts';
import { standardDevices, type UnitRecordDevices } from '../../src/cpu/io/standard.ts';
import { makeStorage } from '../../src/cpu/storage.ts';
import { assemble, load } from '../../src/guest/index.ts';
import { ControlProgram } from '../../src/monitor/cp.ts';
import { VirtualMachine } from '../../src/monitor/vm.ts';
import { FILES, readInclude } from './files.ts';
import { readDirectory, webServices, type DemoDirectory, type DirUser } from './ts-directory.ts';

/** What each demo user is there to show (the directory's comments, shortened). */
const NOTES: Record<string, string> = {
  HELLO: 'Hello, world through a channel program', TIMER: 'CPU-timer interruptions',
  CMSA: 'a CMS user: punches a note to CMSB (type HELP)', CMSB: 'a CMS user: reads the note from its reader',
  MTOS: 'the multitasking guest OS', CRUNCH: 'compute-bound: its fair share and no more', WILD: 'crashes: CP stops it alone',
};

/** The demo directory, as the page runs it. */
export const DEMO: DemoDirectory = readDirectory(FILES['demo/user.direct'] ?? '');

/** One dispatch: which VM had the real CPU, from when (CP's real time), for how long. */
export interface Slice { vm: number; start: number; used: number }

export interface VmStats { name: string; state: string; instructions: number; direct: number; handled: number; efficiency: number; entries: number }

export type FromTs =
  | { type: 'users'; users: { name: string; note: string }[] }
  | { type: 'output'; vm: number; lines: string[] }
  | { type: 'slices'; slices: Slice[] }
  | { type: 'stats'; vms: VmStats[]; realTime: number; running: boolean };

export type ToTs = { type: 'start' } | { type: 'stop' } | { type: 'input'; vm: number; line: string };

interface User {
  spec: DirUser; vm: VirtualMachine; devices: UnitRecordDevices; reported: boolean;
  punch: { cards: Uint8Array[]; to: string } | null;
  /** Decks delivered to the reader: [first card number, cards, from, name, id]. */
  files: { first: number; records: number; from: string; name: string; id: number }[];
  delivered: number;
}

/** Instructions per time slice (the node demo's default quantum; exported for the tests). */
export const QUANTUM = 20_000;
const SLICE_MS = 12;

export class TimeSharing {
  readonly cp = new ControlProgram();
  private users: User[] = [];
  private out: string[][] = [];
  private slices: Slice[] = [];
  private next = 0;
  private running = false;
  private stopAsked = false;

  private scriptPos = 0;
  private awaiting: number | null = null;
  /** The user on the real CPU now, and what must wait until it is off (a CP command about itself). */
  private current: number | null = null;
  private deferred: (() => void)[] = [];
  private fileId = 0;

  constructor(private readonly post: (m: FromTs) => void, private readonly yieldNow: () => Promise<void>,
    private readonly clock: () => number = () => Date.now()) {
    this.cp.commands.services = webServices({
      names: () => this.users.filter((u) => u.vm.state !== 'logged-off').map((u) => ({ name: u.spec.name, state: u.vm.state })),
      vmOf: (n) => this.user(n)?.vm,
      punchOf: (n) => this.user(n)?.punch ?? undefined,
      deliver: (to, cards) => this.deliver(to, cards),
      readerFiles: (n) => this.readerFiles(n),
      ipl: (n) => { const u = this.user(n); return u ? this.ipl(u) : `USERID ${n} NOT LOGGED ON`; },
      reset: (n) => { const u = this.user(n); if (u) { u.vm.reset(); u.devices.channel.reset(); this.cp.stopVm(u.vm, 'operator', 0, 'SYSTEM RESET'); u.reported = true; } },
      logoff: (n) => this.logoff(n),
      whenOff: (n, f) => {
        const i = this.users.findIndex((u) => u.spec.name === n);
        if (i === this.current) { this.cp.stopVm(this.users[i].vm, 'operator', 0, 'CP command pending'); this.users[i].reported = true; this.deferred.push(f); } else f();
      },
    });
    for (const spec of DEMO.users) this.logon(spec);
    this.post({ type: 'users', users: this.users.map((u) => ({ name: u.spec.name, note: NOTES[u.spec.name] ?? '' })) });
  }

  private user(name: string): User | undefined { return this.users.find((u) => u.spec.name === name.toUpperCase()); }

  /** Build a user's VM: its storage, console and unit-record devices, its A-disk in memory; IPL its program. */
  private logon(spec: DirUser): void {
    const i = this.users.length;
    this.out.push([]);
    const say = (line: string) => this.out[i].push(line);
    const vm = new VirtualMachine(spec.name, makeStorage(spec.storage));
    const u: User = { spec, vm, devices: null as unknown as UnitRecordDevices, reported: false, punch: spec.punch ? { cards: [], to: spec.name } : null, files: [], delivered: 0 };
    u.devices = standardDevices({ console: say, printer: say, punch: (card) => u.punch?.cards.push(card.slice()) });
    if (spec.disk) u.devices.channel.attach(0x191, new Disk3310(new MemoryBlockStore(spec.disk)));
    vm.io = u.devices.channel;
    vm.consoleWrite = say;
    this.users.push(u);
    this.cp.addVm(vm);
    say(`LOGON ${spec.name}: STORAGE ${spec.storage / 1024}K`);
    for (const l of spec.links) say(`LINK ${l}: NOT AVAILABLE IN THE BROWSER (no shared minidisk images)`);
    const e = this.ipl(u);
    if (e) say(e);
  }

  /** IPL one user's VM alone: clear its storage, load its program, reset its CPU and channel. */
  private ipl(u: User): string | null {
    const file = u.spec.ipl ?? '';
    const asm = assemble(FILES[file] ?? '', { file, readFile: readInclude });
    const vm = u.vm;
    vm.mem.fill(0);
    const l = asm.ok ? load(vm.mem, { segments: asm.segments, entry: asm.entry }) : null;
    if (!l || !l.ok) { this.cp.stopVm(vm, 'operator', 0, 'IPL failed'); u.reported = true; return `IPL FAILED: ${l ? l.error : asm.diagnostics[0]?.message ?? file}`; }
    vm.reset();
    u.devices.channel.reset();
    vm.setPsw(vm.mem[0], vm.mem[1]);
    u.reported = false;
    return null;
  }

  private logoff(name: string): void {
    const u = this.user(name);
    if (!u) return;
    this.cp.stopVm(u.vm, 'operator', 0, 'logged off');
    u.reported = true;
    u.vm.state = 'logged-off';
    const i = this.cp.vms.indexOf(u.vm);
    if (i >= 0) this.cp.vms.splice(i, 1);
    this.out[this.users.indexOf(u)].push(`LOGOFF ${u.spec.name}: ${u.vm.counters.direct + u.vm.counters.handled} INSTRUCTIONS`);
  }

  /** A closed punch deck into a user's reader (CP's spool, in memory). */
  private deliver(to: string, cards: Uint8Array[]): void {
    const u = this.user(to);
    if (!u) return;
    const head = String.fromCharCode(...cards[0]).trim();
    const name = /^:READ\s+(.+)$/i.exec(head)?.[1].trim().toUpperCase() ?? 'NONAME DECK';
    const from = this.current !== null ? this.users[this.current].spec.name : 'CP';
    u.files.push({ first: u.delivered, records: cards.length, from, name, id: ++this.fileId });
    u.delivered += cards.length;
    u.devices.reader.load(cards);
    if (u.vm.state !== 'logged-off') this.out[this.users.indexOf(u)].push(`RDR FILE ${String(this.fileId).padStart(4, '0')} SENT FROM ${from} PUN (${name}, ${cards.length} CARDS)`);
  }

  /** The decks not yet read to their end. */
  private readerFiles(name: string): { from: string; id: number; records: number; name: string }[] {
    const u = this.user(name);
    if (!u) return [];
    const read = u.delivered - u.devices.reader.remaining;
    return u.files.filter((f) => f.first + f.records > read);
  }

  /** A line at a user's console (echoed by whoever typed it): `#CP ...` goes to CP, anything else to the guest. */
  private type(i: number, line: string): void {
    const u = this.users[i];
    const cp = /^#CP\s*(.*)$/i.exec(line.trim());
    if (cp) { this.cp.command(u.vm, cp[1]); return; }
    u.devices.console.input(line);
    u.devices.channel.inputArrived(CONSOLE_ADDRESS, u.vm.now, u.vm.mem);
    this.cp.wake(u.vm);
  }

  /** Ready to take the next line: not running, or its console is waiting for one. */
  private settled(u: User): boolean { return u.vm.state !== 'ready' || u.devices.channel.status(CONSOLE_ADDRESS, u.vm.now) === 'waiting'; }

  /**
   * The directory's INPUT script, typed as the node system types it: a line goes to its user when
   * that VM is settled, and only after the VM that got the previous line has settled again.
   */
  private feedScript(): boolean {
    let fed = false;
    const script = DEMO.script;
    while (this.scriptPos < script.length) {
      if (this.awaiting !== null && !this.settled(this.users[this.awaiting])) break;
      this.awaiting = null;
      const line = script[this.scriptPos];
      const i = this.users.findIndex((u) => u.spec.name === line.user);
      const u = this.users[i];
      if (!u || u.vm.state === 'logged-off' || (u.vm.state === 'stopped' && !/^#CP\b/i.test(line.text))) { this.scriptPos++; continue; }
      if (!this.settled(u)) break;
      this.scriptPos++;
      this.awaiting = i;
      this.out[i].push(line.text);
      this.type(i, line.text);
      fed = true;
    }
    return fed;
  }

  async handle(m: ToTs): Promise<void> {
    if (m.type === 'stop') { this.stopAsked = true; return; }
    if (m.type === 'input') {
      if (!this.users[m.vm] || this.users[m.vm].vm.state === 'logged-off') return;
      this.type(m.vm, m.line);
    }
    if (!this.running) await this.run();
  }

  /** Dispatch round-robin until every VM is idle or stopped, or Stop. */
  private async run(): Promise<void> {
    this.running = true; this.stopAsked = false;
    try {
      for (;;) {
        const t0 = this.clock();
        let busy = true;
        while (busy && this.clock() - t0 < SLICE_MS) busy = this.dispatchOne();
        this.flush();
        if (!busy || this.stopAsked) break;
        await this.yieldNow();
        if (this.stopAsked) break;
      }
    } finally { this.running = false; }
    this.flush();
  }

  /** One time slice for the next ready VM (typing script lines as VMs ask). False when none is ready and no line can be typed. */
  dispatchOne(): boolean {
    this.feedScript();
    const n = this.users.length;
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n, u = this.users[i];
      if (u.vm.state !== 'ready') continue;
      this.next = (i + 1) % n;
      const start = this.cp.realTime;
      this.current = i;
      try { this.cp.runVm(u.vm, QUANTUM); } catch (e) {
        // A bug in CP's handling of one guest stops that guest alone (as the node system does).
        this.cp.stopVm(u.vm, 'check-stop', 0, `CP error while running the VM: ${(e as Error).message}`);
      }
      this.current = null;
      for (const f of this.deferred.splice(0)) f();
      // Real CPU time only (a wait skipped forward to its timer costs the real CPU nothing).
      const used = this.cp.realTime - start;
      if (used > 0) this.slices.push({ vm: i, start, used });
      const s = u.vm.stop, state: string = u.vm.state; // runVm changed it (the compiler narrowed it to 'ready')
      if (state === 'stopped' && s && !u.reported) {
        u.reported = true;
        this.out[i].push(`CP: ${u.spec.name} STOPPED: ${s.reason === 'disabled-wait' ? `disabled wait, code X'${s.code.toString(16).toUpperCase()}'` : s.detail || s.reason}`);
      }
      return true;
    }
    return this.feedScript();
  }

  private flush(): void {
    this.out.forEach((lines, vm) => { if (lines.length) { this.post({ type: 'output', vm, lines: lines.splice(0) }); } });
    if (this.slices.length) this.post({ type: 'slices', slices: this.slices.splice(0) });
    this.post({ type: 'stats', vms: this.stats(), realTime: this.cp.realTime, running: this.running && !this.stopAsked });
  }

  stats(): VmStats[] {
    return this.users.map((u) => {
      const c = u.vm.counters;
      return { name: u.spec.name, state: u.vm.state, instructions: c.direct + c.handled, direct: c.direct, handled: c.handled, efficiency: c.efficiency, entries: c.totalEntries };
    });
  }
}
