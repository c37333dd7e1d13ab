/**
 * The playground's engine: one Debugger (src/debug) over one Session, driven by messages. It runs
 * in a Web Worker (worker.ts) but has no DOM and no worker API in it, so the tests drive it in
 * Node directly. Running is done in slices of a few milliseconds with a yield in between, so
 * a Pause always gets through, even while the guest spins with every interruption masked.
 *
 * The trap timeline is fed by CP's event listener (under CP) or the CPU's interruption hook (bare).
 * Events are keyed by a sequence number that snapshots restore (CP's `seq`, or the CPU's count of
 * interruptions), so stepping back and replaying never records an event twice, and the events
 * after the current position stay visible as "the future" until an operator action forks history.
 */
import { BY_MNEMONIC, type Mnemonic } from '../../src/cpu/isa.ts';
import { applyProfile, demoteProfile } from '../../src/cpu/profiles.ts';
import { CR1_STL, INT_CLASS_NAMES, PSW_DAT, PSW_PROBLEM, PTE_PFRA, TLB_PROTECT, TLB_VALID } from '../../src/cpu/arch.ts';
import { walkTables } from '../../src/cpu/dat.ts';
import { MemoryBlockStore } from '../../src/cpu/io/blockstore.ts';
import { Disk3310 } from '../../src/cpu/io/disk.ts';
import { execute } from '../../src/debug/commands.ts';
import { Debugger, type Stop } from '../../src/debug/debugger.ts';
import { bareInterruptEvent, type DebugEvent, type TraceRule } from '../../src/debug/events.ts';
import { stopNarration } from '../../src/debug/format.ts';
import { Timeline } from '../../src/debug/timeline.ts';
import { assemble } from '../../src/guest/index.ts';
import type { AsmResult } from '../../src/guest/asm/types.ts';
import { readInclude } from './files.ts';
import type { Control, EventView, FromEngine, MachineView, PageRow, ToEngine } from './protocol.ts';

/** Events kept for narration (older ones are dropped; the counters still count them). */
const MAX_EVENTS = 4000;
/** Milliseconds of guest execution between yields while running. */
const SLICE_MS = 12;
/** Milliseconds between view updates while running. */
const VIEW_MS = 150;
/** Most instructions a console command (STEP n, STEP OVER) runs in one go. */
const COMMAND_LIMIT = 5_000_000;
/** What "Run to next trap" stops on: every trap class but CCW and single instructions. */
const TRAP_RULES: TraceRule[] = ['SVC', 'PRIV', 'PROGRAM', 'EXTERNAL', 'IO', 'DIAG', 'TRANSLATION']
  .map((cls) => ({ cls: cls as TraceRule['cls'], code: null, run: false, tag: 'web' }));
/** Bytes of storage the storage view shows. */
const STORAGE_BYTES = 256;

export class Engine {
  private d: Debugger | null = null;
  private mainFile = '';
  /** Recorded events, ascending by seq (the newest MAX_EVENTS to 2 * MAX_EVENTS of them). */
  private events: DebugEvent[] = [];
  private pending: DebugEvent[] = [];
  private highSeq = 0;
  private sentOutput = 0;
  private running = false;
  private pauseAsked = false;
  /** Bumped by every load: a run loop of an older program stops at its next yield. */
  private generation = 0;
  private storageAt = 0x200;
  /** position - instructions() while a chunk runs (the debugger updates position only after it). */
  private chunkBase = 0;
  private journalLength = 0;

  constructor(private readonly post: (m: FromEngine) => void, private readonly yieldNow: () => Promise<void>,
    private readonly clock: () => number = () => Date.now()) {}

