/**
 * Spooling (VM/370's DMKSPL, DMKRSP, DMKVSP): each VM's reader, punch and printer are virtual
 * unit-record devices backed by CP's spool, not by hardware. What a VM punches is collected in an
 * open spool file; CLOSE (or LOGOFF) makes it a closed file in the spool, queued for the reader of
 * the user the punch is spooled TO. The receiving VM reads it card by card; after the last card
 * its READ ends with unit exception (end of file, PoO 8.10.4), the file is purged, and the next
 * READ starts the next file. Printer output goes to one host file per user.
 *
 * The spool lives in a host folder: one text file per spool file (80-column cards, one a line)
 * and `index.json`, rewritten atomically (write + rename) after the card file is complete, so a
 * closed spool file survives a restart of tinycp.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CMD_CONTROL, CMD_READ, CMD_SENSE, UNIT_EXCEPTION } from '../cpu/arch.ts';
import { makeCard } from '../cpu/io/unitrecord.ts';
import {
  CE_DE, LATENCY, SENSE_COMMAND_REJECT, bytesToText, noOpResult, senseResult, textToBytes, unitCheckResult, type Device, type DeviceResult,
} from '../cpu/io/types.ts';

/** One closed spool file (VM/370's SFBLOK). */
export interface SpoolFile {
  /** Spool file number (VM/370 printed it as 4 digits). */
  id: number;
  from: string;
  to: string;
  /** Device class that made it. */
  kind: 'PUN' | 'PRT';
  /** File name and type (from CLOSE ... NAME, or the deck's `:READ fname ftype` header card). */
  name: string;
  records: number;
}

interface Index { next: number; files: SpoolFile[] }

/** The spool: closed files waiting in readers, on disk. */
export class Spool {
  private index: Index = { next: 1, files: [] };

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    const p = join(dir, 'index.json');
    if (existsSync(p)) {
      try { this.index = JSON.parse(readFileSync(p, 'utf8')) as Index; } catch { /* a damaged index: start empty, files stay on disk */ }
    }
  }

  /** Files queued for `user`'s reader, oldest first. */
  readerFiles(user: string): readonly SpoolFile[] { return this.index.files.filter((f) => f.to === user); }

  /** Every file in the spool. */
  get files(): readonly SpoolFile[] { return this.index.files; }

  /** Close a deck into a spool file for `to`'s reader. The cards are on disk before the index names them. */
  enqueue(from: string, to: string, kind: SpoolFile['kind'], cards: readonly Uint8Array[], name: string): SpoolFile {
    const f: SpoolFile = { id: this.index.next++, from, to, kind, name, records: cards.length };
    writeFileSync(this.cardPath(f.id), cards.map((c) => bytesToText(c)).join('\n') + (cards.length ? '\n' : ''), 'latin1');
    this.index.files.push(f);
    this.save();
    return f;
  }

  /** The cards of a spool file. */
  cards(f: SpoolFile): Uint8Array[] {
    let text = '';
    try { text = readFileSync(this.cardPath(f.id), 'latin1'); } catch { return []; }
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines.map((l) => makeCard(textToBytes(l)));
  }

  /** Remove a file (read to the end, or purged). */
  purge(id: number): void {
    const i = this.index.files.findIndex((f) => f.id === id);
    if (i < 0) return;
    this.index.files.splice(i, 1);
    this.save();
    rmSync(this.cardPath(id), { force: true });
  }

  private cardPath(id: number): string { return join(this.dir, `${String(id).padStart(4, '0')}.cards`); }

  private save(): void {
    const p = join(this.dir, 'index.json');
    writeFileSync(p + '.tmp', JSON.stringify(this.index, null, 1));
    renameSync(p + '.tmp', p);
  }
}

/** Name a deck: CLOSE's NAME operand, else the `:READ fname ftype` header card the CMS convention puts first. */
export function deckName(cards: readonly Uint8Array[], given: string | null): string {
  if (given) return given;
  const first = cards.length ? bytesToText(cards[0]).trim() : '';
  const m = /^:READ\s+(\S+)\s+(\S+)/i.exec(first);
  return m ? `${m[1]} ${m[2]}`.toUpperCase() : 'NONAME DECK';
}

/**
 * A virtual card reader fed from the spool: READ gives the next card of the current file; after
 * its last card, READ ends with unit exception (end of file) and the file is purged; with nothing
 * queued, READ ends with unit exception at once (an empty hopper).
 */
export class SpoolReader implements Device {
  readonly type = '2540R';
  private current: { file: SpoolFile; cards: Uint8Array[]; pos: number } | null = null;
  private senseByte = 0;
  /** Called when a file has been read to its end (CP tells the user, VM/370 style). */
  onFileRead: ((f: SpoolFile) => void) | null = null;

  constructor(readonly spool: Spool, readonly user: string) {}

  /** The file being read, if any. */
  get reading(): SpoolFile | null { return this.current?.file ?? null; }

  command(cmd: number): DeviceResult {
    if (cmd === CMD_SENSE) return senseResult(this.senseByte);
    this.senseByte = 0;
    if (cmd === CMD_CONTROL) return noOpResult();
    if (cmd !== CMD_READ) { this.senseByte = SENSE_COMMAND_REJECT; return unitCheckResult(); }
    if (!this.current) {
      const f = this.spool.readerFiles(this.user)[0];
      if (!f) return { status: CE_DE | UNIT_EXCEPTION, length: 0, latency: LATENCY.READER };
      this.current = { file: f, cards: this.spool.cards(f), pos: 0 };
    }
    const c = this.current;
    if (c.pos < c.cards.length) return { status: CE_DE, data: c.cards[c.pos++], latency: LATENCY.READER };
    this.close();
    this.onFileRead?.(c.file);
    return { status: CE_DE | UNIT_EXCEPTION, length: 0, latency: LATENCY.READER };
  }

  /** CLOSE READER / end of file: the file being read is purged (VM/370's default, NOHOLD). */
  close(): void {
    if (this.current) { this.spool.purge(this.current.file.id); this.current = null; }
  }

  sense(): Uint8Array { return Uint8Array.of(this.senseByte); }
}

/** Printer output for one user, appended to a host file line by line (synchronously). */
export function printerSink(path: string): (line: string) => void {
  return (line) => appendFileSync(path, line.replace(/\s+$/, '') + '\n', 'latin1');
}
