/**
 * The console multiplexer: where every VM's console lines go. Many users, one stdout, so each
 * line is prefixed by the user ID, as VM/370's operator console showed messages (`MAINT: ...`);
 * each user's lines also go to a log file of their own (`<logDir>/<USER>.log`). Interactively,
 * one VM is *attached* to the terminal: lines typed go to its console (see src/cli/system-command.ts).
 *
 * What is kept is bounded per user (issue 9 §2): a log file stops at the user's LOGBYTES and the
 * in-memory transcript at CONSBYTES; the user and the operator are told once. Lines still go to
 * `out` (the terminal) after a limit: the terminal keeps nothing in CP.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LIMITS, type UserLimits } from './directory.ts';
import { trimTrailingBlanks } from '../cpu/io/types.ts';

export interface ConsoleMuxOptions {
  /** Where prefixed lines go (stdout; a test's array). */
  out: (line: string) => void;
  /** Folder for per-user logs; null: no logs. */
  logDir?: string | null;
  /** Each user's byte limits for the log file and the kept transcript (default DEFAULT_LIMITS). */
  limitsOf?: (user: string) => Pick<UserLimits, 'logBytes' | 'consoleBytes'> | undefined;
}

/** Bytes a user has in the log and the transcript, and whether each limit has been reached. */
interface Usage { log: number; kept: number; logFull: boolean; keptFull: boolean }

export class ConsoleMux {
  private readonly out: (line: string) => void;
  private readonly logDir: string | null;
  private logs = new Map<string, number>();
  private readonly limitsOf: NonNullable<ConsoleMuxOptions['limitsOf']>;
  private usage = new Map<string, Usage>();
  private failed = new Set<string>();
  /** Every line written, prefixed (tests; the demo summary). Bounded by `keep`. */
  readonly transcript: string[] = [];
  keep = 100_000;
  /** The user whose console the terminal is attached to (interactive mode). */
  attached: string | null = null;

  constructor(o: ConsoleMuxOptions) {
    this.out = o.out;
    this.logDir = o.logDir ?? null;
    this.limitsOf = o.limitsOf ?? (() => DEFAULT_LIMITS);
    if (this.logDir) mkdirSync(this.logDir, { recursive: true });
  }

  /** A console line of `user` (guest output, CP responses, echoed input). */
  line(user: string, text: string): void {
    text = trimTrailingBlanks(text); // a terminal shows no trailing blanks (an 80-column card has many); linear, unlike /\s+$/
    const prefixed = `${user}: ${text}`;
    const lim = this.limitsOf(user) ?? DEFAULT_LIMITS;
    let u = this.usage.get(user);
    if (!u) { u = { log: 0, kept: 0, logFull: false, keptFull: false }; this.usage.set(user, u); }
    if (!u.keptFull && u.kept + prefixed.length > lim.consoleBytes) {
      u.keptFull = true;
      this.notice(user, `CONSOLE LIMIT REACHED (${lim.consoleBytes} BYTES KEPT, CONSBYTES): FURTHER LINES ARE SHOWN, NOT KEPT`);
    }
    if (!u.keptFull) { u.kept += prefixed.length; this.keepLine(prefixed); }
    try { this.out(prefixed); } catch { /* the terminal failed (EPIPE): the transcript and logs still have the line */ }
    if (this.logDir && !u.logFull) {
      const bytes = Buffer.byteLength(text) + 1; // the log is UTF-8: a character above X'7F' takes two bytes
      if (u.log + bytes > lim.logBytes) {
        u.logFull = true;
        this.notice(user, `LOG LIMIT REACHED (${lim.logBytes} BYTES, LOGBYTES): FURTHER LINES ARE NOT LOGGED`);
      } else {
        u.log += bytes;
        this.writeLog(user, text);
      }
    }
  }

  /** A limit was reached: one line on the user's console (kept and logged past the limit) and one for the operator. */
  notice(user: string, text: string): void {
    const line = `${user}: ${text}`;
    this.keepLine(line);
    this.out(line);
    if (this.logDir) this.writeLog(user, text);
    this.system(`${user}: ${text}`);
  }

  /** Append to the user's log; a host error (disk full) ends that log, never CP (CP says so once). */
  private writeLog(user: string, text: string): void {
    if (this.failed.has(user)) return;
    const u = this.usage.get(user);
    try {
      let fd = this.logs.get(user);
      if (fd === undefined) { fd = openSync(join(this.logDir!, `${user}.log`), 'a'); this.logs.set(user, fd); }
      writeSync(fd, text + '\n');
    } catch (e) {
      this.failed.add(user);
      if (u) u.logFull = true;
      this.system(`${user}: LOG WRITE FAILED (${(e as NodeJS.ErrnoException).code ?? 'error'}): FURTHER LINES ARE NOT LOGGED`);
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
    this.keepLine(line);
    try { this.out(line); } catch { /* the terminal failed (EPIPE, disk full): the transcript and logs still have the line */ }
  }

  private keepLine(line: string): void {
    if (this.transcript.length < this.keep) this.transcript.push(line);
  }
}
