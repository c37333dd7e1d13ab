/**
 * Seeded generator of random guest programs for the differential fuzzer (Popek & Goldberg's
 * equivalence property: a program under CP behaves exactly as on the bare machine, interruptions
 * at the same instruction counts included).
 *
 * Instruction words are built directly from the ISA table (src/cpu/isa.ts), not assembled from
 * text: generating is then a few microseconds per program. Around the random code sits structured
 * scaffolding so that the interesting machinery really runs:
 *
 * - low storage with a new PSW for every class (PoO 5.1), each pointing at a small handler that
 *   logs the interruption code and old PSW, counts its entries (and ends the program with a
 *   disabled wait after a limit, so interruption storms terminate), and returns with LPSW of the
 *   old PSW, often modified (problem state flipped, masks, DAT, wait bit cleared, instruction
 *   skipped) or after changing the CPU timer / clock comparator;
 * - a data area with PSWs, system-mask bytes, clock values, control-register values, CCWs,
 *   console text and random words;
 * - DAT tables: a segment table and page tables with valid, invalid, protected and out-of-storage
 *   entries, one page table that runs off the end of storage;
 * - code: random instructions (innocuous and privileged, in supervisor and problem state) mixed
 *   with snippets: LPSW into new states, enabled waits, I/O starts, timers, DIAGNOSE, bounded loops.
 *
 * Determinism: a mulberry32 PRNG seeded by the caller; no Math.random, no clock.
 */
import {
  CMD_CONTROL, CMD_READ, CMD_SENSE, CMD_TIC, CMD_WRITE, CCW_CC, CCW_CD, CCW_SKIP, CCW_SLI, CODE_LOC, CR0_CKC_MASK,
  CR0_CPT_MASK, CR0_KEY_MASK, CR0_RESET, DEV_CONSOLE, DEV_PRINTER, DEV_PUNCH, DEV_READER, DIAG_CONSOLE_WRITE,
  DIAG_STORAGE_SIZE, DIAG_TEST_RESULT, LC_CAW, NEW_PSW,
  OLD_PSW, PSW_DAT, PSW_EXT, PSW_FIXED_OVERFLOW, PSW_IO, PSW_PROBLEM, PSW_WAIT, PTE_INVALID, PTE_PROTECT, STE_INVALID,
} from '../../src/cpu/arch.ts';
import { ISA, type InstrDef } from '../../src/cpu/isa.ts';

/** A loadable image, as `Session` takes it. */
export interface FuzzImage {
  segments: { address: number; bytes: Uint8Array }[];
  entry: number;
}

/** Switches for constructs that can be turned off (e.g. while a known divergence is being fixed). */
export interface GenOptions {
  /** Storage size the program is generated for (bytes). Default 64 KiB. */
  storage?: number;
  /** Number of random code words (roughly). Default 120-400. */
  codeWords?: number;
  /** Generate invalid new PSWs (the machine check-stops on an interruption). Default true. */
  invalidNewPsw?: boolean;
  /** Generate new PSWs with the external / I/O masks on (a persistent condition then loops). Default true. */
  enabledNewPsw?: boolean;
  /** Generate clock values near the top of the range. Default true. */
  hugeClockValues?: boolean;
  /** Let SET CLOCK move the TOD clock forward (else it sets it to 0, backwards). Default true. */
  sckForward?: boolean;
  /** Add clock values at the edges of the 64-bit range (2^53, 2^63, "never", -2^63). Default true. */
  boundaryClockValues?: boolean;
}

/**
 * Constructs excluded while the divergences they expose are open (see test/fuzz/README in the
 * report to the lead). Remove an entry once its bug is fixed; the CI test must then stay at 0.
 */
export const KNOWN_BUG_EXCLUSIONS: GenOptions = {};

/** mulberry32: a small, fast, well-mixed 32-bit PRNG. */
export class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed | 0; }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Integer in [0, n). */
  int(n: number): number { return Math.floor((this.next() / 4294967296) * n); }
  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
  chance(p: number): boolean { return this.next() / 4294967296 < p; }
  pick<T>(a: readonly T[]): T { return a[this.int(a.length)]; }
}

