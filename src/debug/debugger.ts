/**
 * A debugger over one Session, independent of any front end (the CP-style console in
 * src/cli/debug.ts and the DAP adapter in src/dap/ both drive this class).
 *
 * How it stays out of the guest's way: it never plants anything in guest storage and never
 * changes how CP runs the guest (real CP planted SVCs for ADSTOP and switched assists off to
 * trace). It drives `Session.run()`: at full speed in chunks when nothing needs watching, one
 * instruction at a time (`run(1)`) when breakpoints, watchpoints or traces are set, checking
 * between instructions. Trap events come from the machine's structured events (`Session.events`,
 * docs/architecture.md): CP's trap events under CP; on the bare machine, where nothing traps,
 * the CPU's interruption and privileged-instruction events, each with its instruction word (a
 * privileged instruction or DIAGNOSE run in supervisor state shows up as an 'executed' PRIV /
 * DIAG event).
 *
 * Reverse execution lives in timeline.ts: periodic snapshots, a journal of everything the
 * operator did to the machine, and deterministic replay.
 */
import { DIAG_TEST_RESULT } from '../cpu/arch.ts';
import type { PrivilegedEvent } from '../cpu/events.ts';
import type { DebugStopReason } from '../cpu/stop.ts';
import type { Profile } from '../cpu/profiles.ts';
import { readBytes } from '../cpu/storage.ts';
import type { AsmResult } from '../guest/asm/types.ts';
import type { ObjectImage } from '../guest/object.ts';
import type { PswData, TrapEvent } from '../monitor/events.ts';
import { Session, type Mode } from '../session/session.ts';
import {
  classesOf, instructionWord, isDiagnose, isStartIo, ruleMatches, traceRecord, watchBare, type DebugEvent, type TraceRecord, type TraceRule,
} from './events.ts';
import { hex, instructionLine, shortFile, stopNarration, traceLine } from './format.ts';
import { SourceMap, type SourceLoc } from './source.ts';
import { Timeline } from './timeline.ts';
import { compareWatch, storeFootprint, type Watch } from './watch.ts';
import { ccwReason, executedReason } from '../monitor/narrate.ts';
import { conditionStops, MAX_WRITES, overCall, toReturn, type BreakCondition, type Write } from './control.ts';

/** Why the debugger stopped (one of the stop reasons named in src/cpu/stop.ts). */
export type StopReason = DebugStopReason;

/** Why the guest is stopped, for a person (lines) and for a front end (the rest). */
export interface Stop {
  reason: StopReason;
  lines: string[];
  /** The trap events that stopped it (reason 'trap'). */
  events: DebugEvent[];
  /** The guest's instruction address now. */
  address: number;
}

export type { Watch } from './watch.ts';

export interface DebuggerOptions {
  mode: Mode;
  /** Instruction-set profile (src/cpu/profiles.ts) and, under CP, the hybrid VMM (theorem 3). */
  profile?: Profile;
  hybrid?: boolean;
  storage?: number;
  /** Console input lines queued before the program starts. */
  input?: string[];
  /** Guest console and printer output as it is produced (not repeated while replaying). */
  output?: (line: string) => void;
  /** Trap events as `--trace-json` records, each step's events once. */
  traceSink?: (rec: TraceRecord) => void;
  /** Most instructions BEGIN runs before it gives up (default 50 million). */
  maxRun?: number;
  /** Under CP: the virtual-machine assist (default on; suspended while anything traces). */
  assist?: boolean;
  /**
   * Console front ends: guest output made while tracing goes into the returned lines, each line
   * after the trace line or stop narration of the trap that wrote it, instead of to `output` at
   * once (which would put it before the trap). The DAP adapter leaves this off.
   */
  interleave?: boolean;
  /** Instructions between snapshots (default 10 000) and most snapshots kept (default 64). */
  snapshotInterval?: number;
  maxSnapshots?: number;
}

