/**
 * `tinycp run`: build, load, run to the end, report. Console output goes to stdout as the guest
 * writes it; the one-line reason for a non-successful end goes to stderr.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { narrate } from '../monitor/narrate.ts';
import { buildFile, type Build } from '../system/build.ts';
import { nestNarrator } from './nest.ts';
import { Session, type Mode } from '../system/session.ts';
import { bareInterruptionLine, bareStatsObject, bareStatsText, statsObject, statsText } from './stats.ts';
import { INT_CLASS_NAMES, pgmNullifies } from '../cpu/arch.ts';
import { bareInterruptEvent, traceRecord, type DebugEvent } from '../debug/events.ts';
import { SourceMap } from '../debug/source.ts';
import { disassemble } from '../guest/disasm.ts';

export interface RunOptions {
  mode: Mode; budget: number; storage: number; trace: boolean; traceJson?: string; stats: boolean; json: boolean; input?: string[];
  /** An image built already (`--nest`, src/cli/nest.ts) instead of building `file`. */
  build?: Build;
  /** `--nest`: how deep, and where each level's storage starts (for --trace, src/cli/nest.ts). */
  nest?: { depth: number; base: number };
}

/** Lines of stdin when it is a pipe or a file; null when it is a terminal (read interactively). */
function pipedInput(): string[] | null {
  if (process.stdin.isTTY) return null;
  try {
    const text = readFileSync(0, 'utf8');
    const lines = text.split(/\r?\n/);
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    return lines;
  } catch { return []; }
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
  const input = o.input ?? pipedInput();
  let s: Session;
  try {
    s = new Session(b.image, { mode: o.mode, storage: o.storage, console: out, printer: (l) => out(l), input: input ?? [] });
  } catch (e) { console.error(`tinycp: ${file}: ${(e as Error).message}`); return 3; }
  // --trace-json writes the debugger's documented schema (tinycp-trace/1, docs/debugging.md).
  const json = o.traceJson ? createWriteStream(o.traceJson) : null;
  const source = new SourceMap(b.asm, b.image.symbols);
  let seq = 0;
  const record = (e: DebugEvent) => {
    e.step = s.instructions; e.seq = ++seq;
    json?.write(JSON.stringify(traceRecord(e, source.locate(e.instruction?.address ?? -1) ?? null)) + '\n');
  };
  // --nest --trace: after each event of the machine or CP, what each level of minicp did.
  const nestPoll = o.nest && o.trace ? nestNarrator(s.mem, o.nest.depth, o.nest.base, out) : null;
  if (nestPoll && !s.cp) s.cpu.onInterrupt = () => nestPoll();
  if (s.cp) {
    if (o.trace) s.cp.on((e) => { process.stdout.write(narrate(e) + '\n'); nestPoll?.(); });
    if (json) s.cp.on((e) => record({ ...e, step: 0, origin: 'cp', real: null }));
  } else if ((o.trace || json) && !nestPoll) {
    // The bare machine has no CP to trap to: trace the interruptions it delivers itself.
    const cpu = s.cpu;
    cpu.onInterrupt = (cls, code, oldIa) => {
      const name = INT_CLASS_NAMES[cls];
      const at = name === 'svc' || (name === 'program' && !pgmNullifies(code)) ? (oldIa - 4) & 0xffffff : oldIa;
      const w = name === 'svc' || name === 'program' ? s.mem[at >>> 2] : null;
      const e = bareInterruptEvent(s.mem, cls, code, cpu.now, w === null ? null : { address: at, word: w, text: disassemble(w, at).text });
      if (o.trace) process.stdout.write(bareInterruptionLine(e) + '\n');
      record(e);
    };
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
  const r = s.outcome;
  if (o.stats) {
    if (s.vm) process.stdout.write(o.json ? JSON.stringify(statsObject(s.vm, r)) + '\n' : statsText(s.vm));
    else process.stdout.write(o.json ? JSON.stringify(bareStatsObject(s.cpu, r)) + '\n' : bareStatsText(s.cpu));
  }
  json?.end();
  if (r.state === 'ended' && r.success) return 0;
  console.error(`tinycp: ${r.state === 'ended' ? r.message : r.reason === 'input-wait' ? 'the program waits for console input and there is no more' : `instruction budget of ${o.budget} spent`}`);
  return r.state === 'ended' ? 1 : 2;
}