/* ---- Fixed layout (addresses < 0x1000 are reachable by base-0 S-format operands). ---- */
export const LOGP = 0x100; // word: next log entry
const CNT = 0x110; // word per class: handler entries
const SAVE = 0x140; // doubleword per class: R14, R15
const STOP_PSW = 0x1c0; // doubleword per class: disabled wait ending the program
const TMP = 0x180; // doubleword per class: handler scratch (STCK)
const TCONST = 0x1f0; // doubleword: a clock value the handlers load
const HANDLERS = 0x200; // handler code
const LOG = 0x800; // 0x800-0xFFF: the interruption log (16-byte entries)
export const CODE = 0x1000; // 0x1000-0x2FFF: the program
export const DATA = 0x3000; // 0x3000-0x4FFF: data (R12 points here)
const SEGT = 0x5000; // segment table
const PT0 = 0x5400; // page table of segment 0
const PT3 = 0x5800; // page table of segment 3
const PT_EDGE_OFFSET = 0x200; // a page table this far below the end of storage runs off the end

/** Reserved registers: R12 data base, R13 code base, R10 loop counter, R14/R15 handler scratch. */
const R_DATA = 12, R_CODE = 13, R_LOOP = 10;

const OP: Readonly<Record<string, number>> = Object.fromEntries(ISA.map((d) => [d.mnemonic, d.opcode]));

/* ---- Encoders (PoO 4.1 formats). ---- */
const rr = (op: string, r1: number, r2: number) => (OP[op] << 24) | (r1 << 20) | (r2 << 16);
const rx = (op: string, r1: number, b: number, d: number) => (OP[op] << 24) | (r1 << 20) | (b << 16) | (d & 0xffff);
const rs = (op: string, r1: number, r3: number, b: number, d: number) => (OP[op] << 24) | (r1 << 20) | (r3 << 16) | (b << 12) | (d & 0xfff);
const ri = (op: string, r1: number, i: number) => (OP[op] << 24) | (r1 << 20) | (i & 0xffff);
const si = (op: string, i2: number, b: number, d: number) => (OP[op] << 24) | ((i2 & 0xff) << 16) | (b << 12) | (d & 0xfff);
const s = (op: string, b: number, d: number) => (OP[op] << 24) | (b << 12) | (d & 0xfff);

const BYTE_OPS = new Set(['STC', 'IC', 'LLC']);
const HALF_OPS = new Set(['STH', 'LH', 'CH', 'AH', 'SH', 'MH', 'LLH']);

/** Interesting 32-bit values (boundaries for overflow, sign, carry, shifts). */
const VALUES = [0, 1, -1, 2, 3, 4, 0x7fffffff, -0x80000000, 0x7ffe, 0x8000, 0xffff, 0x10000, 0x3000, 0x3ffc, 0x1000,
  0xfffc, 0x10000, 0xfff8, 63, 31, 32, 0x80, 0xff, -2, -4, 0x00ffffff, 0x01000000, 0x12345678] as const;

/** The image under construction: one word array for the whole storage plus a "written" map. */
class ImageBuilder {
  readonly w: Int32Array;
  readonly used: Uint8Array;
  constructor(readonly size: number) { this.w = new Int32Array(size >>> 2); this.used = new Uint8Array(size >>> 2); }
  set(addr: number, v: number): void { this.w[addr >>> 2] = v | 0; this.used[addr >>> 2] = 1; }
  /** Contiguous runs of written words as segments. */
  segments(): FuzzImage['segments'] {
    const out: FuzzImage['segments'] = [];
    let i = 0;
    const n = this.w.length;
    while (i < n) {
      if (!this.used[i]) { i++; continue; }
      let j = i;
      while (j < n && this.used[j]) j++;
      const bytes = new Uint8Array((j - i) * 4);
      for (let k = i; k < j; k++) {
        const v = this.w[k], o = (k - i) * 4;
        bytes[o] = v >>> 24; bytes[o + 1] = (v >>> 16) & 0xff; bytes[o + 2] = (v >>> 8) & 0xff; bytes[o + 3] = v & 0xff;
      }
      out.push({ address: i * 4, bytes });
      i = j;
    }
    return out;
  }
}

/** A bump allocator over the data area, handing out R12-relative offsets. */
class DataArea {
  private next = 0x400; // 0x3000-0x33FF: random words written up front
  constructor(private readonly img: ImageBuilder) {}
  /** Allocate `words` words aligned to `align` bytes; returns the absolute address (or -1 when full). */
  alloc(words: number, align = 4): number {
    const a = (this.next + align - 1) & ~(align - 1);
    if (a + words * 4 > 0x2000) return -1;
    this.next = a + words * 4;
    return DATA + a;
  }
  put(values: number[], align = 4): number {
    const a = this.alloc(values.length, align);
    if (a >= 0) values.forEach((v, i) => this.img.set(a + 4 * i, v));
    return a;
  }
}

