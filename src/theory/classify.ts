/**
 * Popek & Goldberg's classification by experiment (PoO 4.3): every instruction of the ISA table
 * is run, one at a time, on the real CPU from many seeded random machine states, and the outcomes
 * are compared. Nothing here reads the table's declared classes: the verdict comes from what the
 * CPU did, so a leaky profile (src/cpu/profiles.ts) is found out without being named.
 *
 * Each sample is one guest-visible state G (general registers, condition code, program mask,
 * instruction address, four pages of virtual storage) and two configurations of the machine,
 * C_A and C_B, that differ in everything a VMM would keep to itself:
 *   - the system mask, the key, the machine-check mask;
 *   - the control registers;
 *   - the CPU timer and the clock comparator (the TOD clock is the same: here it counts the
 *     machine's own instructions, PoO 7);
 *   - location: C_A runs with DAT off (virtual = real), C_B with DAT on and the same four
 *     pages at other real frames (the relocation register of Popek & Goldberg);
 *   - the machine's identity (the nesting level DIAGNOSE IDENTIFY reports) and a pending
 *     I/O status (a channel stub: TEST I/O reports and clears it; START and HALT I/O count).
 * The instruction runs four times: in C_A and C_B, each in supervisor and in problem state. Then
 *   - privileged: every problem-state run ends in a privileged-operation exception, and some
 *     supervisor-state run does not;
 *   - control-sensitive: some run that completed changed the configuration (PSW bits 0-15,
 *     control registers, clocks, TLB, I/O, the machine's stop) other than through an interruption;
 *   - behaviour-sensitive: two completed runs from the same G ended with different guest-visible
 *     results although only the configuration (C_A vs C_B) or the mode differed.
 * "User-sensitive" (theorem 3) is the same, counted on problem-state runs only.
 */
import { LC_END, PGM_PRIVILEGED, PSW_DAT, PSW_EXT, PSW_IO, PSW_MCHECK, PSW_PROBLEM, PSW_PROGRAM_MASK, PSW_RESERVED, TLB_VALID } from '../cpu/arch.ts';
import { NEVER } from '../cpu/clocks.ts';
import { CPU, ICPT_PROGRAM, ICPT_SVC, ICPT_TRANSLATION, STOP_INTERCEPT, type IoSubsystem } from '../cpu/cpu.ts';
import { ISA, type InstrDef, type Sensitivity } from '../cpu/isa.ts';
import { applyProfile, type Profile } from '../cpu/profiles.ts';

/** The four classes the command prints (privileged first: it is what the theorem asks about). */
export type TheoryClass = 'privileged' | 'control-sensitive' | 'behavior-sensitive' | 'innocuous';

/** One instruction, as the experiment found it. */
export interface ClassRow {
  mnemonic: string;
  privileged: boolean;
  control: boolean;
  behavior: boolean;
  /** Sensitive in problem state (theorem 3's "user-sensitive"). */
  user: boolean;
  sensitivity: Sensitivity;
  cls: TheoryClass;
  /** Runs that completed (not trapped) out of 4 per sample. */
  completed: number;
  /** What showed it, one line: the first evidence found. */
  evidence: string;
}

export interface Classification {
  profile: string;
  samples: number;
  rows: ClassRow[];
  /** mnemonic -> class. */
  classes: Record<string, TheoryClass>;
  /** Sensitive but unprivileged: theorem 1 fails for each. */
  violations: string[];
  /** User-sensitive but unprivileged: theorem 3 (a hybrid VMM) fails for each. */
  userViolations: string[];
}

/** Storage of the experiment: 16 frames of 4 KiB; the guest sees 4 pages. */
const FRAMES = 16, VIEW_PAGES = 4, PAGE_WORDS = 1024, VIEW_WORDS = VIEW_PAGES * PAGE_WORDS;
const IA = 0x200;
/** C_B's pages live in frames 8-11; its tables in frame 14; C_A's identity tables in frame 15. */
const B_FRAME0 = 8, B_TABLES = 0xe000, A_TABLES = 0xf000;