  /** Handle one message from the page. Run controls resolve when the run stops. */
  async handle(m: ToEngine): Promise<void> {
    if (m.type === 'load') { this.load(m); return; }
    if (m.type === 'control' && m.what === 'pause') { this.pauseAsked = true; return; }
    const d = this.d;
    if (!d) return;
    if (this.running) {
      // While running, what the run loop can take between slices; controls and commands wait for Pause.
      if (m.type === 'input') { d.input(m.line); this.afterIntervention(); }
      else if (m.type === 'breakpoints') this.setBreakpoints(m.lines);
      else if (m.type === 'event') this.narrate(m.seq);
      else if (m.type === 'command') this.post({ type: 'console', lines: [`CP> ${m.text}`, 'the machine is running: Pause first'] });
      return;
    }
    switch (m.type) {
      case 'control': await this.control(m.what); break;
      case 'breakpoints': this.setBreakpoints(m.lines); this.sendView(); break;
      case 'command': await this.command(m.text); break;
      case 'input': {
        const waiting = d.waitingForInput;
        d.input(m.line); this.afterIntervention();
        this.post({ type: 'console', lines: [`INPUT: ${m.line}`] });
        // A guest that stopped to wait for this line goes on at once, as at a terminal.
        if (waiting) await this.runLoop(false); else this.sendAll();
        break;
      }
      case 'event': this.narrate(m.seq); break;
      case 'goto': {
        const e = this.find(m.seq);
        if (!e) { this.post({ type: 'console', lines: [`event #${m.seq} is no longer kept`] }); break; }
        // Just after the trap: the machine as CP (or the interruption) left it, the narration's "after".
        d.timeline.goTo(e.step + 1);
        d.rebaseWatches();
        this.finish({ ok: true, lines: [], stop: d.stop('back', [`at trap #${e.seq}: instruction ${d.position} (virtual time ${d.session.time})`]) });
        break;
      }
      case 'storage': {
        const a = d.source.resolve(m.address);
        if (a === undefined) this.post({ type: 'console', lines: [`storage view: '${m.address}' is not a symbol or a hex address`] });
        else { this.storageAt = a & ~15; this.sendView(); }
        break;
      }
    }
  }

  /* ---- loading ---- */

  private load(m: Extract<ToEngine, { type: 'load' }>): void {
    this.generation++;
    // A run of the old program ends at its next yield, leaving this state alone (see runLoop).
    this.running = false;
    this.d = null;
    this.events = []; this.pending = []; this.highSeq = 0; this.sentOutput = 0; this.journalLength = 0;
    const asm = assemble(m.source, { file: m.file, readFile: readInclude });
    if (!asm.ok) { this.post({ type: 'loaded', ok: false, errors: asm.diagnostics.filter((x) => x.severity === 'error') }); return; }
    const symbols: Record<string, number> = {};
    for (const [k, s] of asm.symbols) if (s.kind === 'label') symbols[k] = s.value;
    let d: Debugger;
    try {
      d = new Debugger({ entry: asm.entry, segments: asm.segments, symbols }, asm, { mode: m.vm ? 'vm' : 'bare', input: m.input ?? [] });
    } catch (e) {
      this.post({ type: 'loaded', ok: false, errors: [{ file: m.file, line: 1, col: 1, severity: 'error', message: (e as Error).message }] });
      return;
    }
    d.maxRun = COMMAND_LIMIT;
    const demoted = m.demote ? BY_MNEMONIC.get(m.demote.toUpperCase()) : undefined;
    if (demoted?.privileged) {
      // Theorem 1 broken on purpose (as `tinycp theorem --demote` does): the real CPU no longer traps this sensitive instruction.
      applyProfile(d.session.cpu, demoteProfile(demoted.mnemonic as Mnemonic));
    }
    if (m.disk) {
      // The CMS A-disk: in memory, attached before the timeline's first snapshot so IPL and BACK restore it too.
      d.session.devices.channel.attach(0x191, new Disk3310(new MemoryBlockStore(m.disk)));
      (d as { timeline: Timeline }).timeline = new Timeline(d, 10_000, 64);
    }
    this.d = d; this.mainFile = m.file;
    this.hook(d);
    this.storageAt = firstDataLabel(asm) ?? 0x200;
    this.post({ type: 'loaded', ok: true, errors: [] });
    this.post({ type: 'events', events: [], reset: true, dropAfter: null });
    this.post({ type: 'output', lines: [], keep: 0 });
    this.post({ type: 'stopped', reason: 'entry', lines: ['stopped before the first instruction:', d.whereLine()] });
    this.sendView();
  }

  /** The debugger's position of the instruction executing now (inside a chunk, from the instruction counters). */
  private positionNow(d: Debugger): number { return d.instructions() + this.chunkBase; }