/** Generate one program from `seed`. */
export function generate(seed: number, opts: GenOptions = {}): FuzzImage {
  return new Generator(seed, opts).build();
}

class Generator {
  private readonly r: Rng;
  private readonly size: number;
  private readonly img: ImageBuilder;
  private readonly data: DataArea;
  private code: number[] = [];
  private codeWords: number;
  /** Absolute addresses of useful data objects, filled by `buildData`. */
  private psws: number[] = [];
  private ccwProgs: number[] = [];
  private maskBytes = 0;
  private clockValues: number[] = [];
  /** Operands for SCK. */
  private sckValues: number[] = [];
  private cr0Words: number[] = [];
  private cr1Words: number[] = [];
  private msg = 0;
  private msgLen = 0;

  constructor(seed: number, private readonly opts: GenOptions) {
    this.r = new Rng(seed ^ 0x5bd1e995);
    this.size = opts.storage ?? 64 * 1024;
    this.img = new ImageBuilder(this.size);
    this.data = new DataArea(this.img);
    this.codeWords = opts.codeWords ?? this.r.range(120, 400);
  }

  build(): FuzzImage {
    this.lowCore();
    this.buildData();
    this.buildTables();
    this.buildCode();
    return { segments: this.img.segments(), entry: CODE };
  }

  /* ---------------- low storage and handlers ---------------- */

  private lowCore(): void {
    const r = this.r, img = this.img;
    // IPL PSW: usually supervisor, disabled, DAT off; sometimes enabled from the start.
    img.set(0, r.chance(0.2) ? PSW_EXT | PSW_IO : 0); img.set(4, CODE);
    img.set(LOGP, LOG);
    img.set(TCONST, 0); img.set(TCONST + 4, r.range(5, 400));
    let at = HANDLERS;
    for (const cls of [1, 2, 3, 4, 5]) {
      img.set(CNT + 4 * cls, 0);
      img.set(STOP_PSW + 8 * cls, PSW_WAIT); img.set(STOP_PSW + 8 * cls + 4, 0xf00 + 4 * cls);
      const words = this.handler(cls, at);
      words.forEach((w, i) => img.set(at + 4 * i, w));
      // New PSW: supervisor, disabled, DAT off, mostly; sometimes DAT on, problem state, enabled, or invalid.
      let flags = 0;
      const k = r.int(100);
      if (k < 8) flags = PSW_DAT;
      else if (k < 12) flags = PSW_PROBLEM;
      else if (k < 18 && this.opts.enabledNewPsw !== false) flags = PSW_EXT | PSW_IO;
      else if (k < 20 && this.opts.invalidNewPsw !== false) flags = 0x8000_0000;
      if (r.chance(0.1)) flags |= PSW_FIXED_OVERFLOW;
      img.set(NEW_PSW[cls], flags); img.set(NEW_PSW[cls] + 4, at);
      at += 4 * words.length;
    }
    if (at > LOG) throw new Error('generator: handlers overflow their area');
  }

