/**
 * The Debug Adapter Protocol front end of the debugger (src/debug/debugger.ts). One thread per
 * virtual machine (one: the session runs one guest, bare or under CP). Source breakpoints map to
 * instruction addresses through the assembler's per-line records; line steps run instruction by
 * instruction until the source line changes; `stepBack` and `reverseContinue` use the
 * debugger's timeline; a trap of an enabled exception filter stops with reason 'exception' and
 * the trap's narration as its description; the debug console runs CP and debugger commands.
 *
 * A client is untrusted input. Every request passes through `receive`/`dispatchRequest`: its
 * arguments are checked (validate.ts) and a bad one is answered with a DAP error naming the
 * field; requests that need a program are refused until a launch has succeeded; requests that
 * move the guest are refused while it runs; runs are bounded ticks on the event loop
 * (stepping.ts); and an exception anywhere (a bug) answers that request with an error, or, in a
 * background run, ends this session only. No error message carries a stack or a host file's bytes.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { resolve } from 'node:path';
import {
  BreakpointEvent, DebugSession, InitializedEvent, OutputEvent, Response, Scope, Source, StackFrame, StoppedEvent, TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { execute } from '../debug/commands.ts';
import { Debugger, type Stop } from '../debug/debugger.ts';
import { type TraceClass, type TraceRule } from '../debug/events.ts';
import { hex } from '../debug/format.ts';
import { disassemble, readMemory } from './memory.ts';
import { loadProgram } from './program.ts';
import { lineStepTick, RUN_LIMIT, runTick, stepBackTick, type Tick } from './stepping.ts';
import {
  address, argsOf, BadRequest, objAt, optArray, optBool, optEnum, optInt, optString, quote, reqInt, reqString, type Args,
} from './validate.ts';
import { REF_CR, REF_GPR, scopeVariables, SCOPES } from './variables.ts';

const THREAD = 1;
/** Exception filter ids and the TRACE class each one turns on. */
const FILTERS: Record<string, { cls: TraceClass; label: string }> = {
  priv: { cls: 'PRIV', label: 'Privileged instructions' },
  svc: { cls: 'SVC', label: 'Supervisor calls (SVC)' },
  program: { cls: 'PROGRAM', label: 'Program interruptions' },
  external: { cls: 'EXTERNAL', label: 'External interruptions' },
  io: { cls: 'IO', label: 'I/O interruptions and instructions' },
  diag: { cls: 'DIAG', label: 'DIAGNOSE (hypercalls)' },
};
/** Caps on what one request may ask for (and MEMORY_LIMITS in memory.ts). */
export const LIMITS = { breakpoints: 10_000, sources: 1_000, writeBytes: 1 << 16, inputLines: 1_000 };
/** Instructions a debug console command may run in one go (BEGIN and STEP n beyond it run as ticks). */
const EVAL_LIMIT = 50_000;
/** History a reverse search may replay instruction by instruction (it runs in one go: ~0.5 s at this limit). */
export const REVERSE_LIMIT = 250_000;
const GRANULARITY = ['statement', 'line', 'instruction'] as const;

/** Requests answered only once a program is loaded. */
const NEEDS_PROGRAM = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'pause', 'evaluate', 'disassemble',
  'readMemory', 'writeMemory', 'setVariable', 'variables', 'scopes', 'stackTrace', 'exceptionInfo']);
/** Requests refused while the guest runs (they move it or change it). */
const NOT_WHILE_RUNNING = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'evaluate', 'writeMemory', 'setVariable']);

export interface SessionOptions {
  /** Required as the launch request's `token` argument, when set. */
  token?: string;
  /** Told of internal errors (bugs), each of which ends at most this session. */
  onInternalError?: (e: unknown) => void;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export class TinycpDebugSession extends DebugSession {
  private d: Debugger | null = null;
  private configured!: Promise<void>;
  private configDone: () => void = () => {};
  private dapBreaks = new Set<number>();
  private sourceBreaks = new Map<string, number[]>();
  private instrBreaks: number[] = [];
  private pendingSource = new Map<string, DebugProtocol.SetBreakpointsArguments>();
  private filters: string[] = [];
  private lastStop: Stop | null = null;
  /** The run in progress (ticks on the event loop), if any. */
  private job: object | null = null;
  private paused = false;
  private closed = false;
  private launching = false;
  private authorized: boolean;
  /** Called when the session must end its connection (disconnect, a failed token, an internal error). */
  onEnd: () => void = () => {};

  constructor(private readonly opts: SessionOptions = {}) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.configured = new Promise((res) => { this.configDone = res; });
    this.authorized = !opts.token;
  }

