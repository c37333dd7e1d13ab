/**
 * Spooling (VM/370's DMKSPL, DMKRSP, DMKVSP): each VM's reader, punch and printer are virtual
 * unit-record devices backed by CP's spool, not by hardware. What a VM punches is collected in an
 * open spool file; CLOSE (or LOGOFF) makes it a closed file in the spool, queued for the reader of
 * the user the punch is spooled TO. The receiving VM reads it card by card; after the last card
 * its READ ends with unit exception (end of file, PoO 8.10.4), the file is purged, and the next
 * READ starts the next file. Printer output goes to one host file per user.
 *
 * On the host the spool is a folder. Each spool file is one self-describing *card file*,
 * `0001.cards`: a header line (`TCPSPOOL1 {json}` with id, origin, destination, class, name and
 * record count) and then the cards as raw 80-byte records, so a card is any 80 bytes (a X'0A' in a
 * card stays in that card). A card file is created exclusively (O_EXCL): CP never overwrites one.
 * `spool.journal` is an append-only list of closes (`+{json}`) and purges (`-id`) (after a
 * compaction its first line, `=n`, keeps the next file number), so a CLOSE costs
 * one append whatever the size of the spool. The card files are the truth and the journal only an
 * index of them: on load the journal is validated against the folder, and when it is damaged,
 * missing, or disagrees with the card files (a crash between the two writes), the index is
 * rebuilt from the card files' headers. Nothing on disk is deleted except by a purge.
 */
