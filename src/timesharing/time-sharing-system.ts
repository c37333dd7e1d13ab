/**
 * CP as a time-sharing system (VM/370's CP proper: DMKLOG logon, DMKDSP the dispatcher, DMKUSO
 * logoff): many users from a directory, each with a virtual machine of its own storage, console,
 * spooled unit-record devices and minidisks, dispatched round-robin on the one real CPU.
 *
 * Time slices. CP hands the real CPU a budget of instructions (`CPU.run(budget)`, through
 * `ControlProgram.runVm`): that budget is CP's *real CPU timer*. VM/370 set the real CPU timer to
 * the time slice before dispatching and took the timer's external interruption to get control
 * back (PoO 7.3); here the interpreter counts the slice down and stops itself. Either way the
 * guest's own masks are irrelevant: the guest runs with real interruptions handled by CP, so a VM
 * spinning with every virtual interruption masked is preempted exactly like any other.
 *
 * Fair shares. Each ready VM gets `quantum * share` instructions per round; a VM in an enabled
 * wait is 'idle' and is never dispatched (it costs nothing until input or a CP command wakes it);
 * a VM whose wait has a timer or an I/O completion pending skips its virtual time forward at once.
 *
 * Containment. Each VM's storage is its own Int32Array: the real CPU is pointed at it only while
 * that VM runs, so no guest store can reach another VM or CP. A guest that stops (disabled wait,
 * check-stop, interruption loop, even an exception inside CP's handling of it) is stopped alone,
 * reported on its console, and can be re-IPLed alone.
 */
import { join } from 'node:path';
import { Console3215 } from '../cpu/io/console.ts';
import { Channel } from '../cpu/io/channel.ts';
import { Printer1403 } from '../cpu/io/unitrecord.ts';
import { makeStorage } from '../cpu/storage.ts';
import { checkstopMessage, pswValid } from '../cpu/lowcore.ts';
import { load } from '../guest/loader.ts';
import type { ObjectImage } from '../guest/object.ts';
import { buildFile, type Build } from '../host/build.ts';
import { ControlProgram } from '../monitor/cp.ts';
import { ConsoleMux } from './console-mux.ts';
import type { Directory, UserEntry } from './directory.ts';
import { limitedPrinterSink, LimitedPunch } from './limits.ts';
import { DiskImages, MinidiskDevice, type StoreOpener } from './minidisk.ts';
import { CARD_BYTES, deckName, Spool, SpoolReader } from './spool.ts';
import { makeServices } from './services.ts';
import { VirtualMachine } from '../monitor/vm.ts';
import { stateText, type VmReport } from './report.ts';
import { hex } from '../cpu/hex.ts';

export interface SystemOptions {
  /** Where prefixed console lines go (default: nowhere; the transcript keeps them). */
  out?: (line: string) => void;
  /** Folder of per-user console logs (null: none). */
  logDir?: string | null;
  /** Folder of the spool (index and card files) and the per-user printer files. */
  spoolDir: string;
  /** Folder that relative MDISK image paths resolve against (default: the directory's folder). */
  imageDir?: string;
  /** Instructions per time slice (times the user's SHARE). */
  quantum?: number;
  /** The virtual-machine assist for every VM (default on; `--no-assist`). */
  assist?: boolean;
  /** How minidisk image extents are opened (default: a FileBlockStore; tests inject a counting one). */
  openStore?: StoreOpener;
}

/** A logged-on user: the VM and CP's view of its devices (VM/370's VMBLOK and VDEVBLOKs). */
export interface UserVm {
  entry: UserEntry;
  vm: VirtualMachine;
  channel: Channel;
  console: Console3215;
  consoleAddr: number;
  reader: { addr: number; dev: SpoolReader } | null;
  punch: { addr: number; cards: Uint8Array[]; to: string } | null;
  printer: { addr: number; path: string } | null;
  disks: Map<number, MinidiskDevice>;
  /** The stop has been reported on the console. */
  reported: boolean;
  /** Real bytes of this VM beyond its storage, as CP allocated them (shadow table, registers). */
  overhead: number;
}

