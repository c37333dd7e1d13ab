/**
 * The I/O interface between a CPU (real, or CP's virtual one) and its channel subsystem
 * (PoO 8). The CPU knows only this: START/TEST/HALT I/O name a device address, completion is an
 * I/O interruption at a virtual time, and the CSW and device address land in low storage.
 *
 * The same Channel class serves the bare machine and every virtual machine under CP, so a
 * channel program has one meaning in both (Popek & Goldberg's equivalence, by construction).
 *
 * Division of labour: the channel fetches and checks CCWs, moves bytes between storage and the
 * device, computes residual counts and incorrect length, and keeps time. A device only sees one
 * command at a time, with the bytes already gathered (output) or a byte budget (input).
 */

import { UNIT_CHANNEL_END, UNIT_CHECK, UNIT_DEVICE_END } from '../arch.ts';

/** Result of one device command (one CCW, or one chain of data-chained CCWs). */
export interface DeviceResult {
  /** Unit status bits (UNIT_* in arch.ts); CHANNEL_END|DEVICE_END for a normal end. */
  status: number;
  /**
   * Input commands (read, sense): the record the device offers. It may be longer than `max`;
   * the channel stores only what the CCWs' counts allow (PoO 8.5: incorrect length).
   */
  data?: Uint8Array;
  /**
   * The device's record length for this command: bytes it wanted to send or receive. The channel
   * transfers min(length, count) bytes and signals incorrect length when length != count.
   * Default: `data.length` for input, the full count for output (the device took everything).
   */
  length?: number;
  /** Virtual time (instructions) the operation takes, >= 1. */
  latency: number;
  /** True when the device cannot complete yet (console read with no line typed): the channel waits. */
  pending?: boolean;
}

/** A device on a channel. Implementations: console, printer, punch, reader, disk. */
export interface Device {
  /** Device type, System/370 style: '3215' console, '1403' printer, '2540P' punch, '2540R' reader, '3310' disk. */
  readonly type: string;
  /**
   * Execute a command (the exact command byte of the first CCW of a data chain). `data` is what
   * the channel gathered from storage for an output command (write, control: the chain's total
   * count of bytes), null for an input command; `max` is the chain's total count.
   * Must not throw for any guest-chosen input: an unknown command is a command reject.
   */
  command(cmd: number, data: Uint8Array | null, max: number): DeviceResult;
  /**
   * The most bytes the device takes for output command `cmd`: its record (a console or printer
   * line, a card, a disk block, a SEEK argument; 0 for a CONTROL that ignores its data). The
   * channel gathers at most this many bytes from storage, so `data.length` <= this, while `max`
   * still says the chain's total count; a device that takes fewer bytes than the count says so
   * with `length` (PoO 8.5: incorrect length, and the residual count shows what was not sent).
   * Absent: MAX_OUTPUT_RECORD. This bounds host work per START I/O by what devices really take.
   */
  outputLimit?(cmd: number): number;
  /** The current sense bytes (what SENSE would return), for diagnostics. */
  sense?(): Uint8Array;
  /** For snapshot and reverse execution: a deep copy of the device state (structured-clone friendly). */
  save?(): unknown;
  /** Restore a state returned by `save()`. */
  restore?(state: unknown): void;
}

/**
 * The most output bytes the channel gathers for one command of a device that states no record
 * length (`Device.outputLimit`): one CCW's largest count.
 */
export const MAX_OUTPUT_RECORD = 65_535;

/** Normal ending status: channel end and device end together (PoO 8.6). */
export const CE_DE = UNIT_CHANNEL_END | UNIT_DEVICE_END;

/* ---- Sense byte 0 (PoO 8.7). Every device here has exactly one sense byte. ---- */
/** The device does not know the command, or its data is unusable (short SEEK argument). */
export const SENSE_COMMAND_REJECT = 0x80;
/** The device needs an operator (not produced by the devices here; kept for CP's use). */
export const SENSE_INTERVENTION = 0x40;
/** The host refused an operation on the backing medium (a host file I/O error). */
export const SENSE_EQUIPMENT_CHECK = 0x10;
/** Data could not be transferred correctly. */
export const SENSE_DATA_CHECK = 0x08;
/** Disk: the block number is beyond the end of the disk (or of the minidisk extent). */
export const SENSE_SEEK_CHECK = 0x04;

/**
 * Default latencies in virtual time units (instructions). The channel adds these up along a
 * channel program; the I/O interruption becomes pending at start time + the sum (PoO 8.9).
 */
export const LATENCY = {
  /** Console write or read: base cost, plus one unit per byte of the line. */
  CONSOLE: 100,
  /** One printer line. */
  PRINTER: 200,
  /** One punched card. */
  PUNCH: 200,
  /** One card read (also the end-of-file indication). */
  READER: 200,
  /** Disk SEEK. */
  DISK_SEEK: 50,
  /** One disk block read or written. */
  DISK_BLOCK: 300,
  /** CONTROL (no-operation), SENSE, and a rejected command, on any device. */
  IMMEDIATE: 10,
} as const;

/** SENSE on a device: its one sense byte (PoO 8.7). */
export function senseResult(sense: number): DeviceResult {
  return { status: CE_DE, data: Uint8Array.of(sense), latency: LATENCY.IMMEDIATE };
}

/** A command ended with unit check; nothing was transferred (the caller sets the sense byte). */
export function unitCheckResult(latency: number = LATENCY.IMMEDIATE): DeviceResult {
  return { status: CE_DE | UNIT_CHECK, length: 0, latency };
}

/** CONTROL no-operation: accepts (and ignores) the CCW's data, ends at once (PoO 8.4). */
export function noOpResult(): DeviceResult {
  return { status: CE_DE, latency: LATENCY.IMMEDIATE };
}

/**
 * Text on this machine is ASCII, one byte per character. Bytes 0x80-0xFF pass through as
 * Latin-1 so that output is never lost; on input, characters above 0xFF become '?'.
 */
export function bytesToText(bytes: Uint8Array): string {
  // Whole slices at a time (linear, no per-character string concatenation); slices stay well
  // under the engine's limit on call arguments.
  let s = '';
  for (let i = 0; i < bytes.length; i += TEXT_SLICE) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + TEXT_SLICE) as unknown as number[]);
  }
  return s;
}
const TEXT_SLICE = 8192;

/**
 * `text` without its trailing blanks (space, tab, LF, VT, FF, CR), in one backward scan. A regular
 * expression like /\s+$/ retries from every blank run and is quadratic on text made of blanks.
 */
export function trimTrailingBlanks(text: string): string {
  let end = text.length;
  for (;;) {
    const c = end > 0 ? text.charCodeAt(end - 1) : 0;
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) end--;
    else break;
  }
  return end === text.length ? text : text.slice(0, end);
}

/** Encode text as bytes (see `bytesToText`). */
export function textToBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c > 0xff ? 0x3f : c;
  }
  return out;
}
