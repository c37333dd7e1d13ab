/**
 * Unit-record devices (PoO 8.10.2-8.10.4): a 1403-like line printer, and the punch and reader
 * sides of a 2540 card reader/punch. Cards are 80 bytes of ASCII; short punched cards and short
 * loaded cards are padded with blanks.
 */

import { CMD_CONTROL, CMD_READ, CMD_SENSE, CMD_WRITE, DEV_PRINTER, DEV_PUNCH, DEV_READER, UNIT_EXCEPTION } from '../arch.ts';
import {
  CE_DE, LATENCY, SENSE_COMMAND_REJECT, SENSE_EQUIPMENT_CHECK, bytesToText, noOpResult, senseResult, textToBytes, unitCheckResult,
  type Device, type DeviceResult,
} from './types.ts';

/** Conventional address of the card reader. */
export const READER_ADDRESS = DEV_READER;
/** Conventional address of the card punch. */
export const PUNCH_ADDRESS = DEV_PUNCH;
/** Conventional address of the printer. */
export const PRINTER_ADDRESS = DEV_PRINTER;

/** Bytes in a card. */
export const CARD_SIZE = 80;
/** Print positions of a printer line. */
export const LINE_SIZE = 132;
const BLANK = 0x20;

/** A card from bytes or text: truncated or blank-padded to 80 bytes (a fresh copy). */
export function makeCard(card: Uint8Array | string): Uint8Array {
  const src = typeof card === 'string' ? textToBytes(card) : card;
  const out = new Uint8Array(CARD_SIZE).fill(BLANK);
  out.set(src.subarray(0, CARD_SIZE));
  return out;
}

/** SENSE, the sense reset and command reject, common to the three devices. */
abstract class UnitRecord implements Device {
  abstract readonly type: string;
  protected senseByte = 0;
  /** Last host error (for the operator; the guest sees only sense EQUIPMENT CHECK). */
  lastHostError: string | null = null;

  command(cmd: number, data: Uint8Array | null, max: number): DeviceResult {
    if (cmd === CMD_SENSE) return senseResult(this.senseByte);
    this.senseByte = 0; // PoO 8.7: sense describes the last command only
    if (cmd === CMD_CONTROL) return noOpResult(); // carriage space/skip, stacker select: no effect
    let r: DeviceResult | null;
    try {
      r = this.execute(cmd, data, max);
    } catch (e) {
      // The host refused the output (a spool or printer file on a full disk): an equipment check
      // for this device alone (PoO 8.7), never an exception through the channel into CP.
      this.lastHostError = e instanceof Error ? e.message : String(e);
      this.senseByte = SENSE_EQUIPMENT_CHECK;
      return unitCheckResult();
    }
    if (r !== null) return r;
    this.senseByte = SENSE_COMMAND_REJECT;
    return unitCheckResult();
  }

  /** The device's own commands; null = command reject. */
  protected abstract execute(cmd: number, data: Uint8Array | null, max: number): DeviceResult | null;

  sense(): Uint8Array { return Uint8Array.of(this.senseByte); }
  save(): unknown { return { sense: this.senseByte }; }
  restore(state: unknown): void { this.senseByte = (state as { sense: number }).sense; }
}

/**
 * Printer: WRITE (0x01) prints one line of up to 132 bytes (more: the first 132 are printed and
 * the channel reports incorrect length); CONTROL (0x03) is carriage space/skip, a no-op.
 */
export class Printer1403 extends UnitRecord {
  readonly type = '1403';
  /** Where printed lines go. */
  sink: (line: string) => void;

  constructor(sink: (line: string) => void = () => {}) {
    super();
    this.sink = sink;
  }

  /** WRITE takes one print line; CONTROL ignores its data. */
  outputLimit(cmd: number): number { return cmd === CMD_WRITE ? LINE_SIZE : 0; }

  protected execute(cmd: number, data: Uint8Array | null): DeviceResult | null {
    if (cmd !== CMD_WRITE || data === null) return null;
    const n = Math.min(data.length, LINE_SIZE);
    this.sink(bytesToText(data.subarray(0, n)));
    return { status: CE_DE, length: n, latency: LATENCY.PRINTER };
  }
}

/**
 * Card punch: WRITE (0x01) punches one 80-byte card; shorter data is padded with blanks (not an
 * error), longer data is incorrect length (the first 80 bytes are punched).
 */
export class Punch2540 extends UnitRecord {
  readonly type = '2540P';
  /** Where punched cards go (each a fresh 80-byte array). */
  sink: (card: Uint8Array) => void;

  constructor(sink: (card: Uint8Array) => void = () => {}) {
    super();
    this.sink = sink;
  }

  /** WRITE takes one card; CONTROL ignores its data. */
  outputLimit(cmd: number): number { return cmd === CMD_WRITE ? CARD_SIZE : 0; }

  protected execute(cmd: number, data: Uint8Array | null): DeviceResult | null {
    if (cmd !== CMD_WRITE || data === null) return null;
    const n = Math.min(data.length, CARD_SIZE);
    this.sink(makeCard(data.subarray(0, n)));
    return { status: CE_DE, length: n, latency: LATENCY.PUNCH };
  }
}

/**
 * Card reader: READ (0x02) reads the next card (80 bytes; any other count is incorrect length
 * unless SLI). With the deck empty, READ ends with CE|DE|UNIT_EXCEPTION (end of file), nothing
 * read; loading more cards makes it readable again.
 */
export class Reader2540 extends UnitRecord {
  readonly type = '2540R';
  private deck: Uint8Array[] = [];

  constructor(cards: Iterable<Uint8Array | string> = []) {
    super();
    this.load(cards);
  }

  /** Put cards at the end of the deck (each truncated or blank-padded to 80 bytes). */
  load(cards: Iterable<Uint8Array | string>): void {
    for (const c of cards) this.deck.push(makeCard(c));
  }

  /** Cards left to read. */
  get remaining(): number { return this.deck.length; }

  /** Only CONTROL is output here, and it ignores its data. */
  outputLimit(): number { return 0; }

  protected execute(cmd: number): DeviceResult | null {
    if (cmd !== CMD_READ) return null;
    const card = this.deck.shift();
    if (card === undefined) return { status: CE_DE | UNIT_EXCEPTION, length: 0, latency: LATENCY.READER };
    return { status: CE_DE, data: card, latency: LATENCY.READER };
  }

  override save(): unknown {
    return { sense: this.senseByte, deck: this.deck.map((c) => c.slice()) };
  }

  override restore(state: unknown): void {
    const s = state as { sense: number; deck: Uint8Array[] };
    this.senseByte = s.sense;
    this.deck = s.deck.map((c) => c.slice());
  }
}