export class TimeSharingSystem {
  readonly cp = new ControlProgram();
  readonly mux: ConsoleMux;
  readonly spool: Spool;
  readonly disks: DiskImages;
  readonly users = new Map<string, UserVm>();
  /** Reports of users who logged off (the end-of-run table keeps them). */
  readonly gone: VmReport[] = [];
  quantum: number;
  /** The virtual-machine assist for the VMs logged on (`--no-assist`). */
  readonly assist: boolean;
  private scriptPos = 0;
  private awaiting: string | null = null;
  private next = 0;
  /** The VM on the real CPU now (a command it issues about itself must wait until it is off). */
  running: UserVm | null = null;
  private deferred: (() => void)[] = [];
  private builds = new Map<string, Build>();

  constructor(readonly dir: Directory, readonly opts: SystemOptions) {
    const limits = new Map(dir.users.map((u) => [u.name, u.limits]));
    this.mux = new ConsoleMux({ out: opts.out ?? (() => {}), logDir: opts.logDir ?? null, limitsOf: (user) => limits.get(user) });
    this.spool = new Spool(opts.spoolDir);
    for (const n of this.spool.notes) this.mux.system(n);
    this.disks = new DiskImages(opts.imageDir ?? dir.base, opts.openStore);
    this.quantum = opts.quantum ?? 20_000;
    this.assist = opts.assist ?? true;
    this.cp.commands.services = makeServices(this);
  }

  /** Log on every AUTOLOG user (VM/370's AUTOLOG at IPL of CP). Returns the users logged on. */
  boot(): string[] {
    const on: string[] = [];
    for (const u of this.dir.users) if (u.autolog && this.logon(u.name) === null) on.push(u.name);
    return on;
  }

  /** Log a user on: build the VM from the directory and IPL it. Returns an error message or null. */
  logon(name: string): string | null {
    const entry = this.dir.users.find((u) => u.name === name.toUpperCase());
    if (!entry) return `USERID ${name.toUpperCase()} NOT IN CP DIRECTORY`;
    if (this.users.has(entry.name)) return `USERID ${entry.name} ALREADY LOGGED ON`;
    const mem = makeStorage(entry.storage);
    const vm = new VirtualMachine(entry.name, mem);
    vm.assist = this.assist;
    const channel = new Channel();
    const direct = this.mux.sinkFor(entry.name);
    // Output made while CP handles a trap follows that trap's event (a #CP TRACE narration).
    const sink = (line: string) => this.cp.afterEvent(() => direct(line));
    const console = new Console3215(sink);
    channel.attach(entry.console, console);
    vm.io = channel;
    vm.consoleWrite = sink;
    const u: UserVm = {
      entry, vm, channel, console, consoleAddr: entry.console, reader: null, punch: null, printer: null,
      disks: new Map(), reported: false, overhead: 0,
    };
    for (const s of entry.spool) {
      if (s.kind === 'READER') {
        const dev = new SpoolReader(this.spool, entry.name);
        dev.onFileRead = (f) => this.mux.line(entry.name, `RDR FILE ${String(f.id).padStart(4, '0')} (${f.name}) READ AND PURGED`);
        channel.attach(s.vaddr, dev);
        u.reader = { addr: s.vaddr, dev };
      } else if (s.kind === 'PUNCH') {
        const p = { addr: s.vaddr, cards: [] as Uint8Array[], to: entry.name }; // VM/370: punch to one's own reader by default
        // The open deck counts against the user's spool bytes, so it cannot grow without limit in CP's memory.
        const room = () => entry.limits.spoolBytes - this.spool.usageOf(entry.name).bytes - p.cards.length * CARD_BYTES;
        channel.attach(s.vaddr, new LimitedPunch(p.cards, room, (m) => this.mux.notice(entry.name, m)));
        u.punch = p;
      } else {
        const path = join(this.spool.dir, `${entry.name}.printer`);
        channel.attach(s.vaddr, new Printer1403(limitedPrinterSink(path, entry.limits.logBytes, (m) => this.mux.notice(entry.name, m))));
        u.printer = { addr: s.vaddr, path };
      }
    }
    for (const m of entry.mdisks) {
      const store = this.disks.extent(m.image, m.first, m.blocks, `${entry.name} ${hex(m.vaddr, 3)}`, entry.fsync);
      if (typeof store === 'string') { this.mux.line(entry.name, `HCPLGN: ${store}; MINIDISK ${hex(m.vaddr, 3)} NOT ATTACHED`); continue; }
      const dev = new MinidiskDevice(store, m.mode === 'R', entry.name, m.vaddr);
      channel.attach(m.vaddr, dev);
      u.disks.set(m.vaddr, dev);
    }
    this.users.set(entry.name, u);
    for (const l of entry.links) {
      const err = this.link(u, l.owner, l.vaddr, l.as, l.mode, DIRECTORY_LINK);
      if (err) this.mux.line(entry.name, err);
    }
    u.overhead = vm.shadow.byteLength + vm.gpr.byteLength + vm.cr.byteLength;
    this.cp.addVm(vm);
    this.mux.line(entry.name, `LOGON ${entry.name}: STORAGE ${entry.storage / 1024}K`);
    const err = this.ipl(entry.name);
    if (err) this.mux.line(entry.name, err);
    return null;
  }