/** One step's findings. */
interface StepResult { ran: boolean; events: DebugEvent[]; watchHits: string[] }

export class Debugger {
  readonly session: Session;
  readonly source: SourceMap;
  readonly mode: Mode;
  readonly breakpoints = new Set<number>();
  readonly watches: Watch[] = [];
  rules: TraceRule[] = [];
  /** Instructions executed since the start: the timeline's clock (virtual time also counts waits). */
  position = 0;
  /** Guest output so far (restored with the machine when stepping back). */
  readonly outputLog: string[] = [];
  /** True while the timeline replays: output is not echoed, events are not logged. */
  replaying = false;
  maxRun: number;
  readonly timeline: Timeline;
  private readonly opts: DebuggerOptions;
  private collecting: DebugEvent[] | null = null;
  private searching = false;
  private unlisten: (() => void) | null = null;
  private unlistenCcw: (() => void) | null = null;
  /** The privileged instruction the bare machine is executing in this step (its 'executed' event is made after it). */
  private executing: (PrivilegedEvent & { text: string }) | null = null;
  private jsonHigh = 0;
  private jsonSeq = 0;
  /** The storage the last checked step's instruction stored into: [address, length] pairs (see watch.ts). */
  readonly footprint = new Int32Array(40);
  /** Pairs in `footprint`; -1 unknown (a privileged instruction or an untranslatable operand); 0 none. */
  footprintPairs = 0;
  /** Conditions of ADSTOP addresses (control.ts); an address in `breakpoints` without one always stops. */
  readonly conditions = new Map<number, BreakCondition>();
  /** While set, execution goes one instruction at a time and stops once it returns true (STEP OVER, STEP RETURN). */
  private until: ((executed: number, next: number) => boolean) | null = null;
  /** While set (a STEP), each checked step records the storage it is about to write, old bytes first. */
  writes: Write[] | null = null;
  /** Set when a recorded step may have written storage outside its footprint (an interruption, I/O, CP). */
  writesUnknown = false;
  /** The instruction word the last checked step executed (0 when not addressable). */
  private lastWord = 0;
  /** Mark changes with ANSI colour (the console sets this when its output is a terminal). */
  color = false;
  /** Guest output of the step being traced, told after its events (`interleave`). */
  private held: string[] | null = null;

  constructor(image: Pick<ObjectImage, 'segments' | 'entry' | 'symbols'>, asm: AsmResult | null, opts: DebuggerOptions) {
    this.opts = opts;
    this.mode = opts.mode;
    this.maxRun = opts.maxRun ?? 50_000_000;
    const out = (line: string) => {
      this.outputLog.push(line);
      if (this.replaying) return;
      if (this.held) this.held.push(line); else opts.output?.(line);
    };
    this.session = new Session(image, {
      mode: opts.mode, storage: opts.storage, console: out, printer: out, input: opts.input ?? [], assist: opts.assist,
      profile: opts.profile, hybrid: opts.hybrid,
    });
    this.source = new SourceMap(asm, image.symbols ?? {});
    // CP describes a trapped instruction before emulating it: its registers are still the ones it uses.
    this.session.instructionText = (w, a) => this.source.disassemble(w, a, this.gpr);
    this.timeline = new Timeline(this, opts.snapshotInterval ?? 10_000, opts.maxSnapshots ?? 64);
    this.refreshHooks();
  }

  /* ---- machine state, as the guest sees it ---- */

  /** The layers below the facade (the VM under CP, the real CPU), for CP's commands and older front ends. */
  get vm() { return this.session.vm; }
  get cpu() { return this.session.cpu; }
  /** The guest's PSW (under CP: the virtual PSW). */
  psw(): PswData { return this.session.psw(); }
  get ia(): number { return this.session.ia; }
  get gpr(): Int32Array { return this.session.gpr; }
  get cr(): Int32Array { return this.session.cr; }
  get mem(): Int32Array { return this.session.mem; }
  /** Guest instructions completed (bare: the CPU's count; under CP: direct + handled). */
  instructions(): number { return this.session.instructions; }
  get ended(): boolean { return this.session.outcome.state === 'ended'; }
  get waitingForInput(): boolean { return this.session.outcome.reason === 'input-wait' && !this.ended; }

