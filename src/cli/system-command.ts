/**
 * `tinycp system <directory>` and `tinycp demo`: boot CP with a user directory, log on the AUTOLOG
 * users, run them time-shared, print every console line prefixed by its user, and end with the
 * per-VM table (instructions, CP entries by cause, efficiency).
 *
 * Non-interactively (stdin not a terminal, or --batch) the run ends when every VM is idle or
 * stopped and the directory's INPUT script is used up (or at the instruction budget). On a
 * terminal, the terminal is attached to one user's console: typed lines go to that VM; `#CP cmd`
 * runs a CP command for it (`#CP DIAL user` switches consoles, `#CP LOGON user password`, `#CP SHUTDOWN`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readHostText } from '../host/nodefs.ts';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseDirectory, type Directory } from '../timesharing/directory.ts';
import { formatReport } from '../timesharing/report.ts';
import { TimeSharingSystem } from '../timesharing/time-sharing-system.ts';
import { runWithRelocation, type RelocateOptions } from '../lab/relocate-run.ts';

export interface SystemCliOptions {
  /** Folder for the spool, printer files and console logs (default: a fresh temporary folder). */
  work?: string;
  /** Folder that relative MDISK images resolve against (default: the work folder). */
  images?: string;
  quantum: number;
  /** The virtual-machine assist (default on). */
  assist?: boolean;
  budget: number;
  batch: boolean;
  json: boolean;
  /** Live relocation (src/lab/relocate-run.ts): send a VM, or accept one. */
  relocate?: RelocateOptions['relocate'];
  acceptRelocation?: number;
}

const DEMO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../programs/demo');

/** The demo's directory: the real CMS and MTOS guests when they exist, else the stand-ins. */
export function demoDirectory(): string {
  const real = join(DEMO_DIR, 'user.direct');
  return existsSync(real) && existsSync(resolve(DEMO_DIR, '../cms/cms.s')) ? real : join(DEMO_DIR, 'standin.direct');
}

/**
 * Run a directory; returns the process exit code, consistent with `tinycp run`'s:
 * 0 the system ran until every VM was idle or stopped (how each guest ended is in the table: a
 * guest that fails is the guest's business, not the system's); 2 the instruction budget was spent
 * first; 3 bad input: the directory cannot be read or parsed, or an AUTOLOG user's IPL program
 * cannot be read, assembled or loaded (the others still run; each failure is named on stderr).
 */
export async function runSystem(file: string, o: SystemCliOptions): Promise<number> {
  const read = readHostText(file, 'directory');
  if (!read.ok) { console.error(read.error); return 3; }
  const parsed = parseDirectory(read.text, file, o.images ?? o.work); // relative MDISK images, for the overlap check
  if (!parsed.ok) { for (const e of parsed.errors) console.error(e); return 3; }
  // Without --work, everything goes to a fresh temporary folder that is removed when the command
  // ends, however it ends (an error, `| head`, Ctrl-C): a run leaves nothing behind.
  const temp = o.work === undefined ? mkdtempSync(join(tmpdir(), 'tinycp-')) : null;
  const removeTemp = () => { if (temp) rmSync(temp, { recursive: true, force: true }); };
  const onSignal = () => { removeTemp(); process.exit(130); };
  if (temp) { process.once('exit', removeTemp); process.once('SIGINT', onSignal); process.once('SIGTERM', onSignal); }
  try {
    return await runIn(file, parsed.directory, temp ?? o.work!, temp !== null, o);
  } finally {
    removeTemp();
    if (temp) { process.off('exit', removeTemp); process.off('SIGINT', onSignal); process.off('SIGTERM', onSignal); }
  }
}

async function runIn(file: string, directory: Directory, work: string, temporary: boolean, o: SystemCliOptions): Promise<number> {
  const out = (line: string) => process.stdout.write(line + '\n');
  const sys = new TimeSharingSystem(directory, {
    out, spoolDir: join(work, 'spool'), logDir: join(work, 'logs'), imageDir: o.images ?? work, quantum: o.quantum, assist: o.assist,
  });
  const kept = temporary ? ' (removed at exit; --work DIR keeps them)' : '';
  sys.mux.system(`tinycp CP: directory ${file}, ${directory.users.length} users; spool, logs and disk images in ${work}${kept}`);
  const on = sys.boot();
  sys.mux.system(`AUTOLOG ${on.join(' ')}`);
  // An AUTOLOG user whose IPL failed is stopped before running anything (PoO 5.1.2: IPL
  // completes or the machine does not start); a user with no IPL program is not a failure.
  const failed: string[] = [];
  for (const [name, u] of sys.users) {
    const st = u.vm.stop;
    if (u.vm.state === 'stopped' && st?.reason === 'operator' && u.entry.ipl) failed.push(`${name}: ${st.detail}`);
  }
  const t0 = performance.now();
  let r: 'idle' | 'budget';
  if (o.relocate || o.acceptRelocation !== undefined) r = await runWithRelocation(sys, o, o.budget);
  else if (!o.batch && process.stdin.isTTY) r = await interactive(sys, o.budget);
  else r = sys.runUntilQuiet(o.budget);
  const secs = (performance.now() - t0) / 1000;
  const total = sys.cp.realTime;
  if (sys.scriptLeft > 0) sys.mux.system(`${sys.scriptLeft} INPUT line(s) were never asked for`);
  sys.shutdown();
  const rows = sys.report();
  const end = failed.length && failed.length === rows.length ? 'no VM ran: every IPL failed'
    : `${r === 'budget' ? 'instruction budget spent' : 'every VM is idle or stopped'}${failed.length ? `; ${failed.length} IPL(s) failed` : ''}`;
  if (o.json) out(JSON.stringify({ seconds: secs, instructions: total, vms: rows, iplFailures: failed }));
  else {
    out('');
    out(formatReport(rows).trimEnd());
    out(`${rows.length} VMs, ${total} guest instructions in ${secs.toFixed(2)} s (${(total / secs / 1e6).toFixed(1)} MIPS aggregate); ${end}.`);
  }
  for (const f of failed) console.error(`tinycp: ${f}`);
  if (failed.length) return 3;
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