  /**
   * Give `u` access to `owner`'s minidisk at `as`. Returns an error message or null. A LINK
   * command to another user's minidisk needs the MDISK's password for the mode (VM/370: read
   * password for R, write or multiple-write password for W; a read password ALL lets anyone link
   * R); a directory LINK statement (`DIRECTORY_LINK`) and a link to one's own disk need none, nor
   * does anything when the directory says PASSWORDS OFF.
   */
  link(u: UserVm, owner: string, vaddr: number, as: number, mode: 'R' | 'W', password: string | null | typeof DIRECTORY_LINK = null): string | null {
    const o = this.dir.users.find((x) => x.name === owner.toUpperCase());
    const md = o?.mdisks.find((m) => m.vaddr === vaddr);
    if (!o || !md) return `HCPLNK: ${owner.toUpperCase()} ${hex(vaddr, 3)} DOES NOT EXIST`;
    if (u.channel.device(as)) return `HCPLNK: DEVICE ${hex(as, 3)} ALREADY DEFINED`;
    if (mode === 'W' && md.mode !== 'MW') return `HCPLNK: ${o.name} ${hex(vaddr, 3)} MAY NOT BE LINKED IN WRITE MODE`;
    if (password !== DIRECTORY_LINK && this.dir.passwords && o.name !== u.entry.name) {
      const pw = md.passwords;
      const ok = mode === 'R' ? pw.R === 'ALL' || (password !== null && (password === pw.R || password === pw.W || password === pw.M))
        : password !== null && (password === pw.W || password === pw.M);
      if (!ok) {
        const has = mode === 'R' ? pw.R ?? pw.W ?? pw.M : pw.W ?? pw.M;
        return has === null ? `HCPLNK: ${o.name} ${hex(vaddr, 3)} HAS NO ${mode === 'R' ? 'READ' : 'WRITE'} PASSWORD: LINK NOT ALLOWED`
          : `HCPLNK: PASSWORD INCORRECT FOR ${o.name} ${hex(vaddr, 3)} MODE ${mode}`;
      }
    }
    const store = this.disks.extent(md.image, md.first, md.blocks, `${o.name} ${hex(vaddr, 3)}`, o.fsync);
    if (typeof store === 'string') return `HCPLNK: ${store}`;
    const dev = new MinidiskDevice(store, mode === 'R' || md.mode === 'R', o.name, vaddr);
    u.channel.attach(as, dev);
    u.disks.set(as, dev);
    return null;
  }

  /** Build (once per file) the program a user IPLs. */
  private build(path: string): Build {
    let b = this.builds.get(path);
    if (!b) { b = buildFile(path); this.builds.set(path, b); }
    return b;
  }

  /**
   * IPL a user's VM alone (PoO 5.1 initial program loading): clear its storage, load its program,
   * reset the virtual CPU and channel, start at the IPL PSW. Other VMs are untouched.
   */
  ipl(name: string, file?: string): string | null {
    const u = this.users.get(name);
    if (!u) return `USERID ${name} NOT LOGGED ON`;
    const path = file ?? u.entry.ipl;
    if (!path) {
      this.cp.stopVm(u.vm, 'operator', 0, 'no IPL program in the directory'); u.reported = true;
      return 'NO IPL PROGRAM: THE VM WAITS FOR AN IPL COMMAND';
    }
    const b = this.build(path);
    if (!b.ok) {
      this.cp.stopVm(u.vm, 'operator', 0, `IPL failed: ${b.errors.slice(0, 3).join('; ')}`); u.reported = true;
      return `IPL FAILED: ${b.errors.slice(0, 3).join('; ')}`;
    }
    return this.iplImage(u, b.image);
  }