  /** The instruction word at guest address `a` (through the guest's DAT, without touching any TLB), or null. */
  fetch(a: number): number | null {
    const s = this.session;
    return instructionWord(this.mem, s.flags, s.cr[1], a);
  }

  locate(a: number): SourceLoc | undefined { return this.source.locate(a); }

  /** "ADDRESS  INSTRUCTION   file:line: source" for the next instruction. */
  whereLine(): string {
    const w = this.fetch(this.ia);
    return this.instructionAt(this.ia, w);
  }

  /**
   * One instruction for the console: symbolic operands (based ones too when it is the next
   * instruction, whose registers are known), its source line, and for a macro expansion the
   * macro body line with the line that invoked it.
   */
  instructionAt(a: number, w: number | null): string {
    const text = w === null ? '(not addressable)' : this.source.disassemble(w, a, a === this.ia ? this.gpr : undefined);
    const x = this.source.expansion(a);
    if (!x) return instructionLine(a, text, this.locate(a));
    return `${instructionLine(a, text, x.body)}   (macro ${x.macro} at ${shortFile(x.from.file)}:${x.from.line})`;
  }

  countersText(): string { return this.session.countersLine(); }

  /* ---- hooks: installed only while something needs them (free when off) ---- */

  private get needEvents(): boolean { return this.rules.length > 0 || !!this.opts.traceSink || this.searching; }
  /** True when execution must go one instruction at a time. */
  get perStep(): boolean {
    return this.breakpoints.size > 0 || this.watches.length > 0 || this.needEvents || this.until !== null || this.writes !== null;
  }

  /** Install or remove the event hooks after breakpoints, traces or watches change. */
  refreshHooks(): void {
    const want = this.needEvents;
    const s = this.session;
    if (want && !this.unlisten) {
      // CP's trap events under CP; on the bare machine, the same shape made from the CPU's events.
      const offTrap = s.events.on('trap', (e) => this.onCpEvent(e));
      const offBare = watchBare(s, (w, a) => this.source.disassemble(w, a, this.gpr), (e) => this.push(e),
        (e) => { this.executing = { ...e, text: this.source.disassemble(e.word, e.address, this.gpr) }; });
      this.unlisten = () => { offTrap(); offBare(); };
    }
    if (!want && this.unlisten) { this.unlisten(); this.unlisten = null; }
    const ccw = want && (this.searching || !!this.opts.traceSink || this.rules.some((r) => r.cls === 'CCW' || r.cls === 'ALL'));
    if (!ccw && this.unlistenCcw) { this.unlistenCcw(); this.unlistenCcw = null; }
    if (ccw && !this.unlistenCcw) this.unlistenCcw = s.events.on('ccw', (c) => this.push({
      seq: 0, step: 0, vm: this.vmName, time: c.time, cause: 'ccw', code: c.command, instruction: null,
      before: this.psw(), after: this.psw(), action: 'traced', origin: 'channel', real: null,
      reason: ccwReason(c),
      details: { device: c.device, address: c.ccwAddress, command: c.command, data: c.dataAddress, flags: c.flags, count: c.count },
    }));
  }

  get vmName(): string { return this.session.name; }

  private push(e: DebugEvent): void {
    if (this.collecting) this.collecting.push(e);
  }

  private onCpEvent(e: TrapEvent): void {
    this.push({ ...e, step: 0, origin: 'cp', real: this.session.realPsw() });
  }

  /* ---- execution ---- */