/** mulberry32: a small seeded generator (the same seed, the same table). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A channel with one piece of state: a pending status that TEST I/O reports and clears. */
class StubIo implements IoSubsystem {
  ops = 0;
  pending = false;
  startIO(): number { this.ops++; return 0; }
  testIO(): number { const p = this.pending; this.pending = false; return p ? 1 : 0; }
  haltIO(): number { this.ops++; return 0; }
  nextInterruptTime(): number { return NEVER; }
  takeInterrupt(): number { return -1; }
}

interface Config { mask: number; crs: Int32Array; timer: bigint; ckc: bigint; pending: boolean; level: number; perm: number[]; dat: boolean }
interface Guest { gpr: Int32Array; cc: number; pmask: number; view: Int32Array; word: number }
/** What a run left: the guest-visible result, and whether the configuration changed. */
interface Result { done: boolean; trapCode: number; visible: string; changed: string }

/** Random instruction operands for `d`: registers, bases that mostly point into the view, small displacements. */
function instructionWord(d: InstrDef, r: () => number): number {
  const reg = () => r() & 15;
  const interesting = [0, 8, 0x0c, 0x10, 0xf0, 0x200];
  const base = () => (r() & 1 ? 0 : reg());
  const d12 = (b: number) => (b === 0 ? interesting[r() % interesting.length] : (r() & 0x7ff) & (r() & 1 ? ~7 : ~0));
  const imm8 = () => [0, 1, 2, 3, 4, 7, 0xff, r() & 0xff][r() & 7];
  const op = d.opcode << 24;
  switch (d.format) {
    case 'RR': return op | (reg() << 20) | (reg() << 16);
    case 'RR1': return op | (reg() << 20);
    case 'RX': { const b = base(); return op | (reg() << 20) | (b << 16) | ((b === 0 ? d12(0) : (r() & 0x7ff) - 0x200) & 0xffff); }
    case 'RS': case 'RSH': case 'S': { const b = base(); return op | (reg() << 20) | (d.format === 'RS' ? reg() << 16 : 0) | (b << 12) | d12(b); }
    case 'SI': { const b = base(); return op | (imm8() << 16) | (b << 12) | d12(b); }
    case 'RI': case 'RIU': case 'RIB': return op | (reg() << 20) | (r() & 0xffff);
    case 'I': return op | (r() & 0xff);
    case 'E': return op;
  }
}

/** A storage word: anything, a valid PSW word 0, or an aligned address (so LPSW and SSM can succeed). */
function storageWord(r: () => number): number {
  const k = r() % 3;
  return k === 0 ? r() | 0 : k === 1 ? (r() & ~PSW_RESERVED) | 0 : (r() & 0x3ff8) | 0;
}

function guest(d: InstrDef, r: () => number): Guest {
  const gpr = new Int32Array(16);
  for (let i = 0; i < 16; i++) gpr[i] = r() & 1 ? r() | 0 : 0x400 + (r() % 0x3400 & ~7);
  const view = new Int32Array(VIEW_WORDS);
  for (let i = 0; i < VIEW_WORDS; i++) view[i] = storageWord(r);
  return { gpr, cc: r() & 3, pmask: (r() & 0xf) << 8, view, word: instructionWord(d, r) };
}

function config(r: () => number, dat: boolean, level: number): Config {
  const crs = new Int32Array(16);
  for (let i = 0; i < 16; i++) crs[i] = r() | 0;
  crs[1] = dat ? B_TABLES : A_TABLES;
  const perm = [0, 1, 2, 3];
  for (let i = 3; i > 0; i--) { const j = r() % (i + 1); [perm[i], perm[j]] = [perm[j], perm[i]]; }
  // Nothing pending at the start: a timer far from zero, a comparator far beyond the TOD clock.
  return {
    mask: (dat ? PSW_DAT : 0) | (r() & 1 ? PSW_IO : 0) | (r() & 1 ? PSW_EXT : 0) | (r() & 1 ? PSW_MCHECK : 0) | ((r() & 0xf) << 20),
    crs, timer: (1n << 40n) + BigInt(r()), ckc: (1n << 41n) + BigInt(r()), pending: (r() & 1) === 1, level, perm, dat,
  };
}

