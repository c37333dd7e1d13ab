/**
 * The user directory (VM/370's USER DIRECT, compiled by DMKDIR): who may log on, with how much
 * storage, which virtual devices, which minidisks, what to IPL. The format is line-oriented and
 * column-free, close in spirit to VM/370's; docs/timesharing.md is its reference.
 *
 * `parseDirectory` never throws, whatever the text (test/system-directory-fuzz.test.ts): every
 * problem is an error string `file:line:col: message`, and the parser keeps going so that one run
 * reports every bad statement. Cross-statement rules (LINK to a minidisk that exists, no two
 * extents sharing blocks of one image file, compared as real files: device and inode, not names)
 * are checked at the end, against the line of the later statement.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { MAX_STORAGE, MIN_STORAGE } from '../cpu/storage.ts';
import { hex } from '../cpu/hex.ts';

/** A virtual device address: 0-X'FFFF'. */
export type Vaddr = number;

/** A minidisk: blocks [first, first+blocks) of a host image file (PoO 8.10.5 blocks of 512 bytes). */
export interface MdiskEntry {
  vaddr: Vaddr;
  /** Image path as written (relative paths resolve against the system's image directory). */
  image: string;
  first: number;
  blocks: number;
  /** R: read-only for the owner too; W: owner writes, others may link R; MW: others may link W too. */
  mode: 'R' | 'W' | 'MW';
  /** VM/370's read, write and multiple-write passwords: a LINK command by another user needs the one for its mode (null: no such link). */
  passwords: { R: string | null; W: string | null; M: string | null };
  line: number;
}

/** A LINK statement: at logon, `owner`'s minidisk `vaddr` appears as this user's `as`. */
export interface LinkEntry { owner: string; vaddr: Vaddr; as: Vaddr; mode: 'R' | 'W'; line: number }

export type SpoolKind = 'READER' | 'PUNCH' | 'PRINTER';

/** What CP keeps on the host for a user's output (issue 9: bounded per user). */
export interface UserLimits {
  /** Closed spool files the user may have originated and not yet purged. */
  spoolFiles: number;
  /** Card bytes of those files plus the open punch deck. */
  spoolBytes: number;
  /** Bytes of the user's console log file and of printer output, each. */
  logBytes: number;
  /** Bytes of the user's console lines CP keeps in memory (the transcript). */
  consoleBytes: number;
}

/** Defaults of the per-user limits (OPTION SPOOLFILES/SPOOLBYTES/LOGBYTES/CONSBYTES change them). */
export const DEFAULT_LIMITS: Readonly<UserLimits> = { spoolFiles: 100, spoolBytes: 4 << 20, logBytes: 16 << 20, consoleBytes: 1 << 20 };

/**
 * VM/370's privilege classes: A system operator, B system resources, C system programmer,
 * D spooling, E analyst, F service, G general user (H reserved). Each CP command has classes; a
 * user may run a command when they share one.
 */
export const CLASS_LETTERS = /^[A-H]{1,8}$/;

export interface UserEntry {
  name: string;
  password: string;
  /** Storage size in bytes. */
  storage: number;
  /** Program to IPL (absolute path): an assembly source or a tinycp object file. */
  ipl: string | null;
  console: Vaddr;
  spool: { vaddr: Vaddr; kind: SpoolKind }[];
  mdisks: MdiskEntry[];
  links: LinkEntry[];
  autolog: boolean;
  /** Relative share of the real CPU (time slices per round). */
  share: number;
  /** Privilege classes (CLASS_LETTERS; default G). */
  classes: string;
  /** Flush every minidisk write to stable storage before the guest sees it complete (OPTION FSYNC). */
  fsync: boolean;
  limits: UserLimits;
  line: number;
}

/** A scripted console line: typed at `user`'s console when that VM asks for input (see time-sharing-system.ts). */
export interface ScriptLine { user: string; text: string; line: number }

export interface Directory {
  /** The directory file (for messages) and its folder (relative IPL paths resolve against it). */
  file: string;
  base: string;
  users: UserEntry[];
  script: ScriptLine[];
  /** LOGON and LINK check passwords (statement `PASSWORDS OFF` runs the system open, for demos). */
  passwords: boolean;
}

export type ParseResult = { ok: true; directory: Directory; errors: [] } | { ok: false; directory: Directory; errors: string[] };

/** VM/370 user IDs: 1-8 characters; here upper-case letters and digits only. */
export const USERID = /^[A-Z0-9]{1,8}$/;
const PAGE = 4096;