  /** Execute up to `n` instructions with no checks; returns how many ran. */
  runChunk(n: number): number {
    const before = this.instructions();
    this.session.run(n);
    const d = this.instructions() - before;
    this.position += d;
    return d;
  }

  /** One instruction with events collected and watchpoints compared. */
  stepChecked(): StepResult {
    const s = this.session;
    const pre = this.psw();
    const fw = this.fetch(pre.ia);
    const traced = this.rules.some((r) => r.cls === 'INSTRUCTION');
    // Text before the instruction runs: its based operands by symbol, from the registers it uses.
    const preText = traced && fw !== null ? this.source.disassemble(fw, pre.ia, s.gpr) : '';
    const preTime = s.time; // an event's t= is the time the instruction began, as CP's events say
    this.footprintPairs = fw === null ? -1 : storeFootprint(fw, s, this.mem, this.footprint);
    this.lastWord = fw ?? 0;
    if (this.writes) {
      if (this.footprintPairs < 0) this.writesUnknown = true;
      for (let i = 0; i < this.footprintPairs && this.writes.length <= MAX_WRITES; i++) {
        const a = this.footprint[2 * i], n = this.footprint[2 * i + 1];
        if (a + n <= this.mem.length * 4) this.writes.push({ address: a, old: readBytes(this.mem, a, n) });
      }
    }
    const trapsBefore = this.trapSignal(), timeBefore = this.session.time;
    const events: DebugEvent[] = [];
    this.collecting = events;
    this.executing = null;
    const ran = this.timeline.advance();
    this.collecting = null;
    const after = this.psw();
    const x = this.executing as (PrivilegedEvent & { text: string }) | null; // set by the CPU's event during the step
    this.executing = null;
    // The bare machine: a privileged instruction in supervisor state simply runs; show it as PRIV/DIAG
    // (unless its operand failed: then the program interruption tells it).
    if (ran && x !== null && !events.some((e) => e.action === 'delivered' && e.instruction !== null)) {
      const diag = isDiagnose(x.word), fn = x.operand & 0xfff;
      // If an interruption followed in the same step (LPSW into a wait), the PSW it saved is this instruction's result.
      const next = events.find((e) => e.action === 'delivered');
      events.unshift({
        seq: 0, step: 0, vm: 'BARE', time: x.time, cause: diag ? 'diagnose' : 'privileged', code: diag ? fn : 0,
        instruction: { address: x.address, word: x.word, text: x.text }, before: pre, after: next ? next.before : after,
        action: 'executed', origin: 'bare', real: null,
        details: diag ? (fn === DIAG_TEST_RESULT ? { function: fn, result: x.r1 } : { function: fn }) : {},
        reason: executedReason(x.text),
      });
    }
    if (ran && traced && fw !== null) {
      events.push({ seq: 0, step: 0, vm: this.vmName, time: preTime, cause: 'instruction', code: fw >>> 24,
        instruction: { address: pre.ia, word: fw, text: preText }, before: pre, after,
        action: 'traced', origin: 'debugger', real: null, reason: 'TRACE INSTRUCTION', details: {} });
    }
    // A channel program's CCWs run inside START I/O (CP's event for it comes last): list them after it.
    const ccws = events.filter((e) => e.cause === 'ccw');
    if (ccws.length && ccws.length < events.length) {
      const rest = events.filter((e) => e.cause !== 'ccw');
      const sio = rest.findIndex((e) => e.instruction !== null && isStartIo(e.instruction.word));
      rest.splice(sio + 1, 0, ...ccws);
      events.splice(0, events.length, ...rest);
    }
    // Events are numbered by the instruction that caused them: the same number on every replay.
    for (const e of events) { e.step = this.position; e.seq = this.position; }
    const watchHits: string[] = [];
    if (this.writes && this.trapSignal() !== trapsBefore) this.writesUnknown = true;
    if (this.watches.length) {
      // Only the bytes the instruction stored, unless something else may have written (see watch.ts).
      const full = this.footprintPairs < 0 || this.trapSignal() !== trapsBefore || this.session.time - timeBefore !== 1;
      for (const w of this.watches) {
        if (full) { const h = compareWatch(w, this.mem, w.address, w.length); if (h) watchHits.push(h); continue; }
        for (let i = 0; i < this.footprintPairs; i++) {
          const h = compareWatch(w, this.mem, this.footprint[2 * i], this.footprint[2 * i + 1]);
          if (h) watchHits.push(h);
        }
      }
    }
    if (!this.replaying && this.opts.traceSink && this.position > this.jsonHigh) {
      this.jsonHigh = this.position;
      for (const e of events) {
        if (e.cause === 'instruction') continue;
        const rec = traceRecord(e, e.instruction ? this.locate(e.instruction.address) ?? null : null);
        rec.seq = ++this.jsonSeq;
        this.opts.traceSink(rec);
      }
    }
    return { ran, events, watchHits };
  }

