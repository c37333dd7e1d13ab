/**
 * `tinycp system <directory>` and `tinycp demo`: boot CP with a user directory, log on the AUTOLOG
 * users, run them time-shared, print every console line prefixed by its user, and end with the
 * per-VM table (instructions, CP entries by cause, efficiency).
 *
 * Non-interactively (stdin not a terminal, or --batch) the run ends when every VM is idle or
 * stopped and the directory's INPUT script is used up (or at the instruction budget). On a
 * terminal, the terminal is attached to one user's console: typed lines go to that VM; `#CP cmd`
 * runs a CP command for it (`#CP DIAL user` switches consoles, `#CP LOGON user`, `#CP SHUTDOWN`).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { readHostText } from '../guest/nodefs.ts';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseDirectory } from '../monitor/directory.ts';
import { formatReport, TimeSharingSystem } from '../monitor/system.ts';

export interface SystemCliOptions {
  /** Folder for the spool, printer files and console logs (default: a fresh temporary folder). */
  work?: string;
  /** Folder that relative MDISK images resolve against (default: the work folder). */
  images?: string;
  quantum: number;
  budget: number;
  batch: boolean;
  json: boolean;
}

const DEMO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../programs/demo');

/** The demo's directory: the real CMS and MTOS guests when they exist, else the stand-ins. */
export function demoDirectory(): string {
  const real = join(DEMO_DIR, 'user.direct');
  return existsSync(real) && existsSync(resolve(DEMO_DIR, '../cms/cms.s')) ? real : join(DEMO_DIR, 'standin.direct');
}

/** Run a directory; returns the process exit code (0 ran to quiet, 2 budget spent, 3 bad directory). */
export async function runSystem(file: string, o: SystemCliOptions): Promise<number> {
  const read = readHostText(file, 'directory');
  if (!read.ok) { console.error(read.error); return 3; }
  const parsed = parseDirectory(read.text, file);
  if (!parsed.ok) { for (const e of parsed.errors) console.error(e); return 3; }
  const work = o.work ?? mkdtempSync(join(tmpdir(), 'tinycp-'));
  const out = (line: string) => process.stdout.write(line + '\n');
  const sys = new TimeSharingSystem(parsed.directory, {
    out, spoolDir: join(work, 'spool'), logDir: join(work, 'logs'), imageDir: o.images ?? work, quantum: o.quantum,
  });
  sys.mux.system(`tinycp CP: directory ${file}, ${parsed.directory.users.length} users; spool, logs and disk images in ${work}`);
  const on = sys.boot();
  sys.mux.system(`AUTOLOG ${on.join(' ')}`);
  const t0 = performance.now();
  let r: 'idle' | 'budget';
  if (!o.batch && process.stdin.isTTY) r = await interactive(sys, o.budget);
  else r = sys.runUntilQuiet(o.budget);
  const secs = (performance.now() - t0) / 1000;
  const total = sys.cp.realTime;
  if (sys.scriptLeft > 0) sys.mux.system(`${sys.scriptLeft} INPUT line(s) were never asked for`);
  sys.shutdown();
  const rows = sys.report();
  if (o.json) out(JSON.stringify({ seconds: secs, instructions: total, vms: rows }));
  else {
    out('');
    out(formatReport(rows).trimEnd());
    out(`${rows.length} VMs, ${total} guest instructions in ${secs.toFixed(2)} s (${(total / secs / 1e6).toFixed(1)} MIPS aggregate); ${r === 'idle' ? 'every VM is idle or stopped' : 'instruction budget spent'}.`);
  }
  return r === 'idle' ? 0 : 2;
}

/** Terminal mode: one console attached, #CP escapes, the system runs between keystrokes. */
async function interactive(sys: TimeSharingSystem, budget: number): Promise<'idle' | 'budget'> {
  sys.mux.attached = [...sys.users.keys()][0] ?? null;
  sys.mux.system(`terminal attached to ${sys.mux.attached ?? 'no one'}; #CP DIAL user switches, #CP SHUTDOWN ends`);
  const rl = createInterface({ input: process.stdin });
  const lines: string[] = [];
  let closed = false, wake: (() => void) | null = null;
  rl.on('line', (l) => { lines.push(l); wake?.(); });
  rl.on('close', () => { closed = true; wake?.(); });
  let left = budget;
  for (;;) {
    while (lines.length) {
      if (sys.terminalLine(lines.shift()!) === 'shutdown') { rl.close(); return 'idle'; }
    }
    if (closed || left <= 0) break;
    const before = sys.cp.realTime;
    const r = sys.run(Math.min(left, 2_000_000));
    left -= sys.cp.realTime - before;
    if (r === 'idle') await new Promise<void>((res) => { wake = res; });
    else await new Promise<void>((res) => setImmediate(res));
    wake = null;
  }
  rl.close();
  return left <= 0 ? 'budget' : 'idle';
}