/** One word per instruction-visible fact, joined: cheap to compare, and printable as evidence. */
function hashView(mem: Int32Array, frames: readonly number[]): number {
  let h = 0x811c9dc5;
  // The PSW-swap area (PoO 5.1, below X'200') is left out: an interruption the instruction made
  // pending writes it (at real 0, which is the view only in C_A), the instruction does not.
  for (const f of frames) for (let i = f === frames[0] ? LC_END >>> 2 : 0; i < PAGE_WORDS; i++) h = Math.imul(h ^ mem[f * PAGE_WORDS + i], 0x01000193);
  return h >>> 0;
}

class Lab {
  readonly mem = new Int32Array(FRAMES * PAGE_WORDS);
  readonly cpu = new CPU(this.mem);
  readonly io = new StubIo();
  consoleLines = 0;
  constructor(profile: Profile) {
    applyProfile(this.cpu, profile);
    this.cpu.jit = false;
    this.cpu.consoleWrite = () => { this.consoleLines++; };
  }

  /** Configuration a VMM keeps to itself, as one string. */
  private resources(): string {
    const c = this.cpu;
    let tlb = 0;
    for (let i = 0; i < VIEW_PAGES; i++) tlb = Math.imul(tlb ^ c.tlb[i], 31);
    return [(c.flags & 0xffff0000) >>> 0, ...c.cr, c.clocks.todOffset, c.clocks.cpuTimerZero, c.clocks.ckc, tlb,
      this.io.ops, this.io.pending, this.consoleLines, c.haltCode].join(',');
  }

  private frames(k: Config): number[] { return k.dat ? k.perm.map((p) => B_FRAME0 + p) : [0, 1, 2, 3]; }

  private visible(k: Config): string {
    const c = this.cpu;
    return [...c.gpr, c.cc, c.flags & PSW_PROGRAM_MASK, c.ia, hashView(this.mem, this.frames(k))].join(',');
  }

  run(g: Guest, k: Config, problem: boolean): Result {
    const { mem, cpu } = this;
    mem.fill(0);
    const fr = this.frames(k);
    for (let p = 0; p < VIEW_PAGES; p++) mem.set(g.view.subarray(p * PAGE_WORDS, (p + 1) * PAGE_WORDS), fr[p] * PAGE_WORDS);
    mem[(fr[0] * PAGE_WORDS) + (IA >>> 2)] = g.word;
    // One segment, four valid pages: C_A's tables name the identity, C_B's the permuted frames.
    const t = k.dat ? B_TABLES : A_TABLES;
    mem[t >>> 2] = t + 0x40;
    for (let i = 0; i < 256; i++) mem[(t + 0x40 + 4 * i) >>> 2] = i < VIEW_PAGES ? fr[i] << 12 : 0x400;
    cpu.reset();
    cpu.gpr.set(g.gpr); cpu.cr.set(k.crs);
    cpu.tlb.fill(0);
    for (let i = 0; i < VIEW_PAGES; i++) cpu.tlb[i] = (fr[i] << 12) | TLB_VALID;
    cpu.now = 1000;
    cpu.clocks.setTod(cpu.now, 5000n); cpu.clocks.setCpuTimer(cpu.now, k.timer); cpu.clocks.setComparator(cpu.now, k.ckc);
    cpu.io = this.io; this.io.ops = 0; this.io.pending = k.pending;
    cpu.level = k.level; this.consoleLines = 0;
    cpu.intercepts = ICPT_PROGRAM | ICPT_SVC | ICPT_TRANSLATION;
    cpu.flags = k.mask | g.pmask | (problem ? PSW_PROBLEM : 0);
    cpu.cc = g.cc; cpu.ia = IA;
    const before = this.resources();
    const count = cpu.counters.instructions;
    let caught: Result | null = null;
    // An interruption the instruction made pending (a comparator set in the past) is delivered
    // after it completes: the result is what the instruction left, before the PSW swap.
    cpu.onInterrupt = () => {
      if (!caught && cpu.counters.instructions > count) caught = { done: true, trapCode: 0, visible: this.visible(k), changed: this.resources() };
    };
    const stop = cpu.run(1);
    cpu.onInterrupt = null;
    if (caught) return finish(caught, before);
    if (stop === STOP_INTERCEPT || cpu.counters.instructions === count) {
      return { done: false, trapCode: cpu.icept.kind === 'program' ? cpu.icept.code : -1, visible: '', changed: '' };
    }
    return finish({ done: true, trapCode: 0, visible: this.visible(k), changed: this.resources() }, before);
  }
}

