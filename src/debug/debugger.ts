/**
 * A debugger over one Session, independent of any front end (the CP-style console in
 * src/cli/debug.ts and the DAP adapter in src/dap/ both drive this class).
 *
 * How it stays out of the guest's way: it never plants anything in guest storage and never
 * changes how CP runs the guest (real CP planted SVCs for ADSTOP and switched assists off to
 * trace). It drives `Session.run()`: at full speed in chunks when nothing needs watching, one
 * instruction at a time (`run(1)`) when breakpoints, watchpoints or traces are set, checking
 * between instructions. Trap events come from CP's listeners (`cp.on`); on the bare machine,
 * where nothing traps, they are made from the CPU's interruptions (`cpu.onInterrupt`) and from
 * decoding the instruction about to execute (a privileged instruction or DIAGNOSE run in
 * supervisor state shows up as an 'executed' PRIV / DIAG event).
 *
 * Reverse execution lives in timeline.ts: periodic snapshots, a journal of everything the
 * operator did to the machine, and deterministic replay.
 */
import { DIAG_TEST_RESULT, PSW_PROBLEM, INT_CLASS_NAMES } from '../cpu/arch.ts';
import { eaRS } from '../cpu/general.ts';
import { PRIVILEGED } from '../cpu/isa.ts';
import { readBytes } from '../cpu/storage.ts';
import type { AsmResult } from '../guest/asm/types.ts';
import type { ObjectImage } from '../guest/object.ts';
import type { PswData, TrapEvent } from '../monitor/events.ts';
import { Session, type Mode } from '../system/session.ts';
import { bareInterruptEvent, classesOf, instructionWord, ruleMatches, traceRecord, type DebugEvent, type TraceRecord, type TraceRule } from './events.ts';
import { hex, instructionLine, stopNarration, traceLine } from './format.ts';
import { SourceMap, type SourceLoc } from './source.ts';
import { Timeline } from './timeline.ts';
import { percentText } from '../monitor/narrate.ts';

export type StopReason = 'entry' | 'step' | 'breakpoint' | 'watchpoint' | 'trap' | 'ended' | 'input-wait' | 'limit' | 'back';

/** Why the guest is stopped, for a person (lines) and for a front end (the rest). */
export interface Stop {
  reason: StopReason;
  lines: string[];
  /** The trap events that stopped it (reason 'trap'). */
  events: DebugEvent[];
  /** The guest's instruction address now. */
  address: number;
}

/** A storage watchpoint: stop after any write (by any instruction, CP or a channel) changes the range. */
export interface Watch { address: number; length: number; last: Uint8Array }