  /** IPL from an image already built (the benchmark builds once for 100 VMs). */
  iplImage(u: UserVm, image: Pick<ObjectImage, 'segments' | 'entry'>): string | null {
    const vm = u.vm;
    vm.mem.fill(0);
    const l = load(vm.mem, image);
    if (!l.ok) { this.cp.stopVm(vm, 'operator', 0, `IPL failed: ${l.error}`); u.reported = true; return `IPL FAILED: ${l.error}`; }
    vm.reset();
    u.channel.reset();
    vm.setPsw(vm.mem[0], vm.mem[1]);
    // PoO 5.1.2: an invalid IPL PSW check-stops the VM at once, as it does in `tinycp run`.
    if (!pswValid(vm.mem[0], vm.mem[1])) this.cp.stopVm(vm, 'check-stop', 0, checkstopMessage('ipl-psw', 0, vm.mem[0], vm.mem[1]));
    u.reported = false;
    if (this.awaiting === u.entry.name) this.awaiting = null;
    return null;
  }

  /** Log a user off: close the punch (its deck goes to the spool), detach everything, drop the VM. */
  logoff(name: string): void {
    const u = this.users.get(name);
    if (!u) return;
    const closed = this.closePunch(u, null);
    if (closed?.includes('NOT CLOSED')) this.mux.system(`${name}: ${closed}; THE OPEN DECK IS LOST AT LOGOFF`);
    this.gone.push(this.reportOf(u, stateText(u.vm)));
    this.cp.stopVm(u.vm, 'operator', 0, 'logged off');
    u.vm.state = 'logged-off';
    const i = this.cp.vms.indexOf(u.vm);
    if (i >= 0) this.cp.vms.splice(i, 1);
    this.users.delete(name);
    this.mux.line(name, `LOGOFF ${name}: ${u.vm.counters.direct + u.vm.counters.handled} INSTRUCTIONS`);
  }

  /** CLOSE PUNCH: the open deck becomes a spool file in the receiver's reader. */
  closePunch(u: UserVm, name: string | null): string | null {
    if (!u.punch || u.punch.cards.length === 0) return null;
    const used = this.spool.usageOf(u.entry.name).files, max = u.entry.limits.spoolFiles;
    if (used >= max) {
      const m = `SPOOL FILE LIMIT REACHED (${max} FILES, SPOOLFILES): PUN FILE NOT CLOSED, ${u.punch.cards.length} CARDS STAY OPEN`;
      this.mux.notice(u.entry.name, m);
      return m;
    }
    let f;
    try { f = this.spool.enqueue(u.entry.name, u.punch.to, 'PUN', u.punch.cards, deckName(u.punch.cards, name)); } catch (e) {
      // A host I/O error (disk full) is this user's CLOSE failing, not CP's: the deck stays open.
      const m = `SPOOL WRITE FAILED (${(e as NodeJS.ErrnoException).code ?? 'error'}): PUN FILE NOT CLOSED, ${u.punch.cards.length} CARDS STAY OPEN`;
      this.mux.notice(u.entry.name, m);
      return m;
    }
    u.punch.cards.length = 0;
    const id = String(f.id).padStart(4, '0');
    if (this.users.has(f.to) && f.to !== u.entry.name) this.mux.line(f.to, `RDR FILE ${id} SENT FROM ${u.entry.name} PUN (${f.name}, ${f.records} CARDS)`);
    return `PUN FILE ${id} TO ${f.to} (${f.name}, ${f.records} CARDS)`;
  }

  /** Run an action about the VM now on the real CPU once it is off it (see `running`). */
  defer(u: UserVm, action: () => void): void {
    this.cp.stopVm(u.vm, 'operator', 0, 'CP command pending');
    u.reported = true;
    this.deferred.push(action);
  }