  /** Listen to trap events for the timeline (CP's listener, or the bare CPU's interruption hook). */
  private hook(d: Debugger): void {
    const s = d.session;
    // Events carry the position of the instruction that caused them, so a click can go back to it.
    const run = d.runChunk.bind(d);
    d.runChunk = (n: number) => { this.chunkBase = d.position - d.instructions(); return run(n); };
    if (s.cp) {
      const cp = s.cp, cpu = s.cpu;
      // CP builds a new event object for each trap: complete it in place rather than copy it (200,000 traps a run are normal).
      cp.on((e) => {
        if (e.seq <= this.highSeq) return;
        const x = e as unknown as DebugEvent;
        x.step = this.positionNow(d); x.origin = 'cp'; x.real = { flags: cpu.pswFlags() | 0, cc: cpu.cc, ia: cpu.ia };
        this.record(x);
      });
      return;
    }
    // The debugger installs and removes its own hook as traces come and go: keep ours beside it.
    const cpu = s.cpu;
    let theirs: typeof cpu.onInterrupt = null;
    const both = (cls: number, code: number, oldIa: number) => {
      const name = INT_CLASS_NAMES[cls];
      const at = (oldIa - 4) & 0xffffff;
      const w = name === 'svc' ? d.fetch(at) : null;
      const e = bareInterruptEvent(s.mem, cls, code, cpu.now, w === null ? null : { address: at, word: w, text: d.source.disassemble(w, at) });
      e.seq = this.bareSeq(); e.step = this.positionNow(d);
      this.record(e);
      theirs?.(cls, code, oldIa);
    };
    Object.defineProperty(cpu, 'onInterrupt', { configurable: true, get: () => both, set: (f: typeof theirs) => { theirs = f; } });
  }

  private bareSeq(): number {
    const n = this.d!.session.cpu.counters.interruptions;
    let t = 0;
    for (let i = 0; i < n.length; i++) t += n[i];
    return t;
  }

  /** The sequence number of the latest event that has happened at the current position. */
  private nowSeq(): number { const d = this.d!; return d.session.cp ? d.session.cp.seq : this.bareSeq(); }

  private record(e: DebugEvent): void {
    if (e.seq <= this.highSeq) return; // a replay (BACK, reverse search): recorded the first time
    this.highSeq = e.seq;
    this.events.push(e);
    if (this.events.length > 2 * MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    this.pending.push(e);
    // Only the newest are sent: drop the older half at once (amortised, never a shift per event).
    if (this.pending.length > 2 * MAX_EVENTS) this.pending.splice(0, this.pending.length - MAX_EVENTS);
  }

  /** An operator action after stepping back forks history: the recorded future is gone. */
  private afterIntervention(): void {
    const d = this.d!;
    const j = d.timeline.journal.length;
    if (j === this.journalLength) return;
    this.journalLength = j;
    const now = this.nowSeq();
    if (this.highSeq <= now) return;
    while (this.events.length && this.events[this.events.length - 1].seq > now) this.events.pop();
    this.pending = this.pending.filter((e) => e.seq <= now);
    this.highSeq = now;
    this.post({ type: 'events', events: [], reset: false, dropAfter: now });
  }

  /* ---- controls ---- */

  private async control(what: Control): Promise<void> {
    const d = this.d!;
    switch (what) {
      case 'run': return this.runLoop(false);
      case 'runToTrap': return this.runLoop(true);
      case 'step': return this.finish(execute(d, 'STEP'));
      case 'stepOver': return this.finish(execute(d, 'STEP OVER'));
      case 'back': return this.finish(execute(d, 'BACK'));
      case 'backTrap': return this.finish(execute(d, 'BACK TRAP'));
      case 'reverseContinue': {
        // Backward to the previous breakpoint (or watched change); the start when there is none.
        if (d.breakpoints.size === 0 && d.watches.length === 0) return this.finish({ ok: true, lines: [], stop: d.back(d.position) });
        const found = d.timeline.searchBack(() => false);
        const lines = found ? [`back to instruction ${d.position}: ADSTOP ${hex(d.ia, 6)}${d.symbolAt(d.ia)}`] : ['no earlier breakpoint: back at the start'];
        return this.finish({ ok: true, lines: [], stop: d.stop('back', lines) });
      }
      case 'pause': return;
    }
  }

