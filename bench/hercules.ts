/**
 * Hercules baseline for `npm run bench`: MIPS of Hercules (System/370 emulator in C) on the same kind
 * of loop our interpreter runs (`AR 3,1 ; BCT 2,LOOP`, 2 instructions per iteration).
 *
 * Install (Debian, as root):  apt-get update && apt-get install -y hercules     # hercules 3.13-7
 * Run standalone:             node --import tsx bench/hercules.ts [iterations] [runs]
 *
 * Method. Hercules is started non-interactively (stdout/stderr are pipes, so it runs in daemon mode and
 * reads no stdin) with bench/hercules/hercules.cnf, and HERCULES_RC pointing at a copy of
 * bench/hercules/loop.rc, which stores the program in real storage with `r` commands, arms two
 * Hercules Automatic Operator rules and issues `restart`. The guest runs the loop `runs` times and
 * brackets each run with STCK; on the final disabled wait the HAO rules dump the STCK table (`r 400.n`)
 * and the CPU's instruction counter (`ipending`). MIPS of a run = 2*iterations / (TOD delta in us),
 * so Hercules's startup, the console commands and the logger latency are all outside the timed window.
 * As a cross-check we also take host wall-clock from the "Restart key depressed" message to the
 * "Disabled wait state" message, and report Hercules's own instcount next to the expected count.
 * Hercules 3.13's own MIPS meter (panel / `maxrates`) is only fed by the interactive panel: in daemon
 * mode `maxrates` reports 0.00, so it cannot be used here.
 * Everything is written to a fresh directory under os.tmpdir(), removed afterwards; the process is
 * always killed (SIGTERM, then SIGKILL) at the end or on timeout.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hex } from '../src/cpu/hex.ts';
import { isMain, ROOT } from './root.ts';

const DATA_DIR = join(ROOT, 'bench', 'hercules');
const TABLE_ADDR = 0x400;
const MAX_RUNS = 64;
/** Instructions outside the timed loops: 3 setup + 7 per run (incl. the STCK pair) + LPSW. Hercules's
 *  instcount is only approximately maintained (observed off by +-2), so it is reported, not asserted. */
const overhead = (runs: number): number => 3 + 7 * runs + 1;

export type HerculesResult =
  | { mips: number[]; median: number; instructions: number; note: string }
  | { mips: null; reason: string };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Runs an S/370 loop of `iterations` iterations in Hercules and returns measured guest MIPS, or null (with reason) when hercules is not installed / fails. Never hangs: hard timeout. */