export interface DebuggerOptions {
  mode: Mode;
  storage?: number;
  /** Console input lines queued before the program starts. */
  input?: string[];
  /** Guest console and printer output as it is produced (not repeated while replaying). */
  output?: (line: string) => void;
  /** Trap events as `--trace-json` records, each step's events once. */
  traceSink?: (rec: TraceRecord) => void;
  /** Most instructions BEGIN runs before it gives up (default 50 million). */
  maxRun?: number;
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
  private bareHook = false;
  private jsonHigh = 0;
  private jsonSeq = 0;
  private preIa = 0;
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
    this.session = new Session(image, { mode: opts.mode, storage: opts.storage, console: out, printer: out, input: opts.input ?? [] });
    this.source = new SourceMap(asm, image.symbols ?? {});
    if (this.session.cp) this.session.cp.instructionText = (w, a) => this.source.disassemble(w, a);
    this.timeline = new Timeline(this, opts.snapshotInterval ?? 10_000, opts.maxSnapshots ?? 64);
    this.refreshHooks();
  }

  /* ---- machine state, as the guest sees it ---- */

  get vm() { return this.session.vm; }
  get cpu() { return this.session.cpu; }
  /** The guest's PSW (under CP: the virtual PSW). */
  psw(): PswData {
    const v = this.session.vm ?? this.session.cpu;
    return { flags: v.pswFlags() | 0, cc: v.cc, ia: v.ia };
  }
  get ia(): number { return (this.session.vm ?? this.session.cpu).ia; }
  get gpr(): Int32Array { return (this.session.vm ?? this.session.cpu).gpr; }
  get cr(): Int32Array { return (this.session.vm ?? this.session.cpu).cr; }
  get mem(): Int32Array { return this.session.mem; }
  /** Guest instructions completed (bare: the CPU's count; under CP: direct + handled). */
  instructions(): number {
    const v = this.session.vm;
    return v ? v.counters.direct + v.counters.handled : this.session.cpu.counters.instructions;
  }
  get ended(): boolean { return this.session.outcome.state === 'ended'; }
  get waitingForInput(): boolean { return this.session.outcome.reason === 'input-wait' && !this.ended; }

  /** The instruction word at guest address `a` (through the guest's DAT, without touching any TLB), or null. */
  fetch(a: number): number | null {
    const s = this.session.vm ?? this.session.cpu;
    return instructionWord(this.mem, s.flags, s.cr[1], a);
  }

  locate(a: number): SourceLoc | undefined { return this.source.locate(a); }

  /** "ADDRESS  INSTRUCTION   file:line: source" for the next instruction. */
  whereLine(): string {
    const w = this.fetch(this.ia);
    return instructionLine(this.ia, w === null ? '(not addressable)' : this.source.disassemble(w, this.ia), this.locate(this.ia));
  }

  countersText(): string {
    const v = this.session.vm;
    if (v) {
      const c = v.counters;
      const e = Object.entries(c.entries).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
      return `direct ${c.direct}, handled ${c.handled}, efficiency ${percentText(c.efficiency, 2)}; CP entries: ${e}`;
    }
    const c = this.session.cpu.counters;
    const ints = [...c.interruptions].map((n, i) => (n ? `${INT_CLASS_NAMES[i]} ${n}` : '')).filter(Boolean).join(', ') || 'none';
    return `instructions ${c.instructions}; interruptions: ${ints}`;
  }

  /* ---- hooks: installed only while something needs them (free when off) ---- */

  private get needEvents(): boolean { return this.rules.length > 0 || !!this.opts.traceSink || this.searching; }
  /** True when execution must go one instruction at a time. */
  get perStep(): boolean { return this.breakpoints.size > 0 || this.watches.length > 0 || this.needEvents; }

  /** Install or remove the event hooks after breakpoints, traces or watches change. */
  refreshHooks(): void {
    const want = this.needEvents;
    const s = this.session;
    if (s.cp) {
      if (want && !this.unlisten) this.unlisten = s.cp.on((e) => this.onCpEvent(e));
      if (!want && this.unlisten) { this.unlisten(); this.unlisten = null; }
    } else if (want !== this.bareHook) {
      this.bareHook = want;
      s.cpu.onInterrupt = want ? (cls, code, oldIa) => this.onBareInterrupt(cls, code, oldIa) : null;
    }
    const ccw = want && (this.searching || !!this.opts.traceSink || this.rules.some((r) => r.cls === 'CCW' || r.cls === 'ALL'));
    s.devices.channel.onCcw = ccw ? (c) => this.push({
      seq: 0, step: 0, vm: this.vmName, time: c.time, cause: 'ccw', code: c.command, instruction: null,
      before: this.psw(), after: this.psw(), action: 'traced', origin: 'channel', real: null,
      reason: `device X'${hex(c.device, 3)}' CCW at ${hex(c.ccwAddress, 6)}: command X'${hex(c.command, 2)}' data ${hex(c.dataAddress, 6)} flags X'${hex(c.flags, 2)}' count ${c.count}`,
      details: { device: c.device, address: c.ccwAddress, command: c.command, data: c.dataAddress, flags: c.flags, count: c.count },
    }) : null;
  }

  get vmName(): string { return this.session.vm?.name ?? 'BARE'; }

  private push(e: DebugEvent): void {
    if (this.collecting) this.collecting.push(e);
  }

  private onCpEvent(e: TrapEvent): void {
    const c = this.session.cpu;
    this.push({ ...e, step: 0, origin: 'cp', real: { flags: c.pswFlags() | 0, cc: c.cc, ia: c.ia } });
  }

  /** An interruption the bare CPU delivered: the old PSW is in low storage, the new one about to load. */
  private onBareInterrupt(cls: number, code: number, oldIa: number): void {
    const name = INT_CLASS_NAMES[cls];
    const addr = name === 'svc' ? (oldIa - 4) & 0xffffff : this.preIa;
    const w = name === 'svc' || name === 'program' ? this.fetch(addr) : null;
    const diag = w !== null && w >>> 24 === 0x83 ? eaRS(this.session.cpu, w) & 0xfff : -1;
    this.push(bareInterruptEvent(this.session.cpu.mem, cls, code, this.session.cpu.now,
      w === null ? null : { address: addr, word: w, text: this.source.disassemble(w, addr) }, diag));
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
    const s = this.session.vm ?? this.session.cpu;
    const pre = this.psw();
    const preTime = s.now; // an event's t= is the time the instruction began, as CP's events say
    this.preIa = pre.ia;
    const word = this.bareHook || this.rules.some((r) => r.cls === 'INSTRUCTION') ? this.fetch(pre.ia) : null;
    const diagCode = word !== null && word >>> 24 === 0x83 ? eaRS(s, word) & 0xfff : 0;
    const diagR1 = word !== null ? s.gpr[(word >>> 20) & 15] : 0; // DIAGNOSE X'F0''s test result, as CP's event records it
    const events: DebugEvent[] = [];
    this.collecting = events;
    const ran = this.timeline.advance();
    this.collecting = null;
    const after = this.psw();
    if (ran && word !== null) {
      const op = word >>> 24;
      const text = this.source.disassemble(word, pre.ia);
      const instruction = { address: pre.ia, word, text };
      // The bare machine: a privileged instruction in supervisor state simply runs; show it as PRIV/DIAG.
      if (this.bareHook && PRIVILEGED[op] && (pre.flags & PSW_PROBLEM) === 0 && !events.some((e) => e.action === 'delivered' && e.instruction !== null)) {
        const diag = op === 0x83;
        // If an interruption followed in the same step (LPSW into a wait), the PSW it saved is this instruction's result.
        const next = events.find((e) => e.action === 'delivered');
        events.unshift({
          seq: 0, step: 0, vm: 'BARE', time: preTime, cause: diag ? 'diagnose' : 'privileged', code: diag ? diagCode : 0,
          instruction, before: pre, after: next ? next.before : after, action: 'executed', origin: 'bare', real: null,
          details: diag ? (diagCode === DIAG_TEST_RESULT ? { function: diagCode, result: diagR1 } : { function: diagCode }) : {},
          reason: `the bare machine is in supervisor state, so ${text.split(' ')[0]} runs directly on the real machine: nothing traps without a control program.`,
        });
      }
      if (this.rules.some((r) => r.cls === 'INSTRUCTION')) {
        events.push({ seq: 0, step: 0, vm: this.vmName, time: preTime, cause: 'instruction', code: op, instruction, before: pre, after,
          action: 'traced', origin: 'debugger', real: null, reason: 'TRACE INSTRUCTION', details: {} });
      }
    }
    // A channel program's CCWs run inside START I/O (CP's event for it comes last): list them after it.
    const ccws = events.filter((e) => e.cause === 'ccw');
    if (ccws.length && ccws.length < events.length) {
      const rest = events.filter((e) => e.cause !== 'ccw');
      const sio = rest.findIndex((e) => e.instruction !== null && e.instruction.word >>> 24 === 0x9c);
      rest.splice(sio + 1, 0, ...ccws);
      events.splice(0, events.length, ...rest);
    }
    // Events are numbered by the instruction that caused them: the same number on every replay.
    for (const e of events) { e.step = this.position; e.seq = this.position; }
    const watchHits: string[] = [];
    for (const w of this.watches) {
      const now = readBytes(this.mem, w.address, w.length);
      if (!sameBytes(now, w.last)) {
        watchHits.push(`WATCH ${hex(w.address, 6)}.${w.length.toString(16).toUpperCase()}: ${bytesHex(w.last)} -> ${bytesHex(now)}`);
        w.last = now;
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

  /**
   * Run forward: `count` instructions (STEP), or until something stops it (BEGIN: count undefined).
   * A breakpoint at the starting address does not stop the first instruction.
   */
  resume(count?: number, skipBreakAtStart = true): Stop {
    this.timeline.applyJournal(); // replaying history: an IPL or input due here comes first
    if (this.ended) return this.stop('ended', [`the program has ended (${this.session.outcome.message}); use BACK or IPL`]);
    const limit = count ?? this.maxRun;
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
      if (!first && this.breakpoints.has(this.ia)) {
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
      if (this.ended && !this.timeline.due) break;
    }
    this.timeline.applyJournal(); // replaying history: an IPL or input due here comes first
    if (this.ended) return this.stop('ended', [...log, `program ended: ${this.session.outcome.message}`]);
    if (this.waitingForInput) return this.stop('input-wait', [...log, 'the guest is in an enabled wait for console input (type INPUT text)']);
    if (count !== undefined) return this.stop('step', log);
    return this.stop('limit', [...log, `stopped after ${done} instructions with no stop condition met (limit ${this.maxRun})`]);
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

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
function bytesHex(b: Uint8Array): string { return [...b].map((x) => hex(x, 2)).join(''); }