  private async runLoop(toTrap: boolean): Promise<void> {
    const d = this.d!, gen = this.generation;
    this.running = true; this.pauseAsked = false;
    const saved = d.rules;
    if (toTrap) { d.rules = [...saved, ...TRAP_RULES]; d.refreshHooks(); }
    let stop: Stop | null = null;
    let first = true, lastView = this.clock();
    this.sendView();
    try {
      for (;;) {
        const t0 = this.clock();
        do {
          stop = d.resume(d.perStep ? 2_000 : 50_000, first);
          first = false;
        } while (stop.reason === 'step' && this.clock() - t0 < SLICE_MS);
        if (stop.reason !== 'step') break;
        if (this.clock() - lastView > VIEW_MS) { lastView = this.clock(); this.sendAll(); }
        await this.yieldNow();
        if (gen !== this.generation) return; // a new program was loaded meanwhile
        if (this.pauseAsked) { stop = d.stop('step', [`paused after instruction ${d.position}`]); break; }
      }
    } finally {
      if (gen === this.generation) {
        if (toTrap) { d.rules = saved; d.refreshHooks(); }
        this.running = false;
      }
    }
    this.finish({ ok: true, lines: [], stop });
  }

  private finish(r: { ok: boolean; lines: string[]; stop?: Stop | null }): void {
    const lines = [...r.lines, ...(r.stop?.lines ?? [])];
    this.afterIntervention();
    this.post({ type: 'stopped', reason: r.stop?.reason ?? 'command', lines });
    this.sendAll();
  }

  private setBreakpoints(lines: number[]): void {
    const d = this.d!;
    d.breakpoints.clear(); d.conditions.clear();
    for (const l of lines) for (const a of d.source.addresses(this.mainFile, l)) d.breakpoints.add(a);
    d.refreshHooks();
  }

  /** A line typed at the CP console: the commands of `tinycp debug` (BEGIN runs in slices like Run). */
  private async command(text: string): Promise<void> {
    const d = this.d!;
    this.post({ type: 'console', lines: [`CP> ${text}`] });
    const words = text.trim().split(/\s+/);
    if (words.length === 1 && words[0].length >= 1 && 'BEGIN'.startsWith(words[0].toUpperCase())) return this.runLoop(false);
    const r = execute(d, text);
    if (r.stop) { this.finish(r); return; }
    this.post({ type: 'console', lines: r.lines });
    this.afterIntervention();
    this.sendAll();
  }

  /** The recorded event with this seq (binary search), if it is still kept. */
  private find(seq: number): DebugEvent | undefined {
    const a = this.events;
    let lo = 0, hi = a.length - 1;
    while (lo <= hi) { const m = (lo + hi) >> 1; if (a[m].seq === seq) return a[m]; if (a[m].seq < seq) lo = m + 1; else hi = m - 1; }
    return undefined;
  }

  private narrate(seq: number): void {
    const d = this.d!;
    const e = this.find(seq);
    if (!e) { this.post({ type: 'narration', seq, lines: [`event #${seq} is no longer kept (the last ${MAX_EVENTS} are)`], before: { flags: 0, cc: 0, ia: 0 }, after: { flags: 0, cc: 0, ia: 0 }, cp: false }); return; }
    const loc = e.instruction ? d.locate(e.instruction.address) : undefined;
    const lines = stopNarration(e, loc, '').filter((l) => !l.startsWith('  counters:'));
    this.post({ type: 'narration', seq, lines, before: e.before, after: e.after, cp: e.origin === 'cp' });
  }

  /* ---- views ---- */

  private sendAll(): void {
    const d = this.d!;
    if (this.pending.length) {
      this.post({ type: 'events', events: this.pending.slice(-MAX_EVENTS).map((e) => this.eventView(e)), reset: false, dropAfter: null });
      this.pending = [];
    }
    const out = d.outputLog;
    if (out.length < this.sentOutput) this.post({ type: 'output', lines: [], keep: out.length });
    else if (out.length > this.sentOutput) this.post({ type: 'output', lines: out.slice(this.sentOutput), keep: this.sentOutput });
    this.sentOutput = out.length;
    this.sendView();
  }

  private eventView(e: DebugEvent): EventView {
    const at = e.instruction?.address ?? null;
    const loc = at === null ? undefined : this.d!.locate(at);
    return {
      seq: e.seq, time: e.time, cause: e.cause, code: e.code, action: e.action,
      text: e.instruction?.text ?? '', address: at, position: e.step, line: loc && loc.file === this.mainFile ? loc.line : null,
      beforeProblem: (e.before.flags & PSW_PROBLEM) !== 0, afterProblem: (e.after.flags & PSW_PROBLEM) !== 0, cp: e.origin === 'cp',
    };
  }

  private lineOf(a: number): number | null {
    const loc = this.d!.locate(a);
    return loc && loc.file === this.mainFile ? loc.line : null;
  }

