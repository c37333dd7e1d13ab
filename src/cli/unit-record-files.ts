/**
 * Host files for the unit-record devices of `tinycp run` (PoO 8.10.2-8.10.4, 9.2): a deck of
 * reader cards read from a file before the program starts, and printer lines and punched cards
 * written to files (or shown on stdout, labelled, when no file is given).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { CARD_SIZE } from '../cpu/io/unitrecord.ts';
import { readHostFile } from '../host/nodefs.ts';

export type Deck = { ok: true; cards: Uint8Array[] } | { ok: false; error: string };

/**
 * Cards from a file. Text (`binary` false): one card per line (LF or CRLF), each line's bytes
 * blank-padded to 80; a longer line is refused with its line number. Binary: the file is a
 * sequence of 80-byte records of any bytes (what `--punch` writes), so its size must be a
 * multiple of 80.
 */
export function readDeck(path: string, binary: boolean): Deck {
  const r = readHostFile(path, 'cards');
  if (!r.ok) return r;
  const b = r.bytes;
  const cards: Uint8Array[] = [];
  if (binary) {
    if (b.length % CARD_SIZE !== 0) return { ok: false, error: `${path}: ${b.length} bytes is not a whole number of ${CARD_SIZE}-byte cards` };
    for (let i = 0; i < b.length; i += CARD_SIZE) cards.push(Uint8Array.prototype.slice.call(b, i, i + CARD_SIZE));
    return { ok: true, cards };
  }
  let start = 0, line = 1;
  while (start < b.length) {
    let end = b.indexOf(0x0a, start);
    const next = end < 0 ? b.length : end + 1;
    if (end < 0) end = b.length;
    if (end > start && b[end - 1] === 0x0d) end--;
    if (end - start > CARD_SIZE) return { ok: false, error: `${path}:${line}: ${end - start} bytes, longer than a card (${CARD_SIZE}); use --reader-binary for 80-byte records` };
    const card = new Uint8Array(CARD_SIZE).fill(0x20);
    card.set(b.subarray(start, end));
    cards.push(card);
    start = next;
    line++;
  }
  return { ok: true, cards };
}

/** A card or line for a person: trailing blanks dropped, bytes outside printable ASCII shown as '.'. */
export function showable(bytes: Uint8Array): string {
  let n = bytes.length;
  while (n > 0 && bytes[n - 1] === 0x20) n--;
  let s = '';
  for (let i = 0; i < n; i++) s += bytes[i] >= 0x20 && bytes[i] < 0x7f ? String.fromCharCode(bytes[i]) : '.';
  return s;
}

/** Drop trailing blanks (linear: a regex would backtrack on a line of blanks). */
function trimEndBlanks(s: string): string {
  let n = s.length;
  while (n > 0 && s.charCodeAt(n - 1) === 0x20) n--;
  return s.slice(0, n);
}

/** A file written record by record as the device produces it (synchronously: nothing is held). */
export class RecordFile {
  private fd: number;
  count = 0;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }
  /**
   * A printer line, as text (one byte per character) with a newline; trailing blanks dropped and
   * control bytes printed as '.', so that a file line is always one printed line.
   */
  line(text: string): void {
    const b = Buffer.from(trimEndBlanks(text) + '\n', 'latin1');
    for (let i = 0; i < b.length - 1; i++) if (b[i] < 0x20 || b[i] === 0x7f) b[i] = 0x2e;
    writeSync(this.fd, b);
    this.count++;
  }
  /** Text as it is (UTF-8): JSON lines of a trace. */
  text(t: string): void {
    writeSync(this.fd, t);
  }
  /** A punched card: its 80 bytes exactly, no separator (read back with --reader-binary). */
  card(card: Uint8Array): void {
    writeSync(this.fd, card);
    this.count++;
  }
  close(): void { closeSync(this.fd); }
}

/** Open an output file, or say why not (`path: cannot write: EACCES`). */
export function openRecordFile(path: string): { ok: true; file: RecordFile } | { ok: false; error: string } {
  try { return { ok: true, file: new RecordFile(path) }; } catch (e) {
    return { ok: false, error: `${path}: cannot write: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
}
