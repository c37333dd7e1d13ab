/**
 * Time-sharing in the page: the demo directory's users (programs/demo/user.direct) as virtual
 * machines of one ControlProgram, dispatched round-robin in time slices, each with its own
 * console. The node-side system (src/monitor/system.ts) keeps spool files, console logs and
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

/** A user of the demo directory, as the page runs it. */
export interface DemoUser { name: string; file: string; storage: number; input?: string[]; disk?: number; note: string }

/** programs/demo/user.direct, minus the spool between CMSA and CMSB (each CMS user has its own session). */
export const DEMO_USERS: readonly DemoUser[] = [
  { name: 'HELLO', file: 'hello.s', storage: 64 * 1024, note: 'Hello, world through a channel program' },
  { name: 'TIMER', file: 'timer.s', storage: 64 * 1024, note: 'CPU-timer interruptions' },
  { name: 'CMSA', file: 'cms/cms.s', storage: 512 * 1024, disk: 256, note: 'a CMS user: type commands (HELP)',
    input: ['FORMAT', 'CREATE LETTER NOTE', 'DEAR CMSB,', 'THIS NOTE STAYS ON CMSA\'S A-DISK.', '', 'LISTFILE'] },
  { name: 'CMSB', file: 'cms/cms.s', storage: 512 * 1024, disk: 256, note: 'another CMS user', input: ['FORMAT', 'LISTFILE'] },
  { name: 'MTOS', file: 'mtos/mtos.s', storage: 512 * 1024, note: 'the multitasking guest OS' },
  { name: 'CRUNCH', file: 'demo/compute.s', storage: 128 * 1024, note: 'compute-bound: its fair share and no more' },
  { name: 'WILD', file: 'demo/pgmloop.s', storage: 64 * 1024, note: 'crashes: CP stops it alone' },
];

/** One dispatch: which VM had the real CPU, from when (CP's real time), for how long. */
export interface Slice { vm: number; start: number; used: number }

export interface VmStats { name: string; state: string; instructions: number; direct: number; handled: number; efficiency: number; entries: number }

export type FromTs =
  | { type: 'users'; users: { name: string; note: string }[] }
  | { type: 'output'; vm: number; lines: string[] }
  | { type: 'slices'; slices: Slice[] }
  | { type: 'stats'; vms: VmStats[]; realTime: number; running: boolean };

export type ToTs = { type: 'start' } | { type: 'stop' } | { type: 'input'; vm: number; line: string };

interface User { spec: DemoUser; vm: VirtualMachine; devices: UnitRecordDevices; reported: boolean }

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

  constructor(private readonly post: (m: FromTs) => void, private readonly yieldNow: () => Promise<void>,
    private readonly clock: () => number = () => Date.now()) {
    this.cp.quantum = QUANTUM;
    for (const spec of DEMO_USERS) this.logon(spec);
    this.post({ type: 'users', users: this.users.map((u) => ({ name: u.spec.name, note: u.spec.note })) });
  }

  /** Build a user's VM: its storage, console and unit-record devices, an A-disk for CMS; IPL its program. */
  private logon(spec: DemoUser): void {
    const i = this.users.length;
    this.out.push([]);
    const say = (line: string) => this.out[i].push(line);
    const mem = makeStorage(spec.storage);
    const vm = new VirtualMachine(spec.name, mem);
    const devices = standardDevices({ console: say, printer: say, input: spec.input ?? [] });
    if (spec.disk) devices.channel.attach(0x191, new Disk3310(new MemoryBlockStore(spec.disk)));
    vm.io = devices.channel;
    vm.consoleWrite = say;
    this.users.push({ spec, vm, devices, reported: false });
    this.cp.addVm(vm);
    say(`LOGON ${spec.name}: STORAGE ${spec.storage / 1024}K`);
    const asm = assemble(FILES[spec.file] ?? '', { file: spec.file, readFile: readInclude });
    const l = asm.ok ? load(mem, { segments: asm.segments, entry: asm.entry }) : null;
    if (!l || !l.ok) { this.cp.stopVm(vm, 'operator', 0, 'IPL failed'); say(`IPL FAILED: ${l ? l.error : asm.diagnostics[0]?.message}`); return; }
    vm.setPsw(mem[0], mem[1]);
  }

  async handle(m: ToTs): Promise<void> {
    if (m.type === 'stop') { this.stopAsked = true; return; }
    if (m.type === 'input') {
      const u = this.users[m.vm];
      if (!u) return;
      const cp = /^#CP\s+(.*)$/i.exec(m.line.trim());
      // VM/370's escape: a line starting #CP goes to CP, not to the guest (responses on this console).
      if (cp) { this.out[m.vm].push(m.line); this.cp.command(u.vm, cp[1]); this.flush(); return; }
      u.devices.console.input(m.line);
      u.devices.channel.inputArrived(CONSOLE_ADDRESS, u.vm.now, u.vm.mem);
      this.cp.wake(u.vm);
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

  /** One time slice for the next ready VM. False when none is ready. */
  dispatchOne(): boolean {
    const n = this.users.length;
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n, u = this.users[i];
      if (u.vm.state !== 'ready') continue;
      this.next = (i + 1) % n;
      const start = this.cp.realTime;
      try { this.cp.runVm(u.vm, QUANTUM); } catch (e) {
        // A bug in CP's handling of one guest stops that guest alone (as the node system does).
        this.cp.stopVm(u.vm, 'check-stop', 0, `CP error while running the VM: ${(e as Error).message}`);
      }
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
    return false;
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
