/**
 * `tinycp run`: build, load, run to the end, report. Console output goes to stdout as the guest
 * writes it; printer lines and punched cards go to the files of --printer and --punch, or to
 * stdout labelled `printer: ` and `punch: `; --reader / --reader-binary queue reader cards
 * (PoO 9.2). The one-line reason for a non-successful end goes to stderr.
 */
import { readSync } from 'node:fs';
import { HOST_FILE_LIMITS } from '../host/nodefs.ts';
import { createInterface } from 'node:readline';
import { narrate } from '../monitor/narrate.ts';
import { buildFile, type Build } from '../host/build.ts';
import { nestNarrator } from './nest.ts';
import { Session, type Mode } from '../session/session.ts';
import { bareInterruptionLine } from './stats.ts';
import { traceRecord, watchBare, type DebugEvent, type TraceRecord } from '../debug/events.ts';
import type { Profile } from '../cpu/profiles.ts';
import { SourceMap } from '../debug/source.ts';
import { openRecordFile, readDeck, showable, type RecordFile } from './unit-record-files.ts';

export interface RunOptions {
  mode: Mode; budget: number; storage: number; trace: boolean; traceJson?: string; stats: boolean; json: boolean; input?: string[];
  /** Under CP: the virtual-machine assist (default on). */
  assist?: boolean;
  /** Files for printer lines and punched cards (default: stdout, labelled). */
  printer?: string; punch?: string;
  /** A file of reader cards: text lines (`reader`) or 80-byte records (`readerBinary`). */
  reader?: string; readerBinary?: string;
  /** An image built already (`--nest`, src/cli/nest.ts) instead of building `file`. */
  build?: Build;
  /** `--nest`: how deep, and where each level's storage starts (for --trace, src/cli/nest.ts). */
  nest?: { depth: number; base: number };
  /** `--profile`, `--hybrid` (src/cpu/profiles.ts, src/monitor/hybrid.ts). */
  profile?: Profile;
  hybrid?: boolean;
}

/**
 * Lines of stdin when it is a pipe or a file; null when it is a terminal (read interactively).
 * At most HOST_FILE_LIMITS.input bytes: `yes | tinycp run` or `< /dev/zero` is refused, not
 * read until the heap is full.
 */
function pipedInput(): string[] | null | { error: string } {
  if (process.stdin.isTTY) return null;
  const limit = HOST_FILE_LIMITS.input;
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.allocUnsafe(1 << 16);
  for (;;) {
    let n: number;
    try { n = readSync(0, buf, 0, buf.length, null); } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); continue; } // a non-blocking pipe: wait for more
      if (code === 'EOF') break;
      return total ? { error: `stdin: cannot read: ${code}` } : [];
    }
    if (n === 0) break;
    total += n;
    if (total > limit) return { error: `stdin: more than the ${limit / (1 << 20)} MiB limit for console input` };
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  const lines = Buffer.concat(chunks, total).toString('utf8').split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Lines typed at the terminal, queued as they come (typing ahead loses nothing); `next()` gives
 * the next one when the program waits for console input, or null at end of input.
 */
function terminalLines(): { next: () => Promise<string | null>; close: () => void } {
  const queue: string[] = [];
  let closed = false;
  let waiter: ((line: string | null) => void) | null = null;
  const rl = createInterface({ input: process.stdin });
  const give = (line: string | null) => { const w = waiter; waiter = null; w?.(line); };
  rl.on('line', (l) => { if (waiter) give(l); else queue.push(l); });
  rl.on('close', () => { closed = true; give(null); });
  return {
    next: () => (queue.length ? Promise.resolve(queue.shift()!) : closed ? Promise.resolve(null) : new Promise((res) => { waiter = res; })),
    close: () => rl.close(),
  };
}