  /** Everything the views draw, from the debugger's state now. */
  view(): MachineView {
    const d = this.d!, s = d.session, vm = s.vm, ia = d.ia;
    const disasm: MachineView['disasm'] = [];
    for (let a = Math.max(0, ia - 16); a < ia + 36; a += 4) {
      const w = d.fetch(a);
      disasm.push({ address: a, text: w === null ? '(not addressable)' : d.source.disassemble(w, a, a === ia ? d.gpr : undefined), line: this.lineOf(a), current: a === ia, breakpoint: d.breakpoints.has(a) });
    }
    const size = d.mem.length * 4;
    const at = Math.min(this.storageAt, size - STORAGE_BYTES);
    const bytes: number[] = [];
    for (let i = 0; i < STORAGE_BYTES; i++) bytes.push((d.mem[(at + i) >>> 2] >>> (8 * (3 - ((at + i) & 3)))) & 0xff);
    const labels: { offset: number; name: string }[] = [];
    for (const [a, n] of d.source.names) if (a >= at && a < at + STORAGE_BYTES) labels.push({ offset: a - at, name: n });
    const o = s.outcome;
    const cpu = s.cpu;
    const interruptions: Record<string, number> = {};
    cpu.counters.interruptions.forEach((n, i) => { if (n) interruptions[INT_CLASS_NAMES[i]] = n; });
    const c = vm?.counters;
    return {
      mode: d.mode, running: this.running, ended: d.ended, waiting: d.waitingForInput,
      status: this.running ? 'running' : d.ended ? `ended: ${o.message}` : d.waitingForInput ? 'waiting for console input' : `stopped at instruction ${d.position}`,
      position: d.position, time: s.time, psw: d.psw(),
      real: vm ? { flags: cpu.pswFlags() | 0, cc: cpu.cc, ia: cpu.ia } : null,
      gpr: [...d.gpr], cr: [...d.cr], line: this.lineOf(ia), disasm,
      storage: { address: at, bytes, labels },
      counters: {
        direct: c?.direct ?? 0, handled: c?.handled ?? 0, efficiency: c?.efficiency ?? 1, entries: c ? { ...c.entries } : {},
        instructions: d.instructions(), interruptions,
      },
      tables: this.tables(),
      nowSeq: this.nowSeq(),
    };
  }

  private tables(): MachineView['tables'] {
    const d = this.d!, s = d.session, v = s.vm ?? s.cpu;
    const guest: PageRow[] = [];
    const cr1 = v.cr[1];
    if (cr1 !== 0) {
      // The guest's own tables (PoO 6.1), read the way TRANSLATE reads them: nothing is filled by looking.
      for (let sx = 0; sx <= (cr1 & CR1_STL) && guest.length < 256; sx++) {
        for (let px = 0; px < 256 && guest.length < 256; px++) {
          const va = (sx << 20) | (px << 12);
          const e = walkTables(d.mem, cr1, va);
          if (e >= 0) guest.push({ page: va, frame: e & PTE_PFRA, protect: (e & TLB_PROTECT) !== 0 });
        }
      }
    }
    const rows = (t: Int32Array) => {
      const out: PageRow[] = [];
      for (let p = 0; p < t.length && out.length < 256; p++) if ((t[p] & TLB_VALID) !== 0) out.push({ page: p << 12, frame: t[p] & PTE_PFRA, protect: (t[p] & TLB_PROTECT) !== 0 });
      return out;
    };
    let filled: number | null = null;
    const now = this.nowSeq();
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i];
      if (e.seq <= now && e.action === 'shadow-fill' && typeof e.details.virtual === 'number') { filled = e.details.virtual & 0xfff000; break; }
    }
    return { guest, shadow: s.vm ? rows(s.vm.shadow) : null, tlb: rows(s.vm ? s.vm.shadow : s.cpu.tlb), dat: (v.flags & PSW_DAT) !== 0, filled };
  }

  private sendView(): void { if (this.d) this.post({ type: 'view', view: this.view() }); }
}

const hex = (v: number, w: number) => (v >>> 0).toString(16).toUpperCase().padStart(w, '0');

/** The first label after the code (a program's data), for the storage view's first address. */
function firstDataLabel(asm: AsmResult): number | undefined {
  const data = asm.lines.filter((l) => l.depth === 0 && !l.isInstruction && l.bytes.length > 0 && l.address >= 0x200);
  return data.length ? data[0].address & ~15 : undefined;
}
