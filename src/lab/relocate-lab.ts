/**
 * `tinycp lab relocate`: live relocation shown end to end. Three `tinycp system` processes run
 * the mover guest (programs/lab/mover.s): one never moves it; in the second pair, one system
 * sends it mid-run to the other over 127.0.0.1; in the third pair, the target offers less
 * storage than the VM has and refuses, and the VM goes on at the source. The guest's console
 * lines are compared: the moved run's lines (source, then target) must be exactly the
 * never-moved run's.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LAB_DIR } from './build.ts';

const TINYCP = resolve(LAB_DIR, '../../bin/tinycp.mjs');
/** CP real instruction count at which the VM is moved: mid-run (the mover takes about 135,000). */
export const MOVE_AT = 60_000;

export interface RelocateReport {
  identical: boolean;
  moved_at_instruction: number | null;
  lines_before_move: number;
  lines_after_move: number;
  lines_never_moved: number;
  refused: { reason: string | null; identical: boolean };
}

function directory(storage: string, autolog: boolean): string {
  const ipl = autolog ? `IPL ${join(LAB_DIR, 'mover.s')}\n` : '';
  return `PASSWORDS OFF\nUSER MOVER X ${storage}${autolog ? ' AUTOLOG' : ''}\n${ipl}MDISK 191 mover.img 0 64 W\n`;
}

interface Proc { out: string; code: number | null; done: Promise<void>; kill: () => void }

/** Run `tinycp system` in its own process; `onLine` sees each stdout line as it comes. */
function system(dir: string, file: string, args: string[], onLine: (l: string) => void = () => {}): Proc {
  const child = spawn(
    process.execPath,
    [TINYCP, 'system', join(dir, file), '--batch', '--work', join(dir, `${file}.work`), ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const p: Proc = { out: '', code: null, done: Promise.resolve(), kill: () => child.kill('SIGKILL') };
  let partial = '';
  child.stdout.on('data', (b: Buffer) => {
    p.out += b.toString();
    partial += b.toString();
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const l of lines) onLine(l);
  });
  child.stderr.on('data', (b: Buffer) => { p.out += b.toString(); });
  p.done = new Promise((res) => child.on('close', (code) => { p.code = code; res(); }));
  return p;
}

/** The guest's own lines (what the mover printed), in order. */
const guestLines = (out: string) => out.split('\n').filter((l) => l.startsWith('MOVER: mover:'));

/** Send the VM from a fresh source to a fresh target (target storage `targetStorage`). */
async function pair(dir: string, tag: string, targetStorage: string, timeoutMs: number): Promise<{ source: Proc; target: Proc }> {
  writeFileSync(join(dir, `${tag}-source.direct`), directory('256K', true));
  writeFileSync(join(dir, `${tag}-target.direct`), directory(targetStorage, false));
  let port: (p: number) => void = () => {};
  const havePort = new Promise<number>((res) => { port = res; });
  const target = system(dir, `${tag}-target.direct`, ['--accept-relocation', '0'], (l) => {
    const m = /ACCEPTING RELOCATIONS ON 127\.0\.0\.1:(\d+)/.exec(l);
    if (m) port(Number(m[1]));
  });
  const timer = setTimeout(() => { target.kill(); port(-1); }, timeoutMs);
  try {
    const p = await Promise.race([havePort, target.done.then(() => -1)]);
    if (p < 0) throw new Error(`the target system did not start:\n${target.out}`);
    const source = system(dir, `${tag}-source.direct`, ['--relocate', `MOVER:${p}@${MOVE_AT}`]);
    const t2 = setTimeout(() => source.kill(), timeoutMs);
    await source.done;
    clearTimeout(t2);
    await target.done;
    return { source, target };
  } finally { clearTimeout(timer); target.kill(); }
}

export async function relocateLab(timeoutMs = 120_000): Promise<RelocateReport> {
  const dir = mkdtempSync(join(tmpdir(), 'tinycp-relocate-'));
  try {
    writeFileSync(join(dir, 'still.direct'), directory('256K', true));
    const still = system(dir, 'still.direct', []);
    const t = setTimeout(() => still.kill(), timeoutMs);
    await still.done;
    clearTimeout(t);
    const want = guestLines(still.out);
    const moved = await pair(dir, 'move', '256K', timeoutMs);
    const before = guestLines(moved.source.out), after = guestLines(moved.target.out);
    const at = /MOVED TO 127\.0\.0\.1:\d+ AT ITS INSTRUCTION (\d+)/.exec(moved.source.out);
    const refused = await pair(dir, 'refuse', '128K', timeoutMs);
    const why = /RELOCATION OF MOVER REFUSED: (.*?); IT GOES ON HERE/.exec(refused.source.out);
    const same = (a: string[]) => want.length > 0 && a.length === want.length && a.every((l, i) => l === want[i]);
    return {
      identical: at !== null && before.length > 0 && after.length > 0 && same([...before, ...after]),
      moved_at_instruction: at ? Number(at[1]) : null,
      lines_before_move: before.length, lines_after_move: after.length, lines_never_moved: want.length,
      refused: { reason: why ? why[1] : null, identical: same(guestLines(refused.source.out)) && guestLines(refused.target.out).length === 0 },
    };
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

export function formatRelocate(r: RelocateReport): string {
  return [
    `moved at the VM's instruction ${r.moved_at_instruction ?? '-'}: ${r.lines_before_move} guest lines at the source, ${r.lines_after_move} at the target`,
    `identical to the run that never moved (${r.lines_never_moved} lines): ${r.identical}`,
    `to a target with too little storage: refused (${r.refused.reason ?? 'no reason given'}); the VM went on at the source, identical: ${r.refused.identical}`,
  ].join('\n') + '\n';
}
