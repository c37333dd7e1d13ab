/**
 * The operator console, a 3215-like typewriter (PoO 8.10.1), conventionally at address 0x009.
 * One WRITE is one output line; one READ takes one typed line. A READ with nothing typed waits:
 * the channel parks the program until the host calls `Channel.inputArrived`.
 */

import { CMD_CONTROL, CMD_READ, CMD_SENSE, CMD_WRITE, DEV_CONSOLE } from '../arch.ts';
import {
  CE_DE, LATENCY, SENSE_COMMAND_REJECT, SENSE_EQUIPMENT_CHECK, bytesToText, noOpResult, senseResult, textToBytes, unitCheckResult,
  type Device, type DeviceResult,
} from './types.ts';

/** Conventional address of the console. */
export const CONSOLE_ADDRESS = DEV_CONSOLE;

/**
 * Characters in a console line (PoO 8.10.1). A real 3215 prints 126; this console keeps the
 * printer's 132 so that a print line shown on the console is whole (CMS reads up to 132 too).
 * A WRITE takes at most this many bytes (a longer count: the first 132 are the line, incorrect
 * length unless SLI); a typed line longer than this is cut to it when typed.
 */
export const CONSOLE_LINE_SIZE = 132;

/** Plain-data state of a console (see `Console3215.save`). */
interface ConsoleState {
  input: string[];
  transcript: string[];
  sense: number;
}

/**
 * Console: WRITE (0x01) sends up to 132 bytes as one line (ASCII, newline implied) to `sink`;
 * READ (0x02) returns the next queued input line, without newline; CONTROL (0x03) is a no-op;
 * SENSE (0x04) returns the sense byte. Anything else: unit check, command reject.
 */
export class Console3215 implements Device {
  readonly type = '3215';
  /** Where output lines go (the host's terminal, a test's array). Replaceable at any time. */
  sink: (line: string) => void;
  private queue: string[] = [];
  private lines: string[] = [];
  private senseByte = 0;

  constructor(sink: (line: string) => void = () => {}) {
    this.sink = sink;
  }

  /** Queue one typed line (no newline) for a future READ. Call `Channel.inputArrived` afterwards. */
  input(line: string): void { this.queue.push(line.length > CONSOLE_LINE_SIZE ? line.slice(0, CONSOLE_LINE_SIZE) : line); }

  /** Lines typed but not yet read. */
  get pendingInput(): readonly string[] { return this.queue; }

  /** Every line READ has consumed, in order: replaying these as input reproduces a session. */
  get transcript(): readonly string[] { return this.lines; }

  command(cmd: number, data: Uint8Array | null, max: number): DeviceResult {
    if (cmd === CMD_SENSE) return senseResult(this.senseByte);
    this.senseByte = 0; // PoO 8.7: sense describes the last command only
    switch (cmd) {
      case CMD_WRITE: {
        // The channel gathered at most one line (outputLimit); the record is that line.
        const bytes = data === null ? new Uint8Array(0) : data.subarray(0, CONSOLE_LINE_SIZE);
        try {
          this.sink(bytesToText(bytes));
        } catch {
          // The host could not show the line: an equipment check on this console alone (PoO 8.7).
          this.senseByte = SENSE_EQUIPMENT_CHECK;
          return unitCheckResult();
        }
        return { status: CE_DE, length: Math.min(max, CONSOLE_LINE_SIZE), latency: LATENCY.CONSOLE + bytes.length };
      }
      case CMD_READ: {
        const line = this.queue.shift();
        if (line === undefined) return { status: 0, latency: 0, pending: true };
        this.lines.push(line);
        // The whole line is offered; the channel truncates to the count (incorrect length unless SLI).
        return { status: CE_DE, data: textToBytes(line), latency: LATENCY.CONSOLE + Math.min(line.length, max) };
      }
      case CMD_CONTROL:
        return noOpResult();
      default:
        this.senseByte = SENSE_COMMAND_REJECT;
        return unitCheckResult();
    }
  }

  /** WRITE takes one line; CONTROL ignores its data (PoO 8.5). */
  outputLimit(cmd: number): number { return cmd === CMD_WRITE ? CONSOLE_LINE_SIZE : 0; }

  sense(): Uint8Array { return Uint8Array.of(this.senseByte); }

  save(): unknown {
    const s: ConsoleState = { input: this.queue.slice(), transcript: this.lines.slice(), sense: this.senseByte };
    return s;
  }

  restore(state: unknown): void {
    const s = state as ConsoleState;
    this.queue = s.input.slice();
    this.lines = s.transcript.slice();
    this.senseByte = s.sense;
  }
}
