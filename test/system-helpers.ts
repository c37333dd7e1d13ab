/**
 * Helpers for the time-sharing tests: a throw-away folder holding a directory, its guest
 * programs and the system's spool, logs and disk images.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDirectory } from '../src/timesharing/directory.ts';
import { TimeSharingSystem } from '../src/timesharing/time-sharing-system.ts';
import { tempDir } from './tmp.ts';

/** The demo guests (programs/demo). */
export const DEMO = resolve(import.meta.dirname, '../programs/demo');

/** A fresh folder with `files` written into it, removed when the test ends (test/tmp.ts). */
export function workDir(files: Record<string, string> = {}): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Boot a system from directory text in `dir` (the directory file is `dir/user.direct`). */
/** `check: false` boots even when the directory has errors (to test CP's own guards behind it). */
export function bootSystem(dir: string, directory: string, opts: { quantum?: number; boot?: boolean; check?: boolean } = {}): TimeSharingSystem {
  const file = join(dir, 'user.direct');
  writeFileSync(file, directory);
  const p = parseDirectory(directory, file, dir);
  if (!p.ok && opts.check !== false) throw new Error(p.errors.join('\n'));
  const sys = new TimeSharingSystem(p.directory, { spoolDir: join(dir, 'spool'), logDir: join(dir, 'logs'), imageDir: dir, quantum: opts.quantum ?? 10_000 });
  if (opts.boot ?? true) sys.boot();
  return sys;
}

/** A guest that counts in R1 forever with the given IPL PSW flags (0: every interruption masked). */
export function counter(flags = 0): string {
  return `        .org 0\n        .psw ${flags}, start\n        .org 0x200\nstart:  AHI R1,1\n        J start\n`;
}

/** Instructions a user's VM has run. */
export function instructions(sys: TimeSharingSystem, user: string): number {
  const c = sys.users.get(user)!.vm.counters;
  return c.direct + c.handled;
}