import {
  appendFileSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync,
  renameSync, rmSync, statSync, writeFileSync, writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { CMD_CONTROL, CMD_READ, CMD_SENSE, UNIT_EXCEPTION } from '../cpu/arch.ts';
import { makeCard } from '../cpu/io/unitrecord.ts';
import {
  CE_DE, LATENCY, SENSE_COMMAND_REJECT, bytesToText, noOpResult, senseResult, unitCheckResult, type Device, type DeviceResult,
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

/** Bytes per card record. */
export const CARD_BYTES = 80;
const MAGIC = 'TCPSPOOL1 ';
const JOURNAL = 'spool.journal';
/** A card file larger than this is not loaded (a damaged or foreign file; it stays on disk). */
const MAX_CARD_FILE = 256 << 20;

/** A spool file record from outside (journal, header): checked field by field. */
function validFile(x: unknown): SpoolFile | null {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return null;
  const o = x as Record<string, unknown>;
  const str = (v: unknown) => typeof v === 'string' && v.length <= 64;
  if (!Number.isSafeInteger(o.id) || (o.id as number) < 1) return null;
  if (!str(o.from) || !str(o.to) || !str(o.name) || (o.kind !== 'PUN' && o.kind !== 'PRT')) return null;
  if (!Number.isSafeInteger(o.records) || (o.records as number) < 0) return null;
  return { id: o.id as number, from: o.from as string, to: o.to as string, kind: o.kind, name: o.name as string, records: o.records as number };
}

/** The spool: closed files waiting in readers, on disk. */
export class Spool {
  private files_: SpoolFile[] = [];
  private next = 1;
  private journalLines = 0;
  private usage = new Map<string, { files: number; bytes: number }>();
  /** What loading found and did (a rebuilt index, unreadable files): CP tells the operator. */
  readonly notes: string[] = [];

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.load();
  }

  /** Files queued for `user`'s reader, oldest first. */
  readerFiles(user: string): readonly SpoolFile[] { return this.files_.filter((f) => f.to === user); }

  /** Every file in the spool. */
  get files(): readonly SpoolFile[] { return this.files_; }

  /** Closed spool files and their card bytes that `user` originated (for the per-user limits). */
  usageOf(user: string): { files: number; bytes: number } { return this.usage.get(user) ?? { files: 0, bytes: 0 }; }

  /**
   * Close a deck into a spool file for `to`'s reader. The card file is complete on disk (and was
   * created new, never over an existing file) before the journal names it.
   */
  enqueue(from: string, to: string, kind: SpoolFile['kind'], cards: readonly Uint8Array[], name: string): SpoolFile {
    const f: SpoolFile = { id: 0, from, to, kind, name: name.slice(0, 64), records: cards.length };
    const body = new Uint8Array(cards.length * CARD_BYTES);
    cards.forEach((c, i) => body.set(c.length === CARD_BYTES ? c : makeCard(c), i * CARD_BYTES)); // a short card is blank-padded, as punched
    let fd = -1;
    for (;;) {
      f.id = this.next++;
      try { fd = openSync(this.cardPath(f.id), 'wx'); break; } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // a file we did not know: skip its number
      }
    }
    try {
      writeAll(fd, Buffer.from(MAGIC + JSON.stringify(f) + '\n', 'utf8'));
      writeAll(fd, body);
      closeSync(fd);
    } catch (e) {
      // Disk full mid-file: remove the partial file we created (no one else's), so it is never taken for a deck.
      try { closeSync(fd); } catch { /* already closed */ }
      rmSync(this.cardPath(f.id), { force: true });
      throw e;
    }
    this.add(f);
    this.append('+' + JSON.stringify(f));
    return f;
  }

  /** The cards of a spool file (each 80 bytes, exactly as punched). */
  cards(f: SpoolFile): Uint8Array[] {
    const c = this.readCardFile(f.id);
    return c ? c.cards : [];
  }

  /** Remove a file (read to the end, or purged). The card file goes first: a crash in between leaves a journal entry without a file, which loading drops. */
  purge(id: number): void {
    const i = this.files_.findIndex((f) => f.id === id);
    if (i < 0) return;
    const [f] = this.files_.splice(i, 1);
    const u = this.usage.get(f.from);
    if (u) { u.files--; u.bytes -= f.records * CARD_BYTES; }
    rmSync(this.cardPath(id), { force: true });
    this.append(`-${id}`);
  }

  private cardPath(id: number): string { return join(this.dir, `${String(id).padStart(4, '0')}.cards`); }

  private add(f: SpoolFile): void {
    this.files_.push(f);
    const u = this.usage.get(f.from) ?? { files: 0, bytes: 0 };
    u.files++; u.bytes += f.records * CARD_BYTES;
    this.usage.set(f.from, u);
  }

  /** One journal line; now and then (amortized constant per line) the journal is compacted. */
  private append(line: string): void {
    appendFileSync(join(this.dir, JOURNAL), line + '\n');
    if (++this.journalLines > 1000 + 4 * this.files_.length) this.compact();
  }

  /** Rewrite the journal as the live files only (write and rename: the old one stays until the new one is whole). */
  private compact(): void {
    const p = join(this.dir, JOURNAL);
    writeFileSync(p + '.tmp', `=${this.next}\n` + this.files_.map((f) => '+' + JSON.stringify(f) + '\n').join(''));
    renameSync(p + '.tmp', p);
    this.journalLines = this.files_.length;
  }

  /** Header and cards of a card file, or null when it is missing, too large or not a card file. */
  private readCardFile(id: number): { head: SpoolFile; cards: Uint8Array[] } | null {
    let buf: Buffer;
    try {
      const p = this.cardPath(id);
      if (statSync(p).size > MAX_CARD_FILE) return null;
      buf = readFileSync(p);
    } catch { return null; }
    const nl = buf.indexOf(10);
    if (nl < 0 || nl > 4096 || buf.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) return null;
    let head: SpoolFile | null = null;
    try { head = validFile(JSON.parse(buf.subarray(MAGIC.length, nl).toString('utf8'))); } catch { return null; }
    if (!head || head.id !== id) return null;
    // The file's length is the truth: a short (truncated) file gives its whole cards only.
    const n = Math.min(head.records, Math.floor((buf.length - nl - 1) / CARD_BYTES));
    const cards: Uint8Array[] = [];
    for (let i = 0; i < n; i++) cards.push(new Uint8Array(buf.subarray(nl + 1 + i * CARD_BYTES, nl + 1 + (i + 1) * CARD_BYTES)));
    return { head: { ...head, records: n }, cards };
  }

  /** Load the index: replay the journal if it is sound and agrees with the card files, else rebuild it from them. */
  private load(): void {
    const ids = new Set<number>();
    for (const name of readdirSync(this.dir)) {
      const m = /^(\d{1,15})\.cards$/.exec(name);
      if (m) ids.add(Number(m[1]));
    }
    for (const id of ids) this.next = Math.max(this.next, id + 1);
    const jp = join(this.dir, JOURNAL);
    const replayed = existsSync(jp) ? this.replay(jp) : ids.size === 0 ? [] : null;
    let why = replayed === null ? (existsSync(jp) ? 'the spool journal is damaged' : 'the spool journal is missing') : '';
    if (replayed && !why) {
      const missing = replayed.find((f) => !ids.has(f.id));
      const listed = new Set(replayed.map((f) => f.id));
      const extra = [...ids].find((id) => !listed.has(id));
      if (missing) why = `spool file ${missing.id} is in the journal but its card file is missing`;
      else if (extra !== undefined) why = `card file ${extra} is not in the journal`;
    }
    if (!why) { for (const f of replayed!) this.add(f); return; }
    // Rebuild from the card files, oldest first; unreadable ones stay on disk, untouched.
    for (const id of [...ids].sort((a, b) => a - b)) {
      const c = this.readCardFile(id);
      if (c) this.add(c.head);
      else this.notes.push(`SPOOL: ${String(id).padStart(4, '0')}.cards is not a readable spool file; left in place, not used`);
    }
    this.notes.unshift(`SPOOL: index rebuilt from ${this.files_.length} card file(s): ${why}`);
    this.compact();
  }

  /** The journal's files, or null when any line is damaged (a truncated last line included). */
  private replay(path: string): SpoolFile[] | null {
    let text: string;
    try {
      if (statSync(path).size > MAX_CARD_FILE) return null;
      text = readFileSync(path, 'utf8');
    } catch { return null; }
    const live = new Map<number, SpoolFile>();
    const lines = text.split('\n');
    if (lines[lines.length - 1] !== '') return null; // the last line is incomplete
    lines.pop();
    for (const l of lines) {
      if (l.startsWith('+')) {
        let f: SpoolFile | null = null;
        try { f = validFile(JSON.parse(l.slice(1))); } catch { return null; }
        if (!f || live.has(f.id)) return null;
        live.set(f.id, f);
      } else if (/^-\d{1,15}$/.test(l)) {
        const id = Number(l.slice(1));
        live.delete(id);
        this.next = Math.max(this.next, id + 1); // numbers are not reused after a restart
      }
      else if (/^=\d{1,15}$/.test(l)) this.next = Math.max(this.next, Number(l.slice(1)));
      else return null;
      this.journalLines++;
    }
    for (const id of live.keys()) this.next = Math.max(this.next, id + 1);
    return [...live.values()].sort((a, b) => a.id - b.id);
  }
}

function writeAll(fd: number, data: Uint8Array): void {
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done, data.length - done);
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