/** Parse a size: bytes, or a number with K or M. Null when malformed. */
export function parseSize(text: string): number | null {
  const m = /^(\d+)([KM]?)$/i.exec(text);
  if (!m) return null;
  return Number(m[1]) * (m[2].toUpperCase() === 'M' ? 1 << 20 : m[2].toUpperCase() === 'K' ? 1024 : 1);
}

/** Parse a virtual device address: 1-4 hex digits (VM/370's cuu). Null when malformed. */
export function parseVaddr(text: string): number | null {
  return /^[0-9A-F]{1,4}$/i.test(text) ? parseInt(text, 16) : null;
}

const SPOOL_KINDS: Record<string, SpoolKind> = {
  READER: 'READER', RDR: 'READER', '2540R': 'READER', PUNCH: 'PUNCH', PUN: 'PUNCH', '2540P': 'PUNCH',
  PRINTER: 'PRINTER', PRT: 'PRINTER', '1403': 'PRINTER',
};

/**
 * Parse directory text. `file` names it in messages and gives the folder relative IPL paths start
 * from; relative MDISK images resolve against `imageDir` (default: that folder too) for the
 * overlap check.
 */
export function parseDirectory(text: string, file: string, imageDir?: string): ParseResult {
  const base = dirname(resolve(file));
  const dir: Directory = { file, base, users: [], script: [], passwords: true };
  const errors: string[] = [];
  let user: UserEntry | null = null;
  const lines = text.split('\n'); // only LF ends a line: a CR or U+2028 is part of it
  // Errors name the line and the column of the word at fault (1-based; past the end when it is missing).
  let cols: number[] = [], rawLen = 0;
  const at = (k: number) => (k < cols.length ? cols[k] : rawLen + 1);
  const err = (line: number, msg: string, word = 0) => errors.push(`${file}:${line}:${at(word)}: ${msg}`);
  const errAt = (line: number, col: number, msg: string) => errors.push(`${file}:${line}:${col}: ${msg}`);

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1;
    const raw = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (/^\s*(\*|$)/.test(raw)) continue; // comment or blank, as in VM/370
    const toks = [...raw.matchAll(/\S+/g)];
    const w = toks.map((t) => t[0]);
    cols = toks.map((t) => t.index + 1); rawLen = raw.length;
    const op = w[0].toUpperCase();
    const needUser = (): UserEntry | null => { if (!user) err(ln, `${op} must follow a USER statement`); return user; };
    const vaddr = (k: number, what: string): number | null => {
      const t = w[k];
      const v = t === undefined ? null : parseVaddr(t);
      if (v === null) err(ln, `bad ${what} '${t ?? ''}': expected 1-4 hexadecimal digits`, k);
      return v;
    };
    const freeAddr = (u: UserEntry, v: number): boolean => {
      const used = u.console === v || u.spool.some((s) => s.vaddr === v) || u.mdisks.some((m) => m.vaddr === v) || u.links.some((l) => l.as === v);
      if (used) err(ln, `virtual address ${hex(v, 3)} is already defined for ${u.name}`);
      return !used;
    };
    switch (op) {
      case 'USER': {
        // A bad USER line still opens a (discarded) entry, so its statements are checked without
        // a cascade of "must follow a USER statement" errors.
        user = {
          name: w[1] ?? '?', password: w[2] ?? '', storage: 0, ipl: null, console: 0x009, spool: [], mdisks: [], links: [], autolog: false, share: 1,
          classes: 'G', fsync: false, limits: { ...DEFAULT_LIMITS }, line: ln,
        };
        if (w.length < 4) { err(ln, 'USER needs: USER name password storage [option...]', w.length); break; }
        const name = w[1];
        if (!USERID.test(name)) { err(ln, `bad user ID '${name}': 1-8 upper-case letters and digits`, 1); break; }
        const first = dir.users.find((u) => u.name === name);
        if (first) { err(ln, `duplicate user ${name} (first defined at line ${first.line})`, 1); break; }
        const size = parseSize(w[3]);
        if (size === null || size < MIN_STORAGE || size > MAX_STORAGE || size % PAGE !== 0) {
          err(ln, `bad storage size '${w[3]}': a multiple of 4K from 64K to 16M (e.g. 256K, 1M)`, 3);
          break;
        }
        user.storage = size;
        dir.users.push(user);
        if (w.length > 4) option(user, w, 4, ln, err);
        break;
      }
      case 'IPL': {
        const u = needUser(); if (!u) break;
        if (w.length !== 2) { err(ln, 'IPL needs one file: IPL program.s | program.tco', Math.min(w.length, 2)); break; }
        const path = isAbsolute(w[1]) ? w[1] : resolve(base, w[1]);
        if (!existsSync(path)) { err(ln, `IPL file ${w[1]} not found`, 1); break; }
        u.ipl = path;
        break;
      }
      case 'CONSOLE': {
        const u = needUser(); if (!u) break;
        const v = vaddr(1, 'console address'); if (v === null) break;
        u.console = -1; // redefining the console is allowed once; check the address against the rest
        if (freeAddr(u, v)) u.console = v; else u.console = 0x009;
        break;
      }
      case 'SPOOL': {
        const u = needUser(); if (!u) break;
        const v = vaddr(1, 'spool device address'); if (v === null) break;
        const kind = Object.hasOwn(SPOOL_KINDS, (w[2] ?? '').toUpperCase()) ? SPOOL_KINDS[(w[2] ?? '').toUpperCase()] : undefined;
        if (!kind) { err(ln, `bad spool device type '${w[2] ?? ''}': READER, PUNCH or PRINTER`, 2); break; }
        if (u.spool.some((s) => s.kind === kind)) { err(ln, `${u.name} already has a virtual ${kind}`, 2); break; }
        if (freeAddr(u, v)) u.spool.push({ vaddr: v, kind });
        break;
      }
      case 'MDISK': {
        const u = needUser(); if (!u) break;
        if (w.length < 6 || w.length > 9) {
          err(ln, 'MDISK needs: MDISK vaddr image-file firstblock blocks mode [read-pw [write-pw [multi-pw]]]', Math.min(w.length, 9));
          break;
        }
        const v = vaddr(1, 'minidisk address'); if (v === null) break;
        const first = /^\d{1,15}$/.test(w[3]) ? Number(w[3]) : NaN, blocks = /^\d{1,9}$/.test(w[4]) ? Number(w[4]) : NaN, mode = w[5].toUpperCase();
        if (!Number.isSafeInteger(first) || first < 0) { err(ln, `bad first block '${w[3]}': a number >= 0`, 3); break; }
        if (!Number.isSafeInteger(blocks) || blocks < 1 || blocks > 1 << 24) { err(ln, `bad block count '${w[4]}': 1 to 16777216`, 4); break; }
        if (mode !== 'R' && mode !== 'W' && mode !== 'MW') { err(ln, `bad minidisk mode '${w[5]}': R, W or MW`, 5); break; }
        const pw = (k: number) => (w[k] === undefined || w[k] === '-' ? null : w[k]);
        if (freeAddr(u, v)) u.mdisks.push({ vaddr: v, image: w[2], first, blocks, mode, passwords: { R: pw(6), W: pw(7), M: pw(8) }, line: ln });
        break;
      }
      case 'LINK': {
        const u = needUser(); if (!u) break;
        if (w.length !== 5) { err(ln, 'LINK needs: LINK user vaddr as-vaddr mode', Math.min(w.length, 5)); break; }
        const owner = w[1].toUpperCase();
        const v = vaddr(2, 'minidisk address'), as = vaddr(3, 'link address');
        const mode = w[4].toUpperCase();
        if (v === null || as === null) break;
        if (mode !== 'R' && mode !== 'W') { err(ln, `bad link mode '${w[4]}': R or W`, 4); break; }
        if (freeAddr(u, as)) u.links.push({ owner, vaddr: v, as, mode, line: ln });
        break;
      }
      case 'OPTION': {
        const u = needUser(); if (!u) break;
        if (w.length < 2) { err(ln, `OPTION needs an option: ${OPTIONS}`, 1); break; }
        option(u, w, 1, ln, err);
        break;
      }
      case 'INPUT': {
        if (w.length < 2 || !USERID.test(w[1])) { err(ln, `INPUT needs a user ID: INPUT user text`, 1); break; }
        // Keep the text exactly as written after the user ID (spacing matters to a guest).
        const after = cols[1] - 1 + w[1].length;
        dir.script.push({ user: w[1], text: raw.slice(raw[after] === ' ' ? after + 1 : after), line: ln });
        break;
      }
      case 'PASSWORDS': {
        const o = (w[1] ?? '').toUpperCase();
        if (w.length !== 2 || (o !== 'ON' && o !== 'OFF')) {
          err(ln, 'PASSWORDS needs ON (LOGON and LINK check passwords, the default) or OFF (an open system)', 1);
          break;
        }
        dir.passwords = o === 'ON';
        break;
      }
      default:
        err(ln, `unknown statement '${w[0]}' (USER, IPL, CONSOLE, SPOOL, MDISK, LINK, OPTION, INPUT, PASSWORDS)`);
    }
  }
  crossCheck(dir, imageDir ?? base, (l, m) => errAt(l, 1, m));
  return errors.length ? { ok: false, directory: dir, errors } : { ok: true, directory: dir, errors: [] };
}

