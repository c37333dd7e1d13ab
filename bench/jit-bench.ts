/**
 * `node --import tsx bench/jit-bench.ts [runs]`: guest MIPS of hot loops with the loop JIT
 * (src/cpu/jit.ts) on and off, next to a plain-JavaScript loop doing the same work. Runs are
 * interleaved (on, off, JS, on, off, JS, ...) in one process and medians reported, because this
 * 2-core machine is noisy: compare the ratios, not absolute figures across runs.
 */
import { PSW_DAT, PTE_INVALID } from '../src/cpu/arch.ts';
import { CPU, ICPT_SVC } from '../src/cpu/cpu.ts';
import { makeStorage } from '../src/cpu/storage.ts';
import { buildFile } from '../src/host/build.ts';
import { Session, type Mode } from '../src/session/session.ts';

const RUNS = Number(process.argv[2]) > 0 ? Number(process.argv[2]) : 7;
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

const rr = (op: number, r1: number, r2: number) => ((op << 24) | (r1 << 20) | (r2 << 16)) | 0;
const rx = (op: number, r1: number, b: number, d: number) => ((op << 24) | (r1 << 20) | (b << 16) | (d & 0xffff)) | 0;
const ri = (op: number, r1: number, i: number) => ((op << 24) | (r1 << 20) | (i & 0xffff)) | 0;
const SVC = 0x0a000001;

/** `dat`: run with DAT on, the code page (virtual X'1000') in frame 5 and the data page (X'2000') in frame 9. */
interface Case { name: string; code: number[]; regs: Record<number, number>; perIter: number; js: (n: number) => number; dat?: boolean }

const CASES: Case[] = [
  { name: 'AR R3,R1 ; BRCT R2,LOOP', code: [rr(0x1a, 3, 1), ri(0xd2, 2, -1), SVC], regs: { 1: 1 }, perIter: 2,
    js: (n) => { let acc = 0; for (let i = n; i > 0; i--) acc = (acc + 1) | 0; return acc; } },
  { name: 'L ; AR ; ST ; BRCT (load/store)', code: [rx(0x58, 4, 5, 0), rr(0x1a, 4, 1), rx(0x50, 4, 5, 0), ri(0xd2, 2, -3), SVC], regs: { 1: 1, 5: 0x2000 }, perIter: 4,
    js: (n) => { const m = new Int32Array(16); for (let i = n; i > 0; i--) m[1] = (m[1] + 1) | 0; return m[1]; } },
  // Nested: an inner array sum of 256 words re-entered by an outer loop (entry/exit cost of the JIT).
  { name: 'nested: LA;LHI;{A;LA;BCT}x256;BRCT', code: [rx(0x41, 5, 0, 0x2000), ri(0xc0, 6, 256), rx(0x5a, 3, 5, 0), rx(0x41, 5, 5, 4), rx(0x46, 6, 7, 0x1008), ri(0xd2, 2, -5), SVC],
    regs: { 7: 0 }, perIter: 2 + 3 * 256 + 1,
    js: (n) => { const m = new Int32Array(0x3000 >> 2); let acc = 0; for (let i = n; i > 0; i--) for (let j = 0; j < 256; j++) acc = (acc + m[(0x2000 >> 2) + j]) | 0; return acc; } },
];
// The same loops with DAT on (virtual addresses translated through the TLB, non-identity frames).
for (const c of CASES.slice(0, 3)) CASES.push({ ...c, name: `DAT on: ${c.name}`.slice(0, 38), dat: true });

/** DAT on for `cpu`: a segment table at X'C000', its page table at X'C400'; page 1 -> frame 5, page 2 -> frame 9, others identity. */
function mapDat(cpu: CPU): void {
  const m = cpu.mem;
  m[0xc000 >>> 2] = 0xc400;
  for (let v = 0; v < 256; v++) m[(0xc400 >>> 2) + v] = v < 16 ? (v === 1 ? 5 : v === 2 ? 9 : v) << 12 : PTE_INVALID;
  m.copyWithin(0x5000 >>> 2, 0x1000 >>> 2, 0x2000 >>> 2);
  cpu.cr[1] = 0xc000; cpu.flags |= PSW_DAT;
}

/** One timed run of a case on a bare CPU: guest MIPS. */
function timeCpu(c: Case, iters: number, jit: boolean): number {
  const mem = makeStorage(64 * 1024);
  c.code.forEach((w, i) => { mem[(0x1000 >> 2) + i] = w; });
  const cpu = new CPU(mem);
  cpu.intercepts = ICPT_SVC; cpu.ia = 0x1000; cpu.jit = jit;
  for (const [k, v] of Object.entries(c.regs)) cpu.gpr[Number(k)] = v;
  cpu.gpr[2] = iters;
  if (c.dat) mapDat(cpu);
  const t0 = performance.now();
  cpu.run(Number.MAX_SAFE_INTEGER);
  const ms = performance.now() - t0;
  if (cpu.icept.kind !== 'svc' || cpu.now < iters * c.perIter) throw new Error(`${c.name}: did not finish (${cpu.now})`);
  return cpu.now / ms / 1000;
}

function timeJs(c: Case, iters: number): number {
  const t0 = performance.now(); c.js(iters); const ms = performance.now() - t0;
  return (iters * c.perIter) / ms / 1000;
}

/** programs/bench/loop.s through a Session (bare machine or a VM under CP). */
function timeSession(mode: Mode, jit: boolean, count: number): number {
  const b = buildFile('programs/bench/loop.s');
  if (!b.ok) throw new Error(b.errors.join('\n'));
  const s = new Session(b.image, { mode, jit });
  s.mem[b.image.symbols!.count >>> 2] = count;
  const t0 = performance.now();
  const r = s.run(Number.MAX_SAFE_INTEGER);
  const ms = performance.now() - t0;
  if (!r.success) throw new Error(r.message);
  return s.time / ms / 1000;
}

const fmt = (x: number) => x.toFixed(0).padStart(6);
console.log(`loop JIT benchmark: ${RUNS} interleaved runs, medians in guest MIPS (noisy 2-core machine: read the ratios)`);
console.log(`${'loop'.padEnd(38)}${'JIT on'.padStart(8)}${'JIT off'.padStart(8)}${'plain JS'.padStart(9)}  on/off`);
for (const c of CASES) {
  const iters = Math.round(60_000_000 / c.perIter);
  const w = Math.floor(iters / 10); timeCpu(c, w, true); timeCpu(c, w, false); timeJs(c, w); // warm up
  const on: number[] = [], off: number[] = [], js: number[] = [];
  for (let r = 0; r < RUNS; r++) { on.push(timeCpu(c, iters, true)); off.push(timeCpu(c, Math.floor(iters / 4), false)); js.push(timeJs(c, iters)); }
  const mOn = median(on), mOff = median(off);
  console.log(`${c.name.padEnd(38)}  ${fmt(mOn)}  ${fmt(mOff)}   ${fmt(median(js))}  ${(mOn / mOff).toFixed(1)}x`);
}
for (const mode of ['bare', 'vm'] as const) {
  timeSession(mode, true, 1e6); timeSession(mode, false, 1e6);
  const on: number[] = [], off: number[] = [];
  for (let r = 0; r < RUNS; r++) { on.push(timeSession(mode, true, 30_000_000)); off.push(timeSession(mode, false, 7_500_000)); }
  console.log(`${`loop.s via Session (${mode})`.padEnd(38)}  ${fmt(median(on))}  ${fmt(median(off))}   ${'-'.padStart(6)}  ${(median(on) / median(off)).toFixed(1)}x`);
}