  /** Re-read watched storage (after a jump in time or a STORE). */
  rebaseWatches(): void { for (const w of this.watches) w.last = readBytes(this.mem, w.address, w.length); }

  /** Changes whenever an interruption or CP (not the guest's own instruction) may have written storage. */
  private trapSignal(): number { return this.session.trapSignal(); }

  /**
   * Run forward: `count` instructions (STEP), or until something stops it (BEGIN: count undefined).
   * A breakpoint at the starting address does not stop the first instruction.
   */
  resume(count?: number, skipBreakAtStart = true): Stop {
    this.timeline.applyJournal(); // replaying history: an IPL or input due here comes first
    if (this.ended) return this.stop('ended', [`the program has ended (${this.session.outcome.message}); use BACK or IPL`]);
    // Every run command is bounded: STEP n and BEGIN alike stop after maxRun (--max-instructions).
    const limit = Math.min(count ?? this.maxRun, this.maxRun);
    const log: string[] = [];
    let done = 0;
    let first = skipBreakAtStart;
    while (done < limit) {
      if (!this.perStep) {
        const n = this.timeline.forwardChunk(limit - done);
        done += n;
        if (this.timeline.due) continue; // recorded input (or IPL...) arrives here: go on
        if (n === 0 || this.ended || this.waitingForInput) break;
        continue;
      }
      if (!first && this.breakpoints.has(this.ia) && this.breakStops(this.ia)) {
        return this.stop('breakpoint', [...log, `ADSTOP ${hex(this.ia, 6)}${this.symbolAt(this.ia)}`]);
      }
      first = false;
      const held = this.opts.interleave && this.rules.length > 0 ? (this.held = []) : null;
      let r: StepResult;
      try { r = this.stepChecked(); } finally { this.held = null; }
      if (!r.ran) { if (held) log.push(...held); if (this.timeline.due) continue; break; }
      done++;
      const stops: DebugEvent[] = [];
      for (const e of r.events) {
        const rules = this.rules.filter((x) => ruleMatches(x, e));
        if (rules.some((x) => !x.run)) stops.push(e);
        else if (rules.length) log.push(traceLine(e, e.instruction ? this.locate(e.instruction.address) : undefined));
      }
      if (stops.length) {
        const lines = [...log];
        for (const e of stops) lines.push(...stopNarration(e, e.instruction ? this.locate(e.instruction.address) : undefined, this.countersText()));
        if (held) lines.push(...held);
        return { ...this.stop('trap', lines), events: stops };
      }
      if (held) log.push(...held);
      if (r.watchHits.length) return this.stop('watchpoint', [...log, ...r.watchHits]);
      if (this.until && this.until(this.lastWord, this.ia)) return this.stop('step', log);
      if (this.ended && !this.timeline.due) break;
    }
    this.timeline.applyJournal(); // replaying history: an IPL or input due here comes first
    if (this.ended) return this.stop('ended', [...log, `program ended: ${this.session.outcome.message}`]);
    if (this.waitingForInput) return this.stop('input-wait', [...log, 'the guest is in an enabled wait for console input (type INPUT text)']);
    if (count !== undefined && (count <= this.maxRun || done < this.maxRun) && !this.until) return this.stop('step', log);
    return this.stop('limit', [...log, `stopped after ${done} instructions with no stop condition met (limit ${this.maxRun})`]);
  }