const OPTIONS = 'AUTOLOG, SHARE n, CLASS letters, FSYNC, SPOOLFILES n, SPOOLBYTES size, LOGBYTES size, CONSBYTES size';

/** Options from word `k` on (USER line or OPTION statement). */
function option(u: UserEntry, w: string[], k: number, ln: number, err: (l: number, m: string, word?: number) => void): void {
  for (let i = k; i < w.length; i++) {
    const o = w[i].toUpperCase();
    const sizeOf = (max: number): number | null => { const n = parseSize(w[++i] ?? ''); return n !== null && n >= 0 && n <= max ? n : null; };
    if (o === 'AUTOLOG') u.autolog = true;
    else if (o === 'FSYNC') u.fsync = true;
    else if (o === 'SHARE') {
      const n = /^\d{1,3}$/.test(w[++i] ?? '') ? Number(w[i]) : NaN;
      if (!Number.isInteger(n) || n < 1 || n > 100) { err(ln, `bad SHARE '${w[i] ?? ''}': 1 to 100`, i); return; }
      u.share = n;
    } else if (o === 'CLASS') {
      const c = (w[++i] ?? '').toUpperCase();
      if (!CLASS_LETTERS.test(c)) { err(ln, `bad CLASS '${w[i] ?? ''}': privilege classes A to H (e.g. G, ABG)`, i); return; }
      u.classes = [...new Set(c)].sort().join('');
    } else if (o === 'SPOOLFILES') {
      const n = /^\d{1,6}$/.test(w[++i] ?? '') ? Number(w[i]) : NaN;
      if (!Number.isInteger(n) || n > 100_000) { err(ln, `bad SPOOLFILES '${w[i] ?? ''}': 0 to 100000`, i); return; }
      u.limits.spoolFiles = n;
    } else if (o === 'SPOOLBYTES' || o === 'LOGBYTES' || o === 'CONSBYTES') {
      const n = sizeOf(1 << 30);
      if (n === null) { err(ln, `bad ${o} '${w[i] ?? ''}': a size up to 1024M (e.g. 512K, 4M)`, i); return; }
      u.limits[o === 'SPOOLBYTES' ? 'spoolBytes' : o === 'LOGBYTES' ? 'logBytes' : 'consoleBytes'] = n;
    } else { err(ln, `unknown option '${w[i]}' (${OPTIONS})`, i); return; }
  }
}

