/**
 * Worst host time for one guest instruction (issue 9): each case is a guest under CP that issues
 * the most expensive START I/O its device allows, over and over (SIO, TIO, loop), and the figure
 * is the longest host time one START I/O took, with the bytes its device really transferred.
 * Goal: <= 10 ms, linear in bytes transferred. Cases:
 *
 * - a console WRITE data-chained through 4,096 CCWs of 65,535 bytes (the device takes one line);
 * - 4,096 command-chained console WRITEs of one 132-byte line each (console log on disk);
 * - 4,096 command-chained printer lines (the printer file), and punched cards (in memory);
 * - a disk SEEK and 4,095 command-chained block WRITEs, then READs (a file-backed minidisk);
 * - DIAGNOSE X'10' of 4,096 bytes.
 *
 * Run: `node --import tsx bench/io-worst.ts` (prints a table; `--json` for JSON).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDirectory } from '../src/timesharing/directory.ts';
import { TimeSharingSystem } from '../src/timesharing/time-sharing-system.ts';

interface Case { name: string; device: number; program: string; bytes: number; diag?: boolean }

const N = 4096;
const head = (body: string) => `        .include "tinycp.inc"
        .org 0
        .psw 0, start
        .org 0x200
${body}
        .org 0x10000
data:   .space 65535
`;
/** A guest that starts `prog` at `dev` whenever the device is free, forever. */
const sio = (dev: number, ccws: string) => head(`start:  LARL  R1,prog
        ST    R1,LC_CAW
again:  SIO   ${dev}
        TIO   ${dev}
        J     again
        .align 8
prog:
${ccws}`);
const chain = (cmd: string, flags: string, count: number, n: number, last = '0') =>
  `        .rept ${n - 1}\n        .ccw ${cmd}, data, ${flags}, ${count}\n        .endr\n        .ccw ${cmd}, data, ${last}, ${count}\n`;
const seek = '        .ccw CMD_SEEK, zero, CCW_CC, 4\n';

const CASES: Case[] = [
  {
    name: 'console WRITE, 4,096 data-chained CCWs of 65,535 bytes', device: 0x009,
    program: sio(0x009, chain('CMD_WRITE', 'CCW_CD', 65535, N, 'CCW_SLI')), bytes: 132,
  },
  { name: 'console WRITE, 4,096 command-chained lines of 132 bytes', device: 0x009, program: sio(0x009, chain('CMD_WRITE', 'CCW_CC', 132, N)), bytes: N * 132 },
  { name: 'printer WRITE, 4,096 command-chained lines of 132 bytes', device: 0x00e, program: sio(0x00e, chain('CMD_WRITE', 'CCW_CC', 132, N)), bytes: N * 132 },
  { name: 'punch WRITE, 4,096 command-chained cards', device: 0x00d, program: sio(0x00d, chain('CMD_WRITE', 'CCW_CC', 80, N)), bytes: N * 80 },
  {
    name: 'disk SEEK + 4,095 command-chained block WRITEs', device: 0x191,
    program: sio(0x191, seek + chain('CMD_WRITE', 'CCW_CC', 512, N - 1)) + 'zero: .word 0\n',
    bytes: (N - 1) * 512,
  },
  {
    name: 'disk SEEK + 4,095 command-chained block READs', device: 0x191,
    program: sio(0x191, seek + chain('CMD_READ', 'CCW_CC', 512, N - 1)) + 'zero: .word 0\n',
    bytes: (N - 1) * 512,
  },
  { name: 'DIAGNOSE X\'10\' console write of 4,096 bytes', device: -1, diag: true, bytes: 4096,
    program: head(`start:  LARL  R2,data\n        LHI   R3,4096\nagain:  DIAG  R2,R3,DIAG_CONSOLE_WRITE\n        J     again`) },
];

export interface IoFigure { name: string; starts: number; worstMs: number; meanMs: number; bytes: number; usPerKiB: number }

/** Run one case for `budget` guest instructions; time every START I/O (or DIAGNOSE). */
function runCase(c: Case, budget: number): IoFigure {
  const work = mkdtempSync(join(tmpdir(), 'tinycp-ioworst-'));
  try {
    writeFileSync(join(work, 'g.s'), c.program);
    const text = `USER W PW 1M AUTOLOG\n  SPOOL 00D PUNCH\n  SPOOL 00E PRINTER\n  MDISK 191 d.img 0 ${N} W\n  IPL ${join(work, 'g.s')}\n`;
    const p = parseDirectory(text, join(work, 'user.direct'));
    if (!p.ok) throw new Error(p.errors.join('\n'));
    const sys = new TimeSharingSystem(p.directory, { spoolDir: join(work, 'spool'), logDir: join(work, 'logs'), imageDir: work, quantum: 10_000 });
    sys.boot();
    const u = sys.users.get('W')!;
    if (u.vm.state !== 'ready') throw new Error(`${c.name}: ${u.vm.stop?.detail}`);
    const times: number[] = [];
    if (c.diag) {
      const sink = u.vm.consoleWrite!;
      u.vm.consoleWrite = (l) => { const t = performance.now(); sink(l); times.push(performance.now() - t); };
    } else {
      const ch = u.channel;
      const start = ch.startIO.bind(ch);
      ch.startIO = (dev, mem, now) => {
        const t = performance.now();
        const cc = start(dev, mem, now);
        if (cc === 0) times.push(performance.now() - t);
        return cc;
      };
    }
    sys.run(budget);
    if ((u.vm.state as string) === 'stopped') throw new Error(`${c.name}: ${u.vm.stop?.detail}`);
    u.punch?.cards.splice(0); // the bench's deck is not spooled
    sys.shutdown();
    const worst = times.reduce((a, b) => Math.max(a, b), 0);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    return { name: c.name, starts: times.length, worstMs: worst, meanMs: mean, bytes: c.bytes, usPerKiB: (mean * 1000) / (c.bytes / 1024) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function ioWorstFigures(budget = 3_000_000): IoFigure[] {
  return CASES.map((c) => runCase(c, budget));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figs = ioWorstFigures();
  if (process.argv.includes('--json')) console.log(JSON.stringify(figs));
  else {
    for (const f of figs) {
      console.log(`${f.worstMs.toFixed(2).padStart(8)} ms worst ${f.meanMs.toFixed(2).padStart(8)} ms mean ${String(f.starts).padStart(6)} starts ` +
        `${String(f.bytes).padStart(8)} bytes ${f.usPerKiB.toFixed(1).padStart(7)} us/KiB  ${f.name}`);
    }
  }
}