  /**
   * Dispatch the ready VMs round-robin for up to `budget` real instructions, typing scripted
   * console input as VMs ask for it. Returns 'idle' when no VM can run and no script line can be
   * typed, 'budget' otherwise.
   */
  run(budget: number): 'budget' | 'idle' {
    let left = Math.floor(budget); // the real CPU counts whole instructions: a fraction would never run out
    while (left > 0) {
      this.feedScript();
      const u = this.pickNext();
      if (!u) { if (this.feedScript()) continue; return 'idle'; }
      const slice = Math.min(left, this.quantum * u.entry.share);
      this.running = u;
      let used = 0;
      try {
        used = this.cp.runVm(u.vm, slice);
      } catch (e) {
        // A bug in CP's handling of this guest must not take the system down: stop this VM alone.
        this.cp.stopVm(u.vm, 'check-stop', 0, `CP error while running the VM: ${(e as Error).message}`);
      }
      this.running = null;
      left -= Math.max(used, 1);
      for (const d of this.deferred.splice(0)) this.contain(u, d);
      if (u.vm.state === 'stopped' && !u.reported) this.contain(u, () => this.reportStop(u));
    }
    return 'budget';
  }

  /**
   * Run `action`, done for `u`: a host error in it (disk full, a file CP cannot write) stops `u`
   * alone with the reason, said on the operator's console, and never ends CP (issue 9).
   */
  contain(u: UserVm | null, action: () => void): void {
    try {
      action();
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      if (u && u.vm.state !== 'logged-off') { this.cp.stopVm(u.vm, 'check-stop', 0, `host error in CP's service: ${why}`); u.reported = true; }
      const rest = u ? '; THAT VM IS STOPPED, OTHERS GO ON' : '';
      try { this.mux.system(`${u ? u.entry.name : 'CP'}: HOST ERROR: ${why}${rest}`); } catch { /* nothing more CP can say */ }
    }
  }

  /** Run until every VM is idle or stopped (and the script is done or blocked), or `max` instructions. */
  runUntilQuiet(max: number, chunk = 1_000_000): 'idle' | 'budget' {
    let done = 0;
    while (done < max) {
      const before = this.cp.realTime;
      const r = this.run(Math.min(chunk, max - done));
      done += Math.max(1, this.cp.realTime - before);
      if (r === 'idle') return 'idle';
    }
    return 'budget';
  }

  private pickNext(): UserVm | null {
    const vms = this.cp.vms;
    for (let i = 0; i < vms.length; i++) {
      const vm = vms[(this.next + i) % vms.length];
      if (vm.state === 'ready') { this.next = (this.next + i + 1) % vms.length; return this.users.get(vm.name) ?? null; }
    }
    return null;
  }

  /** True when the VM's console has a READ waiting for a typed line. */
  consoleWaiting(u: UserVm): boolean { return u.channel.status(u.consoleAddr, u.vm.now) === 'waiting'; }

  /**
   * A line typed at the terminal (interactive mode): `#CP SHUTDOWN` ends the system, `#CP LOGON
   * user` logs a user on and attaches the terminal to it; anything else goes to the attached
   * console, where `#CP` escapes to CP's commands for that VM (DIAL switches consoles).
   */
  terminalLine(line: string): 'shutdown' | void {
    const m = /^#CP\s*(\S*)\s*(.*)$/i.exec(line.trim());
    const verb = m?.[1].toUpperCase() ?? '';
    if (m && verb === 'SHUTDOWN') return 'shutdown';
    if (m && verb === 'LOGON') {
      const [name = '', password = ''] = m[2].split(/\s+/);
      const entry = this.dir.users.find((x) => x.name === name.toUpperCase());
      // VM/370's LOGON asks for the password; a wrong one says no more than that (not whether the user exists).
      if (this.dir.passwords && (!entry || entry.password !== password)) {
        this.mux.system('HCPLGN: LOGON UNSUCCESSFUL--INCORRECT USERID OR PASSWORD');
        return;
      }
      const e = this.logon(name);
      if (e) this.mux.system(e); else this.mux.attached = name.toUpperCase();
      return;
    }
    const u = this.mux.attached ? this.users.get(this.mux.attached) : undefined;
    if (!u) { this.mux.system('no console attached: #CP LOGON user password or #CP DIAL user'); return; }
    this.type(u, line, TERMINAL_CLASSES);
  }

  /**
   * Type a line at a user's console (or run it as a CP command if it starts with #CP). A CP
   * command runs with the user's privilege classes, plus `extraClasses` when it comes from the
   * real terminal, which is the system operator's console (class A).
   */
  type(u: UserVm, text: string, extraClasses = ''): void {
    const cp = /^#CP(\s+(.*))?$/i.exec(text);
    if (cp) { this.mux.line(u.entry.name, text); this.contain(u, () => this.cp.command(u.vm, cp[2] ?? '', u.entry.classes + extraClasses)); return; }
    this.mux.line(u.entry.name, text); // the terminal echoes what was typed
    u.console.input(text);
    u.channel.inputArrived(u.consoleAddr, u.vm.now, u.vm.mem);
    this.cp.wake(u.vm);
  }