/**
 * The identity of an image file: device and inode when it exists (so a relative and an absolute
 * name, a symbolic link or a hard link all give the same key), else its folder's real path and
 * its name (two names of a file not created yet).
 */
export function imageKey(path: string): string {
  try { const st = statSync(path); return `${st.dev}:${st.ino}`; } catch { /* not there yet */ }
  try { return join(realpathSync(dirname(path)), basename(path)); } catch { return resolve(path); }
}

/** Rules that need the whole directory: LINK targets, and extents that share blocks. */
function crossCheck(dir: Directory, imageDir: string, err: (l: number, m: string) => void): void {
  for (const u of dir.users) {
    for (const l of u.links) {
      const owner = dir.users.find((x) => x.name === l.owner);
      const md = owner?.mdisks.find((m) => m.vaddr === l.vaddr);
      if (!owner) err(l.line, `LINK to unknown user ${l.owner}`);
      else if (!md) err(l.line, `LINK: ${l.owner} has no minidisk ${hex(l.vaddr, 3)}`);
      else if (l.mode === 'W' && md.mode !== 'MW') {
        err(l.line, `LINK ${l.owner} ${hex(l.vaddr, 3)} in write mode: the owner's MDISK mode is ${md.mode}, write links need MW`);
      }
    }
  }
  const all = dir.users.flatMap((u) => u.mdisks.map((m) => ({ u: u.name, m, key: imageKey(resolve(imageDir, m.image)) })));
  all.sort((a, b) => a.m.line - b.m.line);
  for (let i = 0; i < all.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = all[j], b = all[i];
      if (a.key !== b.key) continue;
      if (b.m.first < a.m.first + a.m.blocks && a.m.first < b.m.first + b.m.blocks) {
        const extent = (m: typeof a.m) => `blocks ${m.first}-${m.first + m.blocks - 1}`;
        const theirs = `${a.u}'s minidisk ${hex(a.m.vaddr, 3)} (${extent(a.m)}, line ${a.m.line})`;
        err(b.m.line, `minidisk ${hex(b.m.vaddr, 3)} (${extent(b.m)} of ${b.m.image}) overlaps ${theirs}`);
      }
    }
  }
}
