/**
 * `tinycp debug prog.s [--vm|--bare]`: the CP console of a debugging session. It starts stopped
 * before the first instruction (like VM/370's `IPL ... STOP`), reads commands from the terminal
 * with a prompt, or from stdin line by line when stdin is not a terminal (each command is then
 * echoed after the prompt, so a piped session reads like a terminal transcript). Guest console
 * output is printed as the guest produces it.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { execute } from '../debug/commands.ts';
import { Debugger } from '../debug/debugger.ts';
import { shortFile } from '../debug/format.ts';
import { buildFile } from '../system/build.ts';
import type { Mode } from '../system/session.ts';

export interface DebugCliOptions {
  mode: Mode;
  storage: number;
  traceJson?: string;
  input?: string[];
  maxInstructions?: number;
}

/** Streams of the console (tests pass their own). */
export interface ConsoleIo { stdin: Readable & { isTTY?: boolean }; stdout: Writable; stderr: Writable }

const PROMPT = 'CP> ';

/** Run a debugging session on `file`; resolves to the process exit code (0, or 3 for bad input). */
export async function debugProgram(file: string, o: DebugCliOptions, io: ConsoleIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const b = buildFile(file);
  if (!b.ok) { for (const e of b.errors) io.stderr.write(e + '\n'); return 3; }
  for (const w of b.warnings) io.stderr.write(w + '\n');
  const say = (line: string) => io.stdout.write(line + '\n');
  let json: WriteStream | null = null;
  if (o.traceJson) json = createWriteStream(o.traceJson);
  let d: Debugger;
  try {
    d = new Debugger(b.image, b.asm, {
      mode: o.mode, storage: o.storage, input: o.input, output: say, interleave: true, maxRun: o.maxInstructions,
      traceSink: json ? (r) => json!.write(JSON.stringify(r) + '\n') : undefined,
    });
  } catch (e) { io.stderr.write(`tinycp: ${file}: ${(e as Error).message}\n`); return 3; }
  const tty = !!io.stdin.isTTY;
  say(`tinycp debug ${shortFile(file)}: ${o.mode === 'vm' ? `virtual machine ${d.vmName} under CP` : 'bare machine'}; HELP lists the commands.`);
  say('stopped before the first instruction:');
  say(d.whereLine());
  const rl = createInterface({ input: io.stdin, output: tty ? io.stdout : undefined, terminal: tty });
  if (tty) { rl.setPrompt(PROMPT); rl.prompt(); }
  try {
    for await (const line of rl) {
      if (!tty) say(PROMPT + line);
      const r = execute(d, line);
      for (const l of r.lines) say(l);
      if (r.stop) for (const l of r.stop.lines) say(l);
      if (r.quit) break;
      if (tty) rl.prompt();
    }
  } finally {
    rl.close();
    if (json) await new Promise<void>((res) => json!.end(res));
  }
  return 0;
}