  /** The VM is waiting for something only the outside can give: console input, or CP (idle, stopped). */
  settled(u: UserVm): boolean { return u.vm.state !== 'ready' || this.consoleWaiting(u); }

  /**
   * The directory's INPUT script, typed deterministically: a line (console input or a #CP
   * command) goes to its user only when that VM is settled (asks for console input, or is idle
   * or stopped), and only after the VM that got the previous line has settled again. So a line
   * never lands at a scheduling-dependent point of a VM's virtual time, and a script can rely on
   * one user's command having completed before the next line is typed. Returns true when a line
   * was typed.
   */
  feedScript(): boolean {
    const script = this.dir.script;
    let fed = false;
    while (this.scriptPos < script.length) {
      if (this.awaiting) {
        const a = this.users.get(this.awaiting);
        if (a && !this.settled(a)) break;
        this.awaiting = null;
      }
      const s = script[this.scriptPos];
      const u = this.users.get(s.user);
      const isCp = /^#CP\b/i.test(s.text);
      if (!u || (u.vm.state === 'stopped' && !isCp)) {
        this.mux.system(`${this.dir.file}:${s.line}: INPUT for ${s.user} skipped: ${u ? 'the VM is stopped' : 'not logged on'}`);
        this.scriptPos++;
        continue;
      }
      if (!this.settled(u)) break;
      this.scriptPos++;
      this.awaiting = s.user;
      this.type(u, s.text);
      fed = true;
    }
    return fed;
  }

  /** Scripted input lines not typed yet. */
  get scriptLeft(): number { return this.dir.script.length - this.scriptPos; }

  /** Say on the user's console why its VM stopped (VM/370: "CP ENTERED; DISABLED WAIT PSW ..."). */
  private reportStop(u: UserVm): void {
    u.reported = true;
    const s = u.vm.stop!;
    const psw = `${hex(u.vm.pswFlags(), 8)} ${hex(u.vm.ia, 8)}`;
    if (s.reason === 'disabled-wait' && s.code === 0) this.mux.line(u.entry.name, `CP ENTERED; DISABLED WAIT PSW ${psw} (code 0: the program ended normally)`);
    else if (s.reason === 'disabled-wait') this.mux.line(u.entry.name, `CP ENTERED; DISABLED WAIT PSW ${psw} (code X'${hex(s.code, 0)}')`);
    else if (s.reason === 'halt') this.mux.line(u.entry.name, `CP ENTERED; ${s.detail}`);
    else this.mux.line(u.entry.name, `CP ENTERED; VM STOPPED (${s.reason}): ${s.detail}; PSW ${psw}. OTHER USERS ARE NOT AFFECTED; #CP IPL RESTARTS IT`);
  }

  /** One row per VM, logged on or gone. */
  report(): VmReport[] {
    return [...this.gone, ...[...this.users.values()].map((u) => this.reportOf(u, stateText(u.vm)))];
  }

  reportOf(u: UserVm, state: string): VmReport {
    const c = u.vm.counters;
    return {
      user: u.entry.name, state, instructions: c.direct + c.handled, direct: c.direct, handled: c.handled,
      entries: { ...c.entries }, cpEntries: c.totalEntries, efficiency: c.efficiency,
      storageK: u.vm.mem.byteLength / 1024, realK: (u.vm.mem.byteLength + u.overhead) / 1024,
      assistHitRatio: u.vm.assist ? u.vm.assistCounters.hitRatio : null,
    };
  }

  /** Log everyone off (decks are closed into the spool), close images and logs. */
  shutdown(): void {
    for (const name of [...this.users.keys()]) this.contain(this.users.get(name) ?? null, () => this.logoff(name));
    this.contain(null, () => this.disks.close());
    this.contain(null, () => this.mux.close());
  }
}

/** A LINK from a directory statement: the administrator wrote it, so no password is asked. */
export const DIRECTORY_LINK = Symbol('directory LINK');
/** The real terminal is the system operator's console: its #CP commands also have class A. */
export const TERMINAL_CLASSES = 'A';