export async function runProgram(file: string, o: RunOptions): Promise<number> {
  const b = o.build ?? buildFile(file);
  if (!b.ok) { for (const e of b.errors) console.error(e); return 3; }
  for (const w of b.warnings) console.error(w);
  const out = (line: string) => { process.stdout.write(line + '\n'); };
  const cards: Uint8Array[] = [];
  for (const [path, binary] of [[o.reader, false], [o.readerBinary, true]] as const) {
    if (path === undefined) continue;
    const d = readDeck(path, binary);
    if (!d.ok) { console.error(`tinycp: ${d.error}`); return 3; }
    cards.push(...d.cards);
  }
  const files: RecordFile[] = [];
  const open = (path: string | undefined): RecordFile | null | string => {
    if (path === undefined) return null;
    const f = openRecordFile(path);
    if (!f.ok) return f.error;
    files.push(f.file);
    return f.file;
  };
  // Opened now, synchronously: a path that cannot be written is bad input (exit 3), not a crash later.
  const prt = open(o.printer), pch = open(o.punch), json = open(o.traceJson);
  const closeAll = () => { for (const f of files) f.close(); };
  if (typeof prt === 'string' || typeof pch === 'string' || typeof json === 'string') {
    closeAll();
    console.error(`tinycp: ${[prt, pch, json].find((f) => typeof f === 'string')}`);
    return 3;
  }
  const input = o.input ?? pipedInput();
  if (input !== null && !Array.isArray(input)) { closeAll(); console.error(`tinycp: ${input.error}`); return 3; }
  let s: Session;
  try {
    s = new Session(b.image, {
      mode: o.mode, storage: o.storage, console: out, input: input ?? [], cards, assist: o.assist, profile: o.profile, hybrid: o.hybrid,
      printer: prt ? (l) => prt.line(l) : (l) => out(`printer: ${showable(Buffer.from(l, 'latin1'))}`),
      punch: pch ? (c) => pch.card(c) : (c) => out(`punch: ${showable(c)}`),
    });
  } catch (e) { closeAll(); console.error(`tinycp: ${file}: ${(e as Error).message}`); return 3; }
  // --trace-json writes the debugger's documented schema (tinycp-trace/1, docs/debugging.md).
  const source = new SourceMap(b.asm, b.image.symbols);
  // As in VM/370, tracing a VM turns its assist off, so that the trace sees every trap: say so.
  if (o.trace && s.vm?.assist) process.stdout.write('trace: the virtual-machine assist is off while tracing (every trap reaches CP)\n');
  // --nest --trace: after each event of the machine or CP, what each level of minicp did.
  const nestPoll = o.nest && o.trace ? nestNarrator(s.mem, o.nest.depth, o.nest.base, out) : null;
  if (nestPoll && !s.virtual) s.events.on('interrupt', () => nestPoll());
  else {
    traceRun(s, source, {
      text: o.trace ? (t) => { process.stdout.write(t + '\n'); nestPoll?.(); } : undefined,
      json: json ? (r) => json.text(JSON.stringify(r) + '\n') : undefined,
    });
  }
  const terminal = input === null ? terminalLines() : null;
  const nextLine = terminal ? terminal.next : null;
  let left = o.budget;
  for (;;) {
    const before = s.instructions;
    const r = s.run(left);
    left -= s.instructions - before;
    if (r.state === 'ended') break;
    if (r.reason === 'input-wait' && nextLine) {
      const line = await nextLine();
      if (line !== null) { s.input(line); continue; }
    }
    break;
  }
  terminal?.close();
  nestPoll?.();
  closeAll();
  const r = s.outcome;
  if (o.stats) {
    process.stdout.write(o.json ? JSON.stringify(s.statsObject(r)) + '\n' : s.statsText());
  }
  if (r.state === 'ended' && r.success) return 0;
  console.error(`tinycp: ${r.state === 'ended' ? r.message : r.reason === 'input-wait' ? 'the program waits for console input and there is no more' : `instruction budget of ${o.budget} spent`}`);
  return r.state === 'ended' ? 1 : 2;
}

/**
 * Trace a session without the debugger: CP's narration (or the bare machine's interruption
 * lines) to `text`, and `--trace-json` records to `json`, in the debugger's schema with the same
 * values (`step` as the debugger counts it: the instructions executed once the one that caused
 * the event has counted; an interruption pending between instructions: those before it).
 */
export function traceRun(s: Session, source: SourceMap, to: { text?: (t: string) => void; json?: (r: TraceRecord) => void }): void {
  const { text, json } = to;
  let seq = 0;
  const record = (e: DebugEvent, caused: boolean) => {
    e.step = s.instructions + (caused ? 1 : 0); e.seq = ++seq;
    json?.(traceRecord(e, source.locate(e.instruction?.address ?? -1) ?? null));
  };
  // The debugger's text: symbols and based operands (CP describes an instruction before emulating it).
  s.instructionText = (w, a) => source.disassemble(w, a, s.gpr);
  if (text) s.events.on('trap', (e) => text(narrate(e)));
  if (json) s.events.on('trap', (e) => record({ ...e, step: 0, origin: 'cp', real: null }, s.inTrap));
  // The bare machine has no CP to trap to: trace the interruptions it delivers itself.
  if (text || json) {
    watchBare(s, (w, a) => source.disassemble(w, a, s.gpr), (e, caused) => {
      text?.(bareInterruptionLine(e));
      record(e, caused);
    });
  }
}