export async function herculesMips(opts: {
  iterations: number;
  runs: number;
  timeoutMs?: number;
}): Promise<{ mips: number[]; median: number; instructions: number; note: string } | { mips: null; reason: string }> {
  const { iterations, runs } = opts;
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 0x7fffffff)
    return { mips: null, reason: `iterations must be an integer in 1..2^31-1 (got ${iterations})` };
  if (!Number.isInteger(runs) || runs < 1 || runs > MAX_RUNS)
    return { mips: null, reason: `runs must be an integer in 1..${MAX_RUNS} (got ${runs})` };
  // Generous default: startup + every run at >= 20 MIPS.
  const timeoutMs = opts.timeoutMs ?? 20_000 + Math.ceil((runs * 2 * iterations) / 20e6) * 1000;

  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), 'tinycp-hercules-'));
    writeFileSync(join(dir, 'hercules.cnf'), readFileSync(join(DATA_DIR, 'hercules.cnf')));
    const rc = readFileSync(join(DATA_DIR, 'loop.rc'), 'utf8')
      .replaceAll('@COUNT@', hex(iterations, 8))
      .replaceAll('@RUNS@', hex(runs, 8))
      .replaceAll('@DUMPLEN@', (16 * runs).toString(16).toUpperCase());
    writeFileSync(join(dir, 'loop.rc'), rc);
  } catch (e) {
    return { mips: null, reason: `cannot prepare Hercules files: ${(e as Error).message}` };
  }

  try {
    return await runHercules(dir, iterations, runs, timeoutMs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runHercules(dir: string, iterations: number, runs: number, timeoutMs: number): Promise<HerculesResult> {
  return new Promise((resolve) => {
    const child = spawn('hercules', ['-f', 'hercules.cnf'], {
      cwd: dir,
      env: { ...process.env, HERCULES_RC: 'loop.rc' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const table = new Map<number, string[]>(); // dump line address -> four 8-hex-digit words
    const log: string[] = [];
    let tRestart = 0;
    let tWait = 0;
    let waitPsw = '';
    let result: HerculesResult | null = null;
    let exited = false;

    const killer = (): void => {
      if (!exited) child.kill('SIGKILL');
    };
    process.once('exit', killer);
    const finish = (r: HerculesResult): void => {
      if (result) return;
      result = r;
      clearTimeout(timer);
      if (!exited) {
        child.kill('SIGTERM');
        setTimeout(killer, 500).unref();
      }
    };
    const timer = setTimeout(
      () => finish({ mips: null, reason: `timeout after ${timeoutMs} ms; last output: ${log.slice(-5).join(' | ')}` }),
      timeoutMs,
    );

    const onLine = (line: string): void => {
      const now = performance.now();
      log.push(line);
      if (log.length > 50) log.shift();
      if (line.startsWith('HHCPN038I')) tRestart = now; // "Restart key depressed"
      else if (line.startsWith('HHCCP011I')) tWait = now; // "Disabled wait state"
      else if (tWait && !waitPsw && /PSW=/.test(line)) {
        waitPsw = line.trim().replace(/^PSW=/, '');
        if (!/F00D00$/i.test(waitPsw)) finish({ mips: null, reason: `guest ended in unexpected wait PSW ${waitPsw}` });
      }
      let m = /^R:([0-9A-F]{8}):K:[0-9A-F]{2}=([0-9A-F]{8}) ([0-9A-F]{8}) ([0-9A-F]{8}) ([0-9A-F]{8})/.exec(line);
      if (m && tWait) table.set(parseInt(m[1], 16), m.slice(2, 6));
      m = /CPU0000: instcount (\d+)/.exec(line);
      if (m && tWait) finish(compute(BigInt(m[1])));
    };

    const compute = (instcount: bigint): HerculesResult => {
      const mips: number[] = [];
      let sumUs = 0;
      for (let i = 0; i < runs; i++) {
        const row = table.get(TABLE_ADDR + 16 * i);
        if (!row) return { mips: null, reason: `missing TOD table row ${i} in Hercules output` };
        // TOD clock: bit 51 = 1 microsecond, so value / 4096 = microseconds.
        const t0 = BigInt(`0x${row[0]}${row[1]}`);
        const t1 = BigInt(`0x${row[2]}${row[3]}`);
        const us = Number(t1 - t0) / 4096;
        if (!(us > 0)) return { mips: null, reason: `bad TOD delta in run ${i}: ${row.join(' ')}` };
        sumUs += us;
        mips.push((2 * iterations) / us);
      }
      const expected = BigInt(runs) * BigInt(2 * iterations) + BigInt(overhead(runs));
      const wallMs = tWait - tRestart;
      const wallMips = tRestart ? (Number(expected) / (wallMs * 1000)) : NaN;
      const med = median(mips);
      const note =
        `Hercules 3.13, ARCHMODE S/370, loop AR 3,1 / BCT 2,LOOP; ${runs} runs x ${iterations} iterations ` +
        `(${2 * iterations} instr/run), each timed in-guest with STCK (startup excluded); ` +
        `min/median/max ${Math.min(...mips).toFixed(1)}/${med.toFixed(1)}/${Math.max(...mips).toFixed(1)} MIPS; ` +
        `host wall-clock restart->wait ${wallMs.toFixed(0)} ms = ${wallMips.toFixed(1)} MIPS ` +
        `(guest TOD sum ${(sumUs / 1000).toFixed(0)} ms); Hercules instcount ${instcount} (expected ~${expected})`;
      return { mips, median: med, instructions: 2 * iterations, note };
    };

    const attach = (stream: NodeJS.ReadableStream): void => {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          onLine(buf.slice(0, nl).replace(/\r$/, ''));
          buf = buf.slice(nl + 1);
        }
      });
    };
    attach(child.stdout!);
    attach(child.stderr!);

    child.on('error', (e: NodeJS.ErrnoException) => {
      exited = true;
      finish({
        mips: null,
        reason:
          e.code === 'ENOENT'
            ? 'hercules is not installed (apt-get install -y hercules)'
            : `cannot start hercules: ${e.message}`,
      });
    });
    child.on('close', (code, signal) => {
      exited = true;
      process.removeListener('exit', killer);
      finish({
        mips: null,
        reason: `hercules exited early (code ${code}, signal ${signal}); last output: ${log.slice(-5).join(' | ')}`,
      });
      resolve(result!);
    });
  });
}

if (isMain('bench/hercules.ts')) {
  const iterations = Number(process.argv[2] ?? 150_000_000);
  const runs = Number(process.argv[3] ?? 5);
  herculesMips({ iterations, runs }).then((r) => console.log(JSON.stringify(r, null, 2)));
}