  /** An arrival at an ADSTOP address: stop unless its condition says not yet. */
  private breakStops(a: number): boolean {
    const c = this.conditions.get(a);
    return !c || conditionStops(c, this);
  }

  /** STEP OVER: one instruction, or, at a call (BAL, BALR, BRAS), run until it returns to the next one. */
  stepOver(): Stop {
    const w = this.fetch(this.ia);
    const test = w === null ? null : overCall(w, this.ia);
    return test ? this.runUntil(test) : this.resume(1);
  }

  /** STEP RETURN: run until the current routine returns (BR Rn) or the handler ends (LPSW). */
  stepReturn(): Stop { return this.runUntil(toReturn()); }

  private runUntil(test: (executed: number, next: number) => boolean): Stop {
    this.until = test;
    try { return this.resume(); } finally { this.until = null; }
  }

  /** A stop at the current instruction, with the next instruction appended. */
  stop(reason: StopReason, lines: string[]): Stop {
    const where = this.ended ? [] : [this.whereLine()];
    return { reason, lines: [...lines, ...where], events: [], address: this.ia };
  }

  symbolAt(a: number): string { const n = this.source.names.get(a); return n ? ` (${n})` : ''; }

  /** Step back `n` instructions. */
  back(n: number): Stop {
    const target = Math.max(0, this.position - n);
    this.timeline.goTo(target);
    return this.stop('back', [`back to instruction ${this.position} (virtual time ${this.session.time})`]);
  }

  /** Run backward to the most recent trap (of the traced classes, or any), breakpoint or watched change. */
  backTrap(): Stop {
    this.searching = true;
    this.refreshHooks();
    try {
      const found = this.timeline.searchBack((e) => (this.rules.length ? this.rules.some((r) => ruleMatches(r, e)) : classesOf(e).length > 0 && e.cause !== 'ccw'));
      if (!found) return this.stop('back', ['no earlier trap, breakpoint or watched change: back at the start']);
      const lines = [`back to instruction ${this.position} (virtual time ${this.session.time})`];
      if (found.kind === 'breakpoint') lines.push(`ADSTOP ${hex(this.ia, 6)}${this.symbolAt(this.ia)}`);
      else if (found.kind === 'watch') lines.push(...found.watchHits);
      else for (const e of found.events) lines.push(...stopNarration(e, e.instruction ? this.locate(e.instruction.address) : undefined, this.countersText()));
      return { ...this.stop(found.kind === 'trap' ? 'trap' : found.kind === 'breakpoint' ? 'breakpoint' : 'watchpoint', lines), events: found.events };
    } finally {
      this.searching = false;
      this.refreshHooks();
    }
  }

  /**
   * Something the operator does to the machine (STORE, EXTERNAL, INPUT, IPL, SYSTEM RESET, a CP
   * command): applied now and journaled, so replays reproduce it at the same instruction.
   */
  intervene(text: string, apply: () => void): void {
    this.timeline.intervene(text, apply);
    this.rebaseWatches();
  }

  /** Type a line at the guest's console (journaled). */
  input(line: string): void { this.intervene(`INPUT ${line}`, () => this.session.input(line)); }

  /** Byte-exact description of the guest-visible machine (tests compare these). */
  fingerprint(): Record<string, unknown> {
    const s = this.session;
    return { position: this.position, state: s.guestState(), outcome: s.outcome, output: [...this.outputLog], channel: JSON.stringify(s.devices.channel.save()) };
  }
}