function finish(r: Result, before: string): Result { return { ...r, changed: r.changed === before ? '' : 'changed' }; }

/** Classify one instruction: `samples` random states, four runs each. */
function classifyOne(lab: Lab, d: InstrDef, samples: number, seed: number): ClassRow {
  const r = rng(seed ^ Math.imul(d.opcode, 0x9e3779b1));
  let allProblemPriv = true, someSupDone = false, control = false, behavior = false, user = false, completed = 0;
  let evidence = '';
  const note = (s: string) => { if (!evidence) evidence = s; };
  for (let s = 0; s < samples; s++) {
    const g = guest(d, r);
    const a = config(r, false, 0), b = config(r, true, 1);
    const aS = lab.run(g, a, false), bS = lab.run(g, b, false), aP = lab.run(g, a, true), bP = lab.run(g, b, true);
    for (const x of [aS, bS, aP, bP]) if (x.done) completed++;
    if (!(aP.trapCode === PGM_PRIVILEGED && bP.trapCode === PGM_PRIVILEGED)) allProblemPriv = false;
    if (aS.done || bS.done) someSupDone = true;
    for (const [x, label] of [[aS, 'supervisor'], [bS, 'supervisor'], [aP, 'problem'], [bP, 'problem']] as const) {
      if (x.done && x.changed) {
        control = true; note(`changed the configuration in ${label} state (sample ${s})`);
        if (label === 'problem') user = true;
      }
    }
    const differ = (x: Result, y: Result) => x.done && y.done && x.visible !== y.visible;
    if (differ(aS, bS)) { behavior = true; note(`result depends on the configuration (supervisor state, sample ${s})`); }
    if (differ(aP, bP)) { behavior = true; user = true; note(`result depends on the configuration (problem state, sample ${s})`); }
    if (differ(aS, aP) || differ(bS, bP)) { behavior = true; user = true; note(`result depends on the mode (sample ${s})`); }
  }
  const privileged = allProblemPriv && someSupDone;
  if (privileged) user = false; // it traps in problem state: a hybrid VMM sees every user execution
  const sensitivity: Sensitivity = control && behavior ? 'control+behavior' : control ? 'control' : behavior ? 'behavior' : 'innocuous';
  const cls: TheoryClass = privileged ? 'privileged' : control ? 'control-sensitive' : behavior ? 'behavior-sensitive' : 'innocuous';
  evidence ||= privileged ? 'traps in problem state' : 'no difference found';
  return { mnemonic: d.mnemonic, privileged, control, behavior, user, sensitivity, cls, completed, evidence };
}

/** Classify every instruction of the table on `profile`. Deterministic for a given seed. */
export function classify(profile: Profile, opts: { samples?: number; seed?: number } = {}): Classification {
  const samples = opts.samples ?? 64, seed = opts.seed ?? 1974;
  const lab = new Lab(profile);
  const rows = ISA.map((d) => classifyOne(lab, d, samples, seed));
  const classes: Record<string, TheoryClass> = {};
  for (const x of rows) classes[x.mnemonic] = x.cls;
  return {
    profile: profile.name, samples, rows, classes,
    violations: rows.filter((x) => !x.privileged && x.sensitivity !== 'innocuous').map((x) => x.mnemonic),
    userViolations: rows.filter((x) => !x.privileged && x.user).map((x) => x.mnemonic),
  };
}
