/**
 * The console multiplexer: where every VM's console lines go. Many users, one stdout, so each
 * line is prefixed by the user ID, as VM/370's operator console showed messages (`MAINT: ...`);
 * each user's lines also go to a log file of their own (`<logDir>/<USER>.log`). Interactively,
 * one VM is *attached* to the terminal: lines typed go to its console (see src/cli/system.ts).
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { trimTrailingBlanks } from '../cpu/io/types.ts';

export interface ConsoleMuxOptions {
  /** Where prefixed lines go (stdout; a test's array). */
  out: (line: string) => void;
  /** Folder for per-user logs; null: no logs. */
  logDir?: string | null;
}

export class ConsoleMux {
  private readonly out: (line: string) => void;
  private readonly logDir: string | null;
  private logs = new Map<string, number>();
  /** Users whose log file failed (no more writes are tried). */
  private failed = new Set<string>();
  /** Every line written, prefixed (tests; the demo summary). Bounded by `keep`. */
  readonly transcript: string[] = [];
  keep = 100_000;
  /** The user whose console the terminal is attached to (interactive mode). */
  attached: string | null = null;

  constructor(o: ConsoleMuxOptions) {
    this.out = o.out;
    this.logDir = o.logDir ?? null;
    if (this.logDir) mkdirSync(this.logDir, { recursive: true });
  }

  /** A console line of `user` (guest output, CP responses, echoed input). */
  line(user: string, text: string): void {
    text = trimTrailingBlanks(text); // a terminal shows no trailing blanks (an 80-column card has many); linear, unlike /\s+$/
    const prefixed = `${user}: ${text}`;
    this.emit(prefixed);
    if (this.logDir && !this.failed.has(user)) {
      // A host error on the log (disk full) stops that log alone, said once: CP's own logging
      // failing must never end CP nor reach the guest whose line it was.
      try {
        let fd = this.logs.get(user);
        if (fd === undefined) { fd = openSync(join(this.logDir, `${user}.log`), 'a'); this.logs.set(user, fd); }
        writeSync(fd, text + '\n');
      } catch (e) {
        this.failed.add(user);
        this.system(`LOG OF ${user} STOPPED: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
  }

  /** A message from CP itself (not on any user's console). */
  system(text: string): void { this.emit(`CP: ${text}`); }

  /** The sink to give a VM's console device and its DIAGNOSE X'10' path. */
  sinkFor(user: string): (line: string) => void { return (t) => this.line(user, t); }

  /** Lines of one user, without the prefix (tests). */
  linesOf(user: string): string[] {
    const p = `${user}: `;
    return this.transcript.filter((l) => l.startsWith(p)).map((l) => l.slice(p.length));
  }

  close(): void {
    for (const fd of this.logs.values()) try { closeSync(fd); } catch { /* already reported or harmless at close */ }
    this.logs.clear();
  }

  private emit(line: string): void {
    if (this.transcript.length < this.keep) this.transcript.push(line);
    try { this.out(line); } catch { /* the terminal failed (EPIPE, disk full): the transcript and logs still have the line */ }
  }
}
