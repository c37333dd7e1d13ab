/**
 * The Debug Adapter Protocol front end of the debugger (src/debug/debugger.ts). One thread per
 * virtual machine (one: the session runs one guest, bare or under CP). Source breakpoints map to
 * instruction addresses through the assembler's per-line records; line steps run instruction by
 * instruction until the source line changes; `stepBack` and `reverseContinue` use the
 * debugger's timeline; a trap of an enabled exception filter stops with reason 'exception' and
 * the trap's narration as its description; the debug console runs CP and debugger commands.
 */
import { resolve } from 'node:path';
import {
  BreakpointEvent, DebugSession, InitializedEvent, OutputEvent, Scope, Source, StackFrame, StoppedEvent, TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { isCall, isReturn } from '../cpu/isa.ts';
import { readBytes } from '../cpu/storage.ts';
import { execute } from '../debug/commands.ts';
import { Debugger, type Stop } from '../debug/debugger.ts';
import { type TraceClass, type TraceRule } from '../debug/events.ts';
import { hex } from '../debug/format.ts';
import { buildFile } from '../system/build.ts';
import { REF_CR, REF_GPR, scopeVariables, SCOPES } from './variables.ts';

/** Launch arguments (the `tinycp` debug configuration). */
export interface TinycpLaunchArgs extends DebugProtocol.LaunchRequestArguments {
  program: string;
  mode?: 'bare' | 'vm';
  stopOnEntry?: boolean;
  /** Console input lines queued before the program starts. */
  input?: string[];
}

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
/** Instructions run between event-loop turns while continuing (so `pause` gets through). */
const SLICE = 200_000;
/** Most instructions one line step may take. */
const LINE_STEP_LIMIT = 1_000_000;

export class TinycpDebugSession extends DebugSession {
  private d: Debugger | null = null;
  private configured!: Promise<void>;
  private configDone: () => void = () => {};
  private dapBreaks = new Set<number>();
  private sourceBreaks = new Map<string, number[]>();
  private instrBreaks: number[] = [];
  private pendingSource: DebugProtocol.SetBreakpointsArguments[] = [];
  private filters: string[] = [];
  private paused = false;
  private lastStop: Stop | null = null;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.configured = new Promise((res) => { this.configDone = res; });
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
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
    };
    this.sendResponse(response);
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.configDone();
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: TinycpLaunchArgs): Promise<void> {
    const file = resolve(args.program ?? '');
    const b = buildFile(file);
    if (!b.ok) { this.sendErrorResponse(response, 3001, `cannot build ${file}:\n${b.errors.join('\n')}`); return; }
    try {
      this.d = new Debugger(b.image, b.asm, {
        mode: args.mode === 'vm' ? 'vm' : 'bare', input: args.input,
        output: (line) => this.sendEvent(new OutputEvent(line + '\n', 'stdout')),
      });
    } catch (e) { this.sendErrorResponse(response, 3002, `cannot load ${file}: ${(e as Error).message}`); return; }
    // Breakpoints can arrive before the program is known; they are resolved now.
    for (const a of this.pendingSource) this.setSourceBreaks(a, true);
    this.pendingSource = [];
    this.applyBreaks();
    this.applyFilters();
    this.sendEvent(new InitializedEvent());
    this.sendResponse(response);
    // Run (or report the entry stop) only once the client has sent its breakpoints and filters.
    await this.configured;
    if (args.stopOnEntry) this.report(this.d.stop('entry', ['stopped before the first instruction']));
    else this.continueAsync();
  }

  /* ---- breakpoints ---- */

  /** Addresses for the requested lines; a line without code moves to the next line that has some. */
  private setSourceBreaks(args: DebugProtocol.SetBreakpointsArguments, late: boolean): DebugProtocol.Breakpoint[] {
    const path = args.source.path ?? args.source.name ?? '';
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

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    if (!this.d) {
      this.pendingSource.push(args);
      response.body = { breakpoints: (args.breakpoints ?? []).map((bp, i) => ({ id: i + 1, verified: false, line: bp.line, message: 'resolved when the program is loaded' })) };
    } else {
      response.body = { breakpoints: this.setSourceBreaks(args, false) };
      this.applyBreaks();
    }
    this.sendResponse(response);
  }

  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    this.instrBreaks = args.breakpoints.map((b) => (Number(b.instructionReference) + (b.offset ?? 0)) & 0xffffff);
    response.body = { breakpoints: this.instrBreaks.map((a) => ({ verified: (a & 3) === 0, instructionReference: '0x' + hex(a, 6) })) };
    if (this.d) this.applyBreaks();
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.filters = args.filters.filter((f) => f in FILTERS);
    if (this.d) this.applyFilters();
    this.sendResponse(response);
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

  private continueAsync(): void {
    const d = this.d!;
    this.paused = false;
    let first = true, total = 0;
    const slice = () => {
      const stop = d.resume(SLICE, first);
      first = false;
      total += SLICE;
      if (stop.reason !== 'step') { this.report(stop); return; }
      if (this.paused || total >= d.maxRun) { this.report(d.stop('limit', [this.paused ? 'paused' : `paused after ${total} instructions`])); return; }
      setImmediate(slice);
    };
    setImmediate(slice);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    this.continueAsync();
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.paused = true;
    this.sendResponse(response);
  }

  private loc(a: number): string { const l = this.d!.locate(a); return l ? `${l.file}:${l.line}` : `@${a}`; }

  /** Step by source line: run until the line changes (over calls when `over`), or something stops it. */
  private lineStep(kind: 'in' | 'over' | 'out', granularity: DebugProtocol.SteppingGranularity | undefined): Stop {
    const d = this.d!;
    if (granularity === 'instruction') return d.resume(1);
    const start = this.loc(d.ia);
    let returnTo = -1;
    if (kind === 'over') {
      // BAL, BALR with a branch register, BRAS: a call; stop at the instruction after it.
      if (isCall(d.fetch(d.ia) ?? 0)) returnTo = (d.ia + 4) & 0xffffff;
    }
    for (let i = 0; i < LINE_STEP_LIMIT; i++) {
      const w = kind === 'out' ? d.fetch(d.ia) ?? 0 : 0;
      const stop = d.resume(1, i === 0);
      if (stop.reason !== 'step') return stop;
      if (kind === 'out') {
        // BR Rn (BCR 15,Rn) and LPSW are the returns of a routine and of an interruption handler.
        if (isReturn(w)) return stop;
        continue;
      }
      if (returnTo >= 0) { if (d.ia === returnTo) return stop; continue; }
      if (this.loc(d.ia) !== start && d.locate(d.ia)) return stop;
    }
    return d.stop('limit', [`no line change after ${LINE_STEP_LIMIT} instructions`]);
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.sendResponse(response); this.report(this.lineStep('over', args.granularity));
  }
  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.sendResponse(response); this.report(this.lineStep('in', args.granularity));
  }
  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.sendResponse(response); this.report(this.lineStep('out', args.granularity));
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    const d = this.d!;
    this.sendResponse(response);
    if (args.granularity === 'instruction' || d.position === 0) { this.report(d.back(1)); return; }
    const start = this.loc(d.ia);
    let stop = d.back(1);
    while (d.position > 0 && (this.loc(d.ia) === start || !d.locate(d.ia))) stop = d.back(1);
    this.report(stop);
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.sendResponse(response);
    this.report(this.d!.backTrap());
  }

  /* ---- state ---- */

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const d = this.d;
    response.body = { threads: [new Thread(THREAD, d?.vm ? `VM ${d.vmName} (under CP)` : 'bare machine')] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse): void {
    const d = this.d!;
    const ia = d.ia;
    const loc = d.locate(ia);
    let label = '', base = -1;
    for (const [name, v] of d.source.symbols) if (v <= ia && v > base && d.locate(v)) { base = v; label = name; }
    const name = label ? `${label}${ia > base ? '+' + (ia - base).toString(16).toUpperCase() : ''}` : hex(ia, 6);
    const frame = new StackFrame(0, name, loc ? new Source(loc.file.split(/[\\/]/).pop()!, resolve(loc.file)) : undefined, loc?.line ?? 0, 1);
    (frame as DebugProtocol.StackFrame).instructionPointerReference = '0x' + hex(ia, 6);
    response.body = { stackFrames: [frame], totalFrames: 1 };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse): void {
    const vm = !!this.d!.vm;
    response.body = { scopes: SCOPES.filter((s) => vm || !s.vmOnly).map((s) => new Scope(s.name, s.ref, false)) };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    response.body = { variables: scopeVariables(this.d!, args.variablesReference) };
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const s = this.lastStop;
    const e = s?.events[0];
    response.body = {
      exceptionId: e ? e.cause : 'none', description: s ? s.lines.join('\n') : '', breakMode: 'always',
      details: e ? { message: e.reason, typeName: `${e.cause} (${e.action})` } : undefined,
    };
    this.sendResponse(response);
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    const d = this.d!;
    const size = d.mem.length * 4;
    const start = Number(args.memoryReference) + (args.offset ?? 0);
    const from = Math.max(0, Math.min(size, start)), to = Math.max(from, Math.min(size, start + args.count));
    const bytes = readBytes(d.mem, from, to - from);
    response.body = { address: '0x' + hex(from, 6), data: Buffer.from(bytes).toString('base64'), unreadableBytes: args.count - bytes.length };
    this.sendResponse(response);
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    const d = this.d!;
    const size = d.mem.length * 4;
    const start = ((Number(args.memoryReference) + (args.offset ?? 0)) & ~3) + 4 * (args.instructionOffset ?? 0);
    const instructions: DebugProtocol.DisassembledInstruction[] = [];
    for (let i = 0; i < args.instructionCount; i++) {
      const a = start + 4 * i;
      if (a < 0 || a >= size) { instructions.push({ address: '0x' + hex(Math.max(0, a), 6), instruction: '??', presentationHint: 'invalid' }); continue; }
      const w = d.mem[a >>> 2];
      const loc = d.locate(a);
      instructions.push({
        address: '0x' + hex(a, 6), instructionBytes: hex(w), instruction: d.source.disassemble(w, a), symbol: d.source.names.get(a),
        location: loc ? new Source(loc.file.split(/[\\/]/).pop()!, resolve(loc.file)) : undefined, line: loc?.line,
      });
    }
    response.body = { instructions };
    this.sendResponse(response);
  }

  /**
   * Change a general or control register from the Variables view. It goes through the console's
   * STORE command, so it is checked the same way and journaled: stepping back and forward again
   * replays it at the same instruction.
   */
  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    const d = this.d;
    const m = /^(R|CR)(\d+)$/.exec(args.name);
    const value = Number(args.value.trim().replace(/^X'([0-9A-F]+)'$/i, '0x$1'));
    if (!d || !m || (args.variablesReference !== REF_GPR && args.variablesReference !== REF_CR) || !Number.isInteger(value) || value < -0x8000_0000 || value > 0xffff_ffff) {
      this.sendErrorResponse(response, 3004, `only general and control registers can be set, to a 32-bit number (0x..., X'...' or decimal): ${args.name} = ${args.value}`);
      return;
    }
    const r = execute(d, `STORE ${m[1] === 'R' ? 'G' : 'C'} ${m[2]} ${hex(value)}`);
    if (!r.ok) { this.sendErrorResponse(response, 3005, r.lines.join(' ')); return; }
    const now = (m[1] === 'R' ? d.gpr : d.cr)[Number(m[2])];
    response.body = { value: m[1] === 'R' ? `${hex(now)} (${now})` : hex(now) };
    this.sendResponse(response);
  }

  /** Write guest storage from the Memory view (journaled like a console STORE). */
  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    const d = this.d;
    const bytes = Buffer.from(args.data, 'base64');
    const start = Number(args.memoryReference) + (args.offset ?? 0);
    if (!d || !Number.isInteger(start) || bytes.length === 0) { this.sendErrorResponse(response, 3006, 'nothing to write'); return; }
    const r = execute(d, `STORE ${hex(start, 6)} ${[...bytes].map((b) => hex(b, 2)).join(' ')}`);
    if (!r.ok) { this.sendErrorResponse(response, 3007, r.lines.join(' ')); return; }
    response.body = { bytesWritten: bytes.length };
    this.sendResponse(response);
  }

  /** The debug console: CP and debugger commands. Commands that move the guest report a stop. */
  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const d = this.d;
    if (!d) { this.sendErrorResponse(response, 3003, 'no program is loaded'); return; }
    const r = execute(d, args.expression);
    const lines = [...r.lines, ...(r.stop ? r.stop.lines : [])];
    response.body = { result: lines.join('\n'), variablesReference: 0 };
    this.sendResponse(response);
    if (r.stop) this.report(r.stop);
    if (r.quit) this.sendEvent(new TerminatedEvent());
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.paused = true;
    this.sendResponse(response);
  }
}
