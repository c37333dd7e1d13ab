/**
 * `tinycp debug prog.s [--vm|--bare]`: the CP console of a debugging session. It starts stopped
 * before the first instruction (like VM/370's `IPL ... STOP`), reads commands from the terminal
 * with a prompt, or from stdin line by line when stdin is not a terminal (each command is then
 * echoed after the prompt, so a piped session reads like a terminal transcript). Guest console
 * output is printed as the guest produces it.
 */
import { createInterface } from 'node:readline';
import { Transform, type Readable, type Writable } from 'node:stream';
import { executeAsync } from '../debug/commands.ts';
import { Debugger } from '../debug/debugger.ts';
import { shortFile } from '../debug/format.ts';
import { buildFile } from '../host/build.ts';
import type { Mode } from '../session/session.ts';
import type { Profile } from '../cpu/profiles.ts';
import { openRecordFile, type RecordFile } from './unit-record-files.ts';

export interface DebugCliOptions {
  mode: Mode;
  /** Under CP: the virtual-machine assist (default on). */
  assist?: boolean;
  storage: number;
  traceJson?: string;
  input?: string[];
  maxInstructions?: number;
  profile?: Profile;
  hybrid?: boolean;
}

/** Streams of the console (tests pass their own). */
export interface ConsoleIo { stdin: Readable & { isTTY?: boolean }; stdout: Writable; stderr: Writable }

const PROMPT = 'CP> ';

/** The longest command line read from a pipe or file (a terminal is typed by a person). */
export const MAX_COMMAND_LINE = 64 * 1024;

/**
 * Whole lines of `input`, none longer than MAX_COMMAND_LINE: a stream with no newline
 * (`< /dev/zero`) would otherwise be gathered by readline until the heap is full. A longer line
 * ends the input before it, and `tooLong()` says so.
 */
function boundedLines(input: Readable): { stream: Readable; tooLong: () => boolean } {
  // Only whole lines are passed on; the partial last line is held (at most MAX_COMMAND_LINE).
  let held: Buffer[] = [], heldLength = 0, over = false;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (over) { done(); return; }
      let start = 0;
      for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, start)) {
        if (heldLength + i - start > MAX_COMMAND_LINE) { over = true; break; }
        this.push(Buffer.concat([...held, chunk.subarray(start, i + 1)]));
        held = []; heldLength = 0; start = i + 1;
      }
      if (!over && heldLength + chunk.length - start > MAX_COMMAND_LINE) over = true;
      else if (!over && start < chunk.length) { held.push(Buffer.from(chunk.subarray(start))); heldLength += chunk.length - start; }
      if (over) { held = []; this.push(null); input.unpipe(stream); input.pause(); }
      done();
    },
    flush(done) { if (!over && heldLength) this.push(Buffer.concat(held)); done(); },
  });
  input.pipe(stream);
  return { stream, tooLong: () => over };
}

/** Run a debugging session on `file`; resolves to the process exit code (0, or 3 for bad input). */
export async function debugProgram(file: string, o: DebugCliOptions, io: ConsoleIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const b = buildFile(file);
  if (!b.ok) { for (const e of b.errors) io.stderr.write(e + '\n'); return 3; }
  for (const w of b.warnings) io.stderr.write(w + '\n');
  const say = (line: string) => io.stdout.write(line + '\n');
  // Opened now, synchronously: a path that cannot be written is bad input (exit 3), not a crash later.
  let json: RecordFile | null = null;
  if (o.traceJson) {
    const f = openRecordFile(o.traceJson);
    if (!f.ok) { io.stderr.write(`tinycp: ${f.error}\n`); return 3; }
    json = f.file;
  }
  let d: Debugger;
  try {
    d = new Debugger(b.image, b.asm, {
      mode: o.mode, storage: o.storage, input: o.input, output: say, interleave: true, maxRun: o.maxInstructions, assist: o.assist,
      profile: o.profile, hybrid: o.hybrid,
      traceSink: json ? (r) => json!.text(JSON.stringify(r) + '\n') : undefined,
    });
  } catch (e) { json?.close(); io.stderr.write(`tinycp: ${file}: ${(e as Error).message}\n`); return 3; }
  const tty = !!io.stdin.isTTY;
  d.color = !!(io.stdout as { isTTY?: boolean }).isTTY; // STEP's changes in colour on a terminal, marked '*' always
  say(`tinycp debug ${shortFile(file)}: ${o.mode === 'vm' ? `virtual machine ${d.vmName} under CP` : 'bare machine'}; HELP lists the commands.`);
  say('stopped before the first instruction:');
  say(d.whereLine());
  const piped = tty ? null : boundedLines(io.stdin);
  const rl = createInterface({ input: piped ? piped.stream : io.stdin, output: tty ? io.stdout : undefined, terminal: tty });
  if (tty) { rl.setPrompt(PROMPT); rl.prompt(); }
  // The interrupt key (Ctrl-C) is VM/370's attention: it stops a running BEGIN or STEP between slices.
  let attention = false, running = false;
  rl.on('SIGINT', () => { if (running) attention = true; else rl.close(); });
  try {
    for await (const line of rl) {
      if (!tty) say(PROMPT + line);
      attention = false; running = true;
      const r = await executeAsync(d, line, () => attention);
      running = false;
      for (const l of r.lines) say(l);
      if (r.stop) for (const l of r.stop.lines) say(l);
      if (r.quit) break;
      if (tty) rl.prompt();
    }
  } finally {
    rl.close();
    json?.close();
  }
  if (piped?.tooLong()) { io.stderr.write(`tinycp: stdin: a command line longer than ${MAX_COMMAND_LINE} bytes\n`); return 3; }
  return 0;
}