  /** The handler for interruption class `cls`, placed at `base`. */
  private handler(cls: number, base: number): number[] {
    const r = this.r;
    const old = OLD_PSW[cls], save = SAVE + 8 * cls, cnt = CNT + 4 * cls;
    const h: number[] = [];
    h.push(rs('STM', 14, 15, 0, save));
    // Count entries; past the limit, end the program (disabled wait, code X'F00' + 4 * class).
    const limit = r.pick([5, 30, 100, 300, 1000]);
    h.push(rx('L', 15, 0, cnt), ri('AHI', 15, 1), rx('ST', 15, 0, cnt), ri('CHI', 15, limit));
    const stopBranch = h.length; h.push(0); // BRC 2,stop: patched below
    // Log entry: code, old PSW, class.
    h.push(rx('L', 15, 0, LOGP));
    if (CODE_LOC[cls] >= 0) h.push(rx('L', 14, 0, CODE_LOC[cls])); else h.push(ri('LHI', 14, -1));
    h.push(rx('ST', 14, 15, 0), rx('L', 14, 0, old), rx('ST', 14, 15, 4), rx('L', 14, 0, old + 4), rx('ST', 14, 15, 8));
    if (r.chance(0.3)) h.push(s('STPT', 15, 8)); // overwrites the logged address with the CPU timer (high word at 8, low at 12)
    else h.push(ri('LHI', 14, cls), rx('ST', 14, 15, 12));
    h.push(ri('AHI', 15, 16), ri('NIL', 15, 0x07f0), ri('OIL', 15, LOG), rx('ST', 15, 0, LOGP));
    // Variants: change the old PSW or the clocks before returning.
    const nAct = r.range(0, 3);
    const fromWait = cls === 1 || cls === 5;
    if (fromWait && r.chance(0.85)) h.push(si('NI', 0xfd, 0, old + 1)); // clear the wait bit: resume after an enabled wait
    if (cls === 3 && r.chance(0.7)) {
      // Translation exceptions nullify: turn DAT off in the old PSW, or the fault repeats forever.
      h.push(si('CLI', 0x10, 0, CODE_LOC[cls] + 3), ri('BRC', 4, 2), si('NI', 0xfb, 0, old));
    }
    for (let i = 0; i < nAct; i++) {
      switch (r.int(10)) {
        case 0: h.push(si('XI', 0x01, 0, old + 1)); break; // flip problem state
        case 1: h.push(si('NI', 0xfb, 0, old)); break; // DAT off
        case 2: h.push(si('OI', 0x04, 0, old)); break; // DAT on
        case 3: h.push(si(r.pick(['OI', 'NI', 'XI']), r.pick([0x01, 0x02, 0x03, 0xfc, 0xfe]), 0, old)); break; // masks
        case 4: h.push(rx('L', 14, 0, old + 4), ri('AHI', 14, 4), rx('ST', 14, 0, old + 4)); break; // skip an instruction
        case 5: h.push(s('SPT', 0, TCONST)); break;
        case 6: { const tmp = TMP + 8 * cls; // comparator = now + small
          h.push(s('STCK', 0, tmp), rx('L', 14, 0, tmp + 4), ri('AHI', 14, r.range(1, 300)), rx('ST', 14, 0, tmp + 4), s('SCKC', 0, tmp)); break; }
        case 7: h.push(rx('L', 14, 0, TCONST + 4), ri('AHI', 14, r.range(-3, 50)), rx('ST', 14, 0, TCONST + 4)); break;
        case 8: h.push(s(r.pick(['TIO', 'HIO', 'SIO']), 0, r.pick([DEV_CONSOLE, DEV_READER, DEV_PUNCH, DEV_PRINTER]))); break;
        default: h.push(si('XI', 0x08, 0, old + 2)); break; // flip the fixed-point-overflow mask
      }
    }
    h.push(rs('LM', 14, 15, 0, save));
    h.push(s('LPSW', 0, old));
    const stop = h.length;
    h.push(s('LPSW', 0, STOP_PSW + 8 * cls));
    h[stopBranch] = ri('BRC', 2, stop - stopBranch);
    return h;
  }

  /* ---------------- data ---------------- */