  /** The connection is gone: stop any run; nothing more is sent. */
  end(): void { this.closed = true; this.paused = true; this.job = null; }

  /** One message from the client, parsed from JSON but otherwise unchecked. */
  receive(msg: unknown): void {
    if (this.closed || typeof msg !== 'object' || msg === null) return;
    const m = msg as Record<string, unknown>;
    if (m.type !== 'request') return; // responses (we send no requests) and events are ignored
    const seq = typeof m.seq === 'number' && Number.isSafeInteger(m.seq) ? m.seq : 0;
    const command = typeof m.command === 'string' && m.command.length <= 64 ? m.command : '';
    this.dispatchRequest({ seq, type: 'request', command, arguments: m.arguments });
  }

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const response = new Response(request);
    const cmd = request.command;
    try {
      if (!cmd) throw new BadRequest('a request needs a command name (a string of at most 64 characters)', 1014);
      const args = argsOf(request.arguments);
      if (!this.authorized && cmd !== 'initialize' && cmd !== 'launch' && cmd !== 'disconnect') {
        throw new BadRequest('this server requires a token: send it as the launch argument "token"', 3020);
      }
      if (NEEDS_PROGRAM.has(cmd) && !this.d) throw new BadRequest('no program is loaded: send launch first (or the launch failed)', 3003);
      if (NOT_WHILE_RUNNING.has(cmd) && this.job) throw new BadRequest('the program is running: pause it first', 3011);
      const h = this.handlers[cmd];
      if (!h) throw new BadRequest(`unrecognized request ${quote(cmd)}`, 1014);
      const p = h(response, args);
      if (p) p.catch((e: unknown) => this.failed(response, e));
    } catch (e) {
      this.failed(response, e);
    }
  }

  /** Answer a request with an error (a refused argument, or a bug: then without its details). */
  private failed(response: DebugProtocol.Response, e: unknown): void {
    if (e instanceof BadRequest) { this.error(response, e.id, e.reason); return; }
    this.opts.onInternalError?.(e);
    if (response.seq === 0) this.error(response, 1104, `internal error while handling '${response.command}'; the session goes on`);
    else this.fatal(e);
  }

  /** An error response. (Not the base class's, which treats {..} in the text as a template.) */
  private error(response: DebugProtocol.Response, id: number, message: string): void {
    if (this.closed || response.seq > 0) return;
    response.success = false;
    response.message = message;
    response.body = { error: { id, format: message.replace(/[{}]/g, ''), showUser: true } };
    this.sendResponse(response);
  }

  private reply(response: DebugProtocol.Response): void { if (!this.closed && response.seq === 0) this.sendResponse(response); }

  /** An error outside any request (a background run): this session ends, no other. */
  private fatal(e: unknown): void {
    if (this.closed) return;
    this.opts.onInternalError?.(e);
    this.sendEvent(new OutputEvent('tinycp dap: internal error; this session ends\n', 'stderr'));
    this.sendEvent(new TerminatedEvent());
    this.end();
    this.onEnd();
  }

  private readonly handlers: Record<string, (r: DebugProtocol.Response, a: Args) => void | Promise<void>> = {
    initialize: (r) => this.initialize(r),
    launch: (r, a) => this.launch(r, a),
    configurationDone: (r) => { this.reply(r); this.configDone(); },
    disconnect: (r) => { this.paused = true; this.job = null; this.reply(r); this.end(); this.onEnd(); },
    setBreakpoints: (r, a) => this.setBreakpoints(r, a),
    setInstructionBreakpoints: (r, a) => this.setInstructionBreakpoints(r, a),
    setExceptionBreakpoints: (r, a) => this.setExceptionBreakpoints(r, a),
    continue: (r) => { r.body = { allThreadsContinued: true }; this.reply(r); this.run(runTick(this.d!)); },
    pause: (r) => { this.paused = true; this.reply(r); },
    next: (r, a) => this.moveBy(r, lineStepTick(this.d!, 'over', this.byInstruction(a))),
    stepIn: (r, a) => this.moveBy(r, lineStepTick(this.d!, 'in', this.byInstruction(a))),
    stepOut: (r, a) => this.moveBy(r, lineStepTick(this.d!, 'out', this.byInstruction(a))),
    stepBack: (r, a) => this.moveBy(r, stepBackTick(this.d!, this.byInstruction(a))),
    reverseContinue: (r) => { this.checkReverse(); this.reply(r); this.report(this.d!.backTrap()); },
    threads: (r) => {
      const d = this.d;
      r.body = { threads: d ? [new Thread(THREAD, d.session.virtual ? `VM ${d.vmName} (under CP)` : 'bare machine')] : [] };
      this.reply(r);
    },
    stackTrace: (r) => this.stackTrace(r),
    scopes: (r) => {
      const vm = this.d!.session.virtual;
      r.body = { scopes: SCOPES.filter((s) => vm || !s.vmOnly).map((s) => new Scope(s.name, s.ref, false)) };
      this.reply(r);
    },
    variables: (r, a) => { r.body = { variables: scopeVariables(this.d!, reqInt(a, 'variablesReference', 0, 2 ** 31)) }; this.reply(r); },
    exceptionInfo: (r) => this.exceptionInfo(r),
    readMemory: (r, a) => this.readMemory(r, a),
    writeMemory: (r, a) => this.writeMemory(r, a),
    disassemble: (r, a) => this.disassemble(r, a),
    setVariable: (r, a) => this.setVariable(r, a),
    evaluate: (r, a) => this.evaluate(r, a),
  };

  private initialize(response: DebugProtocol.Response): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsStepBack: true,
      supportsSteppingGranularity: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsSetVariable: true,
      supportsDisassembleRequest: true,
      supportsInstructionBreakpoints: true,
      supportsExceptionInfoRequest: true,
      supportsEvaluateForHovers: false,
      exceptionBreakpointFilters: Object.entries(FILTERS).map(([filter, f]) => ({ filter, label: f.label, default: false })),
    } satisfies DebugProtocol.Capabilities;
    this.reply(response);
  }

  private async launch(response: DebugProtocol.Response, a: Args): Promise<void> {
    if (!this.authorized) {
      const t = optString(a, 'token', 1024);
      if (t === undefined || !timingSafeEqual(digest(t), digest(this.opts.token!))) {
        this.error(response, 3021, t === undefined ? 'this server requires a token: send it as the launch argument "token"' : 'wrong token: the connection is closed');
        if (t !== undefined) { this.end(); this.onEnd(); }
        return;
      }
      this.authorized = true;
    }
    if (this.d || this.launching) throw new BadRequest('a program is already launched in this session', 3012);
    const program = reqString(a, 'program');
    const mode = optEnum(a, 'mode', ['bare', 'vm'] as const) ?? 'bare';
    const stopOnEntry = optBool(a, 'stopOnEntry') ?? false;
    const input = optArray(a, 'input', LIMITS.inputLines).map((l, i) => {
      if (typeof l !== 'string' || l.length > 1024) throw new BadRequest(`'input' element ${i} must be a string of at most 1024 characters`);
      return l;
    });
    const loaded = loadProgram(program);
    if (!loaded.ok) throw new BadRequest(loaded.error, 3001);
    try {
      this.d = new Debugger(loaded.build.image, loaded.build.asm, {
        mode, input, maxRun: EVAL_LIMIT,
        output: (line) => { if (!this.closed) this.sendEvent(new OutputEvent(line + '\n', 'stdout')); },
      });
    } catch (e) {
      this.opts.onInternalError?.(e);
      throw new BadRequest(`cannot load ${quote(program)}: the program could not be set up`, 3002);
    }
    // Breakpoints can arrive before the program is known; they are resolved now.
    for (const b of this.pendingSource.values()) this.setSourceBreaks(b, true);
    this.pendingSource.clear();
    this.applyBreaks();
    this.applyFilters();
    this.sendEvent(new InitializedEvent());
    this.reply(response);
    // Run (or report the entry stop) only once the client has sent its breakpoints and filters.
    this.launching = true;
    await this.configured;
    this.launching = false;
    if (this.closed || this.job) return;
    if (stopOnEntry) this.report(this.d.stop('entry', ['stopped before the first instruction']));
    else this.run(runTick(this.d));
  }

  /* ---- breakpoints ---- */

  /** The checked setBreakpoints arguments: a source with a path or name, and lines. */
  private breakpointArgs(a: Args): DebugProtocol.SetBreakpointsArguments {
    const src = objAt(a.source, "'source'");
    const path = optString(src, 'path') ?? optString(src, 'name');
    if (path === undefined) throw new BadRequest("'source' needs a 'path' or 'name'");
    const breakpoints = optArray(a, 'breakpoints', LIMITS.breakpoints).map((b, i) => ({ line: reqInt(objAt(b, `breakpoint ${i}`), 'line', 0, 10_000_000) }));
    return { source: { path, name: optString(src, 'name') }, breakpoints };
  }

  /** Addresses for the requested lines; a line without code moves to the next line that has some. */
  private setSourceBreaks(args: DebugProtocol.SetBreakpointsArguments, late: boolean): DebugProtocol.Breakpoint[] {
    const path = args.source.path ?? '';
    const d = this.d!;
    const addrs: number[] = [];
    const out = (args.breakpoints ?? []).map((bp, i): DebugProtocol.Breakpoint => {
      for (let line = bp.line; line < bp.line + 20; line++) {
        const a = d.source.addresses(path, line);
        if (a.length) { addrs.push(...a); return { id: i + 1, verified: true, line, source: args.source, instructionReference: '0x' + hex(a[0], 6) }; }
      }
      return { id: i + 1, verified: false, line: bp.line, source: args.source, message: 'no instruction on or after this line' };
    });
    this.sourceBreaks.set(path, addrs);
    if (late) for (const bp of out) this.sendEvent(new BreakpointEvent('changed', bp));
    return out;
  }

  private applyBreaks(): void {
    const d = this.d!;
    for (const a of this.dapBreaks) d.breakpoints.delete(a);
    this.dapBreaks = new Set([...[...this.sourceBreaks.values()].flat(), ...this.instrBreaks]);
    for (const a of this.dapBreaks) d.breakpoints.add(a);
    d.refreshHooks();
  }

  private setBreakpoints(response: DebugProtocol.Response, a: Args): void {
    const args = this.breakpointArgs(a);
    if (!this.d) {
      const key = args.source.path!;
      if (!this.pendingSource.has(key) && this.pendingSource.size >= LIMITS.sources) throw new BadRequest(`breakpoints in more than ${LIMITS.sources} files`);
      this.pendingSource.set(key, args);
      response.body = { breakpoints: args.breakpoints!.map((bp, i) => ({ id: i + 1, verified: false, line: bp.line, message: 'resolved when the program is loaded' })) };
    } else {
      response.body = { breakpoints: this.setSourceBreaks(args, false) };
      this.applyBreaks();
    }
    this.reply(response);
  }

  private setInstructionBreakpoints(response: DebugProtocol.Response, a: Args): void {
    this.instrBreaks = optArray(a, 'breakpoints', LIMITS.breakpoints).map((b, i) => {
      const o = objAt(b, `breakpoint ${i}`);
      return (address(o, 'instructionReference') + (optInt(o, 'offset', -0xffffff, 0xffffff) ?? 0)) & 0xffffff;
    });
    response.body = { breakpoints: this.instrBreaks.map((x) => ({ verified: (x & 3) === 0, instructionReference: '0x' + hex(x, 6) })) };
    if (this.d) this.applyBreaks();
    this.reply(response);
  }

  private setExceptionBreakpoints(response: DebugProtocol.Response, a: Args): void {
    const f = optArray(a, 'filters', 100);
    this.filters = f.filter((x): x is string => typeof x === 'string' && Object.hasOwn(FILTERS, x));
    if (this.d) this.applyFilters();
    this.reply(response);
  }

  private applyFilters(): void {
    const d = this.d!;
    const mine: TraceRule[] = this.filters.map((f) => ({ cls: FILTERS[f].cls, code: null, run: false, tag: 'dap' }));
    d.rules = [...d.rules.filter((r) => r.tag !== 'dap'), ...mine];
    d.refreshHooks();
  }

  /* ---- execution ---- */

  /** Tell the client where the guest stopped and why. */
  private report(stop: Stop): void {
    if (this.closed) return;
    this.lastStop = stop;
    const text = stop.lines.join('\n');
    if (stop.reason === 'ended' || stop.reason === 'input-wait' || stop.reason === 'limit') this.sendEvent(new OutputEvent(text + '\n', 'console'));
    const reason = { entry: 'entry', step: 'step', breakpoint: 'breakpoint', watchpoint: 'data breakpoint', trap: 'exception',
      ended: 'end', 'input-wait': 'pause', limit: 'pause', back: 'step' }[stop.reason];
    const ev = new StoppedEvent(reason, THREAD, stop.reason === 'trap' ? stop.events.map((e) => e.cause).join(', ') : undefined) as DebugProtocol.StoppedEvent;
    ev.body.description = stop.reason === 'trap' ? text : stop.lines[0];
    ev.body.allThreadsStopped = true;
    this.sendEvent(ev);
  }

  /**
   * Run `tick` on the event loop until it returns a Stop, then `done` (default: report it). Each
   * tick is bounded, so other sessions and this session's pause are served in between; an
   * exception in a tick ends this session only.
   */
  private run(tick: Tick, done: (stop: Stop) => void = (s) => this.report(s)): void {
    const job = {};
    this.job = job;
    this.paused = false;
    const go = () => {
      if (this.job !== job) return;
      try {
        const stop = this.paused ? this.d!.stop('limit', ['paused']) : tick();
        if (this.job !== job) return;
        if (!stop) { setImmediate(go); return; }
        this.job = null;
        done(stop);
      } catch (e) {
        this.job = null;
        this.fatal(e);
      }
    };
    setImmediate(go);
  }

  private byInstruction(a: Args): boolean {
    optInt(a, 'threadId', -(2 ** 31), 2 ** 31);
    return optEnum(a, 'granularity', GRANULARITY) === 'instruction';
  }

  /** A step request: answered at once; the stop is reported when the bounded run ends. */
  private moveBy(response: DebugProtocol.Response, tick: Tick): void { this.reply(response); this.run(tick); }

  /** A reverse search replays history one instruction at a time: refuse one that could take long. */
  private checkReverse(): void {
    if (this.d!.position > REVERSE_LIMIT) {
      throw new BadRequest(`reverse continue searches at most ${REVERSE_LIMIT} instructions of history (this one has ${this.d!.position}): step back with BACK n first`, 3013);
    }
  }

  /* ---- state ---- */

  private stackTrace(response: DebugProtocol.Response): void {
    const d = this.d!;
    const ia = d.ia;
    const loc = d.locate(ia);
    let label = '', base = -1;
    for (const [name, v] of d.source.symbols) if (v <= ia && v > base && d.locate(v)) { base = v; label = name; }
    const name = label ? `${label}${ia > base ? '+' + (ia - base).toString(16).toUpperCase() : ''}` : hex(ia, 6);
    const frame = new StackFrame(0, name, loc ? new Source(loc.file.split(/[\\/]/).pop()!, resolve(loc.file)) : undefined, loc?.line ?? 0, 1);
    (frame as DebugProtocol.StackFrame).instructionPointerReference = '0x' + hex(ia, 6);
    response.body = { stackFrames: [frame], totalFrames: 1 };
    this.reply(response);
  }

  private exceptionInfo(response: DebugProtocol.Response): void {
    const s = this.lastStop;
    const e = s?.events[0];
    response.body = {
      exceptionId: e ? e.cause : 'none', description: s ? s.lines.join('\n') : '', breakMode: 'always',
      details: e ? { message: e.reason, typeName: `${e.cause} (${e.action})` } : undefined,
    };
    this.reply(response);
  }

  private readMemory(response: DebugProtocol.Response, a: Args): void { response.body = readMemory(this.d!, a); this.reply(response); }
  private disassemble(response: DebugProtocol.Response, a: Args): void { response.body = disassemble(this.d!, a); this.reply(response); }

  /**
   * Change a general or control register from the Variables view. It goes through the console's
   * STORE command, so it is checked the same way and journaled: stepping back and forward again
   * replays it at the same instruction.
   */
  private setVariable(response: DebugProtocol.Response, a: Args): void {
    const d = this.d!;
    const ref = reqInt(a, 'variablesReference', 0, 2 ** 31);
    const name = reqString(a, 'name', 64), text = reqString(a, 'value', 64);
    const m = /^(R|CR)(\d+)$/.exec(name);
    const value = Number(text.trim().replace(/^X'([0-9A-F]+)'$/i, '0x$1'));
    if (!m || (ref !== REF_GPR && ref !== REF_CR) || !Number.isInteger(value) || value < -0x8000_0000 || value > 0xffff_ffff) {
      throw new BadRequest(`only general and control registers can be set, to a 32-bit number (0x..., X'...' or decimal): ${quote(name)} = ${quote(text)}`, 3004);
    }
    const r = execute(d, `STORE ${m[1] === 'R' ? 'G' : 'C'} ${m[2]} ${hex(value)}`);
    if (!r.ok) throw new BadRequest(r.lines.join(' '), 3005);
    const now = (m[1] === 'R' ? d.gpr : d.cr)[Number(m[2])];
    response.body = { value: m[1] === 'R' ? `${hex(now)} (${now})` : hex(now) };
    this.reply(response);
  }

  /** Write guest storage from the Memory view (journaled like a console STORE). */
  private writeMemory(response: DebugProtocol.Response, a: Args): void {
    const d = this.d!;
    const data = reqString(a, 'data', Math.ceil(LIMITS.writeBytes / 3) * 4);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) throw new BadRequest("'data' must be base64");
    const bytes = Buffer.from(data, 'base64');
    const start = address(a, 'memoryReference') + (optInt(a, 'offset', -0xffffff, 0xffffff) ?? 0);
    if (bytes.length === 0) throw new BadRequest('nothing to write', 3006);
    if (start < 0) throw new BadRequest(`address ${start} is outside the guest's storage`, 3007);
    const r = execute(d, `STORE ${hex(start, 6)} ${[...bytes].map((b) => hex(b, 2)).join(' ')}`);
    if (!r.ok) throw new BadRequest(r.lines.join(' '), 3007);
    response.body = { bytesWritten: bytes.length };
    this.reply(response);
  }

  /**
   * The debug console: CP and debugger commands. Commands that move the guest report a stop.
   * BEGIN and STEP n run as bounded ticks like continue; anything else runs at most EVAL_LIMIT
   * instructions (the debugger's maxRun).
   */
  private evaluate(response: DebugProtocol.Response, a: Args): void {
    const d = this.d!;
    const expr = reqString(a, 'expression', 4096);
    optString(a, 'context', 64);
    optInt(a, 'frameId', -(2 ** 31), 2 ** 31);
    const words = expr.trim().replace(/^#CP\s+/i, '').split(/\s+/);
    const w = (words[0] ?? '').toUpperCase();
    const answer = (lines: string[], stop?: Stop) => {
      response.body = { result: [...lines, ...(stop ? stop.lines : [])].join('\n'), variablesReference: 0 };
      this.reply(response);
      if (stop) this.report(stop);
    };
    if (w.length >= 3 && 'STEP'.startsWith(w) && /^\d{1,15}$/.test(words[1] ?? '') && Number(words[1]) > EVAL_LIMIT) {
      this.run(runTick(d, Math.min(Number(words[1]), RUN_LIMIT)), (stop) => answer([], stop));
      return;
    }
    if (w.length >= 2 && 'BACK'.startsWith(w) && words[1] && 'TRAP'.startsWith(words[1].toUpperCase())) this.checkReverse();
    const begin = w.length >= 1 && 'BEGIN'.startsWith(w);
    // BEGIN moves the guest by ticks: the command itself (its address operand) runs with no instructions.
    d.maxRun = begin ? 0 : EVAL_LIMIT;
    let r;
    try { r = execute(d, expr); } finally { d.maxRun = EVAL_LIMIT; }
    if (begin && r.ok && r.stop?.reason === 'limit') {
      answer(r.lines);
      this.run(runTick(d));
      return;
    }
    answer(r.lines, r.stop);
    if (r.quit) this.sendEvent(new TerminatedEvent());
  }
}