  private buildData(): void {
    const r = this.r, d = this.data, img = this.img;
    for (let a = DATA; a < DATA + 0x400; a += 4) img.set(a, r.chance(0.5) ? r.pick(VALUES) : r.next());
    // Console text.
    const text = `FUZZ ${r.next().toString(36)} LINE`;
    this.msgLen = text.length;
    const bytes: number[] = [];
    for (let i = 0; i < text.length; i += 4) {
      let v = 0;
      for (let k = 0; k < 4; k++) v = (v << 8) | (i + k < text.length ? text.charCodeAt(i + k) : 0x20);
      bytes.push(v);
    }
    this.msg = d.put(bytes);
    // System-mask bytes (SSM operands): valid masks and a few with reserved bits.
    const masks = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x03, 0x00, 0x80, 0xff];
    this.maskBytes = d.put([0, 1, 2].map((i) => (masks[4 * i] << 24) | (masks[4 * i + 1] << 16) | (masks[4 * i + 2] << 8) | masks[4 * i + 3]));
    // Clock values (doublewords): small positive ones make timer interruptions really happen.
    for (let i = 0; i < 8; i++) {
      const k = i < 4 ? 5 : r.int(10); // the first four: small and positive
      const hi = k === 0 ? -1 : k === 1 && this.opts.hugeClockValues !== false ? 0x7fffffff : 0;
      const lo = k === 0 ? r.range(-100, -1) : k === 1 ? -1 : k < 6 ? r.range(1, 300) : r.range(300, 5000);
      this.clockValues.push(d.put([hi, lo], 8));
    }
    // The boundaries of the 64-bit range (PoO 7.5), where inexact arithmetic once made the TOD
    // clock go backwards and "never" interrupt: near 2^53 and -2^53, near 2^63 and -2^63,
    // "never" itself (X'7FFFFFFFFFFFFFFF') and around zero.
    if (this.opts.boundaryClockValues !== false) {
      const near = (hi: number, lo: number) => d.put([hi, lo], 8);
      this.clockValues.push(
        near(0x001fffff, -r.range(1, 40)), near(0x00200000, r.range(0, 40)), near(0xffe00000 | 0, r.range(0, 40)),
        near(0x7fffffff, -r.range(2, 40)), near(0x7fffffff, -1), near(0x80000000 | 0, r.range(0, 40)), near(-1, -r.range(1, 40)),
      );
    }
    this.sckValues = this.opts.sckForward === false ? [d.put([0, 0], 8)] : this.clockValues;
    // Control-register values.
    const cr0s = [CR0_RESET, 0, CR0_CKC_MASK, CR0_CPT_MASK, CR0_KEY_MASK, CR0_CKC_MASK | CR0_CPT_MASK, r.next()];
    this.cr0Words = cr0s.map((v) => d.put([v]));
    const cr1s = [SEGT | 0, SEGT | 3, SEGT | 1, SEGT | 15, (this.size - 0x40) | 3, 0x20000 | 0, SEGT + 0x40 | 2, r.next() & 0xffffff];
    this.cr1Words = cr1s.map((v) => d.put([v]));
    // Channel programs, each 8-aligned; some deliberately invalid.
    for (let i = 0; i < 6; i++) this.ccwProgs.push(this.channelProgram());
    // A pool of PSWs for LPSW with random targets (snippets add their own).
    for (let i = 0; i < 6; i++) this.psws.push(d.put([this.pswFlags(), CODE + 4 * r.int(this.codeWords)], 8));
  }

  private pswFlags(): number {
    const r = this.r;
    let f = 0;
    if (r.chance(0.3)) f |= PSW_PROBLEM;
    if (r.chance(0.25)) f |= PSW_DAT;
    if (r.chance(0.4)) f |= PSW_EXT;
    if (r.chance(0.4)) f |= PSW_IO;
    if (r.chance(0.04)) f |= PSW_WAIT;
    if (r.chance(0.2)) f |= r.int(4) << 12; // condition code
    if (r.chance(0.2)) f |= PSW_FIXED_OVERFLOW;
    if (r.chance(0.1)) f |= r.int(16) << 20; // key
    if (r.chance(0.03)) f |= 0x4000_0000; // reserved: specification exception
    return f;
  }

  /** One channel program; returns its address (the CAW value). */
  private channelProgram(): number {
    const r = this.r;
    const n = r.range(1, 3);
    const a = this.data.alloc(2 * n + 2, 8);
    if (a < 0) return DATA + 0x400;
    const buf = this.data.alloc(24, 8);
    for (let i = 0; i < n; i++) {
      const last = i === n - 1;
      let cmd = r.pick([CMD_WRITE, CMD_WRITE, CMD_READ, CMD_CONTROL, CMD_SENSE, CMD_READ, 0x00, 0x05, CMD_TIC]);
      let addr = cmd === CMD_READ || cmd === CMD_SENSE ? buf : r.chance(0.7) ? this.msg : buf;
      let count = cmd === CMD_WRITE && addr === this.msg ? this.msgLen : r.pick([1, 8, 20, 80, 96]);
      let flags = last ? 0 : r.pick([CCW_CC, CCW_CC, CCW_CD]);
      if (r.chance(0.3)) flags |= CCW_SLI;
      if (r.chance(0.05)) flags |= CCW_SKIP;
      if (cmd === CMD_TIC) { addr = a + 8 * (i + 1); flags = 0; }
      const k = r.int(40);
      if (k === 0) count = 0;
      else if (k === 1) flags |= 0x08; // PCI: unsupported
      else if (k === 2) addr = this.size - 4; // data runs off the end of storage
      else if (k === 3) addr = CODE + 4 * r.int(this.codeWords); // read over the code (rarely a read)
      else if (k === 4) cmd = CMD_READ;
      this.img.set(a + 8 * i, (cmd << 24) | (addr & 0xffffff));
      this.img.set(a + 8 * i + 4, (flags << 24) | (count & 0xffff));
    }
    return r.chance(0.05) ? a + 4 : a; // misaligned CCW address: a channel program check
  }

  /* ---------------- DAT tables ---------------- */

  private buildTables(): void {
    const r = this.r, img = this.img, pages = this.size >>> 12;
    const edge = this.size - PT_EDGE_OFFSET;
    const stes = [PT0, edge, STE_INVALID | PT3, PT3, STE_INVALID, PT0];
    for (let i = 0; i < 16; i++) img.set(SEGT + 4 * i, i < stes.length ? stes[i] : r.chance(0.5) ? STE_INVALID : PT0);
    img.set(SEGT + 0x40, PT3); img.set(SEGT + 0x44, PT0); // a second segment table (CR1 = SEGT+0x40)
    for (const pt of [PT0, PT3]) {
      for (let p = 0; p < 256; p++) {
        let e: number;
        if (p < pages && pt === PT0) {
          const k = r.int(100);
          e = k < 75 ? p << 12 : k < 85 ? (p << 12) | PTE_PROTECT : k < 92 ? PTE_INVALID : k < 97 ? r.int(pages) << 12 : (pages + r.int(64)) << 12;
        } else if (p < 32) {
          e = r.chance(0.5) ? PTE_INVALID : r.chance(0.9) ? r.int(pages) << 12 : (pages + r.int(16)) << 12;
        } else e = PTE_INVALID;
        img.set(pt + 4 * p, e);
      }
    }
    // Page-table entries at the storage edge (those inside storage).
    for (let a = edge; a < this.size; a += 4) img.set(a, r.chance(0.5) ? PTE_INVALID : r.int(pages) << 12);
  }

  /* ---------------- code ---------------- */

  private buildCode(): void {
    const r = this.r, c = this.code;
    // Prologue: base registers and a spread of register values.
    c.push(ri('LHI', R_DATA, 0), ri('OIL', R_DATA, DATA), ri('LHI', R_CODE, 0), ri('OIL', R_CODE, CODE));
    for (let i = 0; i < 12; i++) if (i !== R_DATA && r.chance(0.7)) this.loadValue(i);
    if (r.chance(0.5)) c.push(rx('LA', 11, R_DATA, this.ccwProgs[0] - DATA), rx('ST', 11, 0, LC_CAW));
    while (c.length < this.codeWords) {
      const k = r.int(100);
      if (k < 55) c.push(this.randomInstruction());
      else if (k < 60) this.loadValue(r.range(0, 11));
      else if (k < 65) this.lpswSnippet();
      else if (k < 71) this.ioSnippet();
      else if (k < 76) this.timerSnippet();
      else if (k < 80) this.diagSnippet();
      else if (k < 84) this.datSnippet();
      else if (k < 88) this.loopSnippet();
      else if (k < 92) this.waitSnippet();
      else if (k < 94) c.push(ri('BRC', r.int(16), r.range(1, 6)));
      else if (k < 96) c.push((OP.SVC << 24) | r.int(256));
      else c.push(ri('LHI', 0, r.int(8)), rs('LCTL', 0, 0, R_DATA, this.cr0Words[r.int(this.cr0Words.length)] - DATA));
    }
    // Epilogue: a test result, a disabled wait, or nothing (run into zeros: operation exceptions).
    const e = r.int(3);
    if (e === 0) c.push(rs('DIAG', 0, 0, 0, DIAG_TEST_RESULT));
    else if (e === 1) c.push(rx('LPSW', 0, R_DATA, this.data.put([PSW_WAIT, 0x123 << 2], 8) - DATA));
    if (c.length * 4 > DATA - CODE) c.length = (DATA - CODE) >>> 2;
    c.forEach((w, i) => this.img.set(CODE + 4 * i, w));
  }

  private get here(): number { return CODE + 4 * this.code.length; }

  /** Registers for random operations: mostly R1-R9, sometimes any. */
  private reg(): number { return this.r.chance(0.9) ? this.r.range(1, 9) : this.r.int(16); }

  private loadValue(reg: number): void {
    const r = this.r;
    const v = r.chance(0.6) ? r.pick(VALUES) : r.chance(0.5) ? DATA + 4 * r.int(0x800) : r.next() | 0;
    this.code.push(ri('LUH', reg, v >>> 16), ri('OIL', reg, v & 0xffff));
  }

  /** A storage operand: (base, displacement), mostly in the data area, sometimes anywhere. */
  private operand(width: number, d12: boolean): [number, number] {
    const r = this.r;
    const k = r.int(100);
    const align = (v: number) => (r.chance(0.95) ? v & ~(width - 1) : v);
    if (k < 65) return [R_DATA, align(r.int(0x1000))];
    if (k < 75) return d12 ? [0, align(r.int(0x1000))] : [0, align(r.int(0x8000))];
    if (k < 82) return [R_CODE, align(r.int(d12 ? 0x1000 : 0x2000))];
    return [this.reg(), align(r.int(d12 ? 0x1000 : 0x10000))];
  }

  private randomInstruction(): number {
    const r = this.r;
    let d: InstrDef;
    do d = r.pick(ISA); while (d.privileged && r.chance(0.4)); // privileged: about a third as often
    const name = d.mnemonic;
    const r1 = this.reg();
    switch (name) {
      case 'DIAG': return rs('DIAG', r1, this.reg(), 0, r.pick([DIAG_STORAGE_SIZE, DIAG_STORAGE_SIZE, 0x04, 0x20, 0xfff]));
      case 'SIO': case 'TIO': case 'HIO': return s(name, 0, r.pick([DEV_CONSOLE, DEV_READER, DEV_PUNCH, DEV_PRINTER, 0x00f, 0x109]));
      case 'SVC': return (OP.SVC << 24) | r.int(256);
      case 'SPM': return (OP.SPM << 24) | (r1 << 20);
      case 'LPSW': return s('LPSW', R_DATA, r.pick(this.psws) - DATA + (r.chance(0.05) ? 4 : 0));
      case 'SSM': return s('SSM', R_DATA, this.maskBytes - DATA + r.int(12));
      case 'SPT': case 'SCKC': return s(name, R_DATA, r.pick(this.clockValues) - DATA);
      case 'SCK': return s(name, R_DATA, r.pick(this.sckValues) - DATA);
      case 'LCTL': {
        const r3 = r.chance(0.5) ? r1 : this.reg();
        return rs('LCTL', r.int(3), r3 & 3, R_DATA, r.chance(0.5) ? r.pick(this.cr1Words) - DATA - 4 : r.int(0x1000) & ~3);
      }
      case 'PTLB': return OP.PTLB << 24;
    }
    switch (d.format) {
      case 'RR': {
        let r2 = this.reg();
        // Branches to a register: keep them rare in effect (R13 is the code start: a restart).
        if (d.cls === 'branch' && r.chance(0.7)) r2 = r.chance(0.5) ? 0 : R_CODE;
        return rr(name, d.cls === 'branch' && name === 'BCR' ? r.int(16) : r1, r2);
      }
      case 'RR1': return (OP[name] << 24) | (r1 << 20);
      case 'RX': {
        if (d.cls === 'branch') {
          const target = this.here + 4 * r.range(1, 8) - CODE;
          return rx(name, name === 'BC' ? r.int(16) : r1, r.chance(0.9) ? R_CODE : this.reg(), target + (r.chance(0.03) ? 2 : 0));
        }
        if (name === 'LRA') return rx('LRA', r1, 0, r.chance(0.5) ? r.int(0x10000) : r.int(0x8000)) | (r.chance(0.5) ? 0 : (R_DATA << 16));
        if (name === 'LA') { const [b, disp] = this.operand(1, false); return rx('LA', r1, b, disp); }
        const width = BYTE_OPS.has(name) ? 1 : HALF_OPS.has(name) ? 2 : 4;
        const [b, disp] = this.operand(width, false);
        return rx(name, r1, b, disp);
      }
      case 'RS': {
        const [b, disp] = this.operand(4, true);
        return rs(name, r1, this.reg(), b, disp);
      }
      case 'RSH': return rs(name, r.chance(0.8) ? r1 & ~1 : r1, 0, r.chance(0.8) ? 0 : this.reg(), r.int(64) | (r.chance(0.1) ? 0x40 : 0));
      case 'RI': case 'RIU': return ri(name, r1, r.chance(0.5) ? r.pick(VALUES) : r.next());
      case 'RIB': {
        if (name === 'LARL') return ri(name, r1, r.range(-20, 20));
        return ri(name, name === 'BRC' ? r.int(16) : r1, r.range(1, 6));
      }
      case 'SI': { const [b, disp] = this.operand(1, true); return si(name, r.next(), b, disp); }
      case 'S': { const [b, disp] = this.operand(name === 'TS' ? 1 : 8, true); return s(name, b, disp); }
      case 'I': return (OP[name] << 24) | r.int(256);
      case 'E': return OP[name] << 24;
    }
    return 0x07000000;
  }

  /** LPSW of a fresh PSW: into problem state, DAT, masks, or a wait, usually resuming right after. */
  private lpswSnippet(): void {
    const r = this.r;
    const target = r.chance(0.8) ? this.here + 4 : CODE + 4 * r.int(this.codeWords);
    const a = this.data.put([this.pswFlags(), target + (r.chance(0.02) ? 2 : 0)], 8);
    if (a < 0) return;
    this.code.push(s('LPSW', R_DATA, a - DATA));
  }

  /** Point the CAW at a channel program and start / test / halt a device. */
  private ioSnippet(): void {
    const r = this.r, c = this.code;
    const dev = r.pick([DEV_CONSOLE, DEV_CONSOLE, DEV_READER, DEV_PUNCH, DEV_PRINTER, 0x00f]);
    c.push(rx('LA', 11, R_DATA, r.pick(this.ccwProgs) - DATA), rx('ST', 11, 0, LC_CAW));
    if (r.chance(0.1)) c.push(si('MVI', r.pick([0x01, 0x10]), 0, LC_CAW)); // CAW key / reserved bits
    c.push(s('SIO', 0, dev));
    const n = r.int(3);
    for (let i = 0; i < n; i++) c.push(s(r.pick(['TIO', 'TIO', 'HIO']), 0, dev));
    if (r.chance(0.3)) c.push(rx('L', r.range(1, 9), 0, 0x40), rx('L', r.range(1, 9), 0, 0x44)); // read the CSW
  }

  private timerSnippet(): void {
    const r = this.r, c = this.code;
    const op = r.pick(['SPT', 'SCKC', 'SCK', 'STPT', 'STCKC', 'STCK']);
    if (op.startsWith('ST')) { const [b, disp] = this.operand(8, true); c.push(s(op, b, disp)); }
    else c.push(s(op, R_DATA, r.pick(op === 'SCK' ? this.sckValues : this.clockValues) - DATA));
    if (r.chance(0.5)) c.push(si(r.pick(['STOSM', 'STNSM']), r.pick([0x01, 0x03, 0xfe, 0xfc, 0x07]), R_DATA, r.int(0x1000)));
  }

  private diagSnippet(): void {
    const r = this.r, c = this.code;
    const ra = r.range(1, 4) * 2, rb = ra + 1;
    const k = r.int(6);
    if (k < 3) {
      c.push(rx('LA', ra, R_DATA, this.msg - DATA + (k === 2 ? 0x2000 : 0)), ri('LHI', rb, k === 1 ? r.range(-2, 5000) : this.msgLen));
      c.push(rs('DIAG', ra, rb, 0, DIAG_CONSOLE_WRITE));
    } else if (k < 5) c.push(rs('DIAG', ra, rb, 0, DIAG_STORAGE_SIZE));
    else c.push(ri('LHI', ra, r.int(3)), rs('DIAG', ra, rb, 0, DIAG_TEST_RESULT));
  }

  private datSnippet(): void {
    const r = this.r, c = this.code;
    c.push(rs('LCTL', 1, 1, R_DATA, r.pick(this.cr1Words) - DATA));
    const k = r.int(4);
    if (k === 0) c.push(si('STOSM', 0x04, R_DATA, r.int(0x1000)));
    else if (k === 1) c.push(si('STNSM', 0xfb, R_DATA, r.int(0x1000)));
    else if (k === 2) c.push(OP.PTLB << 24);
    else c.push(rx('LRA', this.reg(), 0, r.int(0x20000)));
    if (r.chance(0.3)) c.push(rx('ST', this.reg(), 0, PT0 + 4 * r.int(16))); // rewrite a PTE (stale TLB entries)
  }

  private loopSnippet(): void {
    const r = this.r, c = this.code;
    c.push(ri('LHI', R_LOOP, r.range(2, 6)));
    const n = r.range(1, 5);
    for (let i = 0; i < n; i++) c.push(this.randomInstruction());
    c.push(ri('BRCT', R_LOOP, -n));
  }

  /** An enabled wait: for I/O, a timer, or both (after arming one), resuming after it. */
  private waitSnippet(): void {
    const r = this.r;
    // Arm something first (mostly): a short CPU timer, or an I/O operation.
    if (r.chance(0.5)) this.code.push(s('SPT', R_DATA, this.clockValues[r.int(4)] - DATA));
    else if (r.chance(0.8)) this.ioSnippet(); else this.timerSnippet();
    const flags = PSW_WAIT | r.pick([PSW_EXT, PSW_IO, PSW_EXT | PSW_IO, PSW_EXT | PSW_IO]) | (r.chance(0.1) ? PSW_DAT : 0);
    const a = this.data.put([flags, this.here + 4], 8);
    if (a >= 0) this.code.push(s('LPSW', R_DATA, a - DATA));
  }
}
