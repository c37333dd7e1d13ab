/**
 * The loop JIT's code generator: one hot loop region (a straight run of innocuous instructions at
 * a loop head S, closed by a branch back to S) becomes the JavaScript source of one function that
 * runs whole iterations as a JS `while` over local registers.
 *
 * Every case below is a transcription of the same case in `execute()` (interp.ts), which stays the
 * reference; test/jit.test.ts checks the two against each other on random programs. The rules
 * carried over, and how:
 *
 * - Budget: the loop runs an iteration only while `n >= K` (K = instructions in the region), so
 *   no iteration can overrun the slice; each way out subtracts exactly the instructions it
 *   completed. An instruction that leaves has not been counted; one that completes has.
 * - Faults: an instruction that could raise a program exception (addressing, specification for
 *   alignment or a misaligned branch target, fixed-point overflow with the PSW mask on) or that
 *   stores into the region's own code (self-modifying code) *bails out before it changes
 *   anything*: pc = its address, registers and CC as after the previous instruction. The
 *   interpreter then executes it again and raises the exception itself, so every exception is
 *   raised in exactly one place.
 * - DAT off: an operand's real address is its 24-bit logical address and "a < size" is the
 *   whole addressing check (PoO 3.3). This code is generated exactly as before DAT-on regions
 *   existed: no translation, no extra test.
 * - DAT on (`scanDat`, a `DatCode` for `generate`): instruction addresses are virtual, the words
 *   were read from the real addresses the code pages map to (jit.ts checks those mappings and
 *   words on every entry). Each operand is translated through `cpu.tlb` exactly as `real()` in
 *   interp.ts does; a TLB miss, or a store to a protected page, bails out before the instruction
 *   so that the interpreter takes the miss or raises the protection exception itself (PoO 6.2).
 *   The TLB cannot change while compiled code runs (nothing in a region touches it). A store is
 *   checked for self-modification by its *real* address against the region's real words, which
 *   also catches a store through another virtual page aliasing the code's frame.
 *
 * Security: the source contains only numbers computed here from instruction fields and
 * addresses, never text taken from the guest (STYLE.md, "Speed").
 */
import { PSW_FIXED_OVERFLOW, PTE_PFRA, TLB_VALID } from './arch.ts';
import { HANDLERS } from './handlers.ts';
import { ISA, OP } from './isa.ts';

/** Longest region, in instructions. */
export const MAX_REGION = 64;

/** What `scan()` found at a loop head. */
export interface Scan {
  /** Instructions in the region (0: nothing compilable). */
  len: number;
  /** Words read while scanning (the region plus the word that stopped the scan): the code-cache key. */
  words: Int32Array;
  /** True when some branch in the region can go back to the head (the region is a loop). */
  loops: boolean;
}

/** What `scanDat()` found: also where the words were read. */
export interface DatScan extends Scan {
  /** Real address of each of `words`. */
  reals: Int32Array;
  /** The virtual page after the head's, when words were read through it, else -1. */
  page2: number;
  /** That page's TLB entry, frame | TLB_VALID (the protection bit does not matter to a fetch). */
  entry2: number;
}

/** What a DAT-on region's code needs besides its words: the real ranges of its instructions. */
export interface DatCode {
  /** [real start, byte length] of the region's instructions, one or two (a page boundary). */
  ranges: [number, number][];
}

/**
 * Opcodes the generator handles, derived from the ISA table: exactly the hot-loop instructions of
 * execute() (unprivileged, with no slow-path handler) except SVC, which always leaves the loop.
 */
const SUPPORTED = new Uint8Array(256);
for (const d of ISA) if (!d.privileged && !HANDLERS[d.opcode] && d.opcode !== OP.SVC) SUPPORTED[d.opcode] = 1;

const A24 = 0xffffff;
const imm16 = (w: number): number => (w << 16) >> 16;
/** Target of a relative branch at `a` (RIB: signed words, PoO 4.6). */
const relTarget = (a: number, w: number): number => (a + (imm16(w) << 2)) & A24;

/** True when the instruction always leaves the straight line (the region ends with it). */
function unconditional(w: number): boolean {
  const op = w >>> 24, r1 = (w >>> 20) & 15, r2 = (w >>> 16) & 15;
  switch (op) {
    case OP.BALR: return r2 !== 0; // BALR
    case OP.BCR: return r1 === 15 && r2 !== 0; // BCR 15
    case OP.BAL: case OP.BRAS: return true; // BAL, BRAS
    case OP.BC: case OP.BRC: return r1 === 15; // BC 15, BRC 15
    default: return false;
  }
}

/**
 * The target the branch `w` at `a` would take with registers `gpr`, or -1 if it is no branch.
 * For register-based targets this is a guess (a loop's base register rarely changes); it only
 * decides whether the region looks like a loop, never what the compiled code does.
 */
function guessTarget(w: number, a: number, gpr: Int32Array): number {
  const op = w >>> 24, r2 = (w >>> 16) & 15;
  switch (op) {
    case OP.BALR: case OP.BCTR: case OP.BCR: return r2 !== 0 ? gpr[r2] & A24 : -1;
    case OP.BAL: case OP.BCT: case OP.BC: return ((r2 !== 0 ? gpr[r2] : 0) + imm16(w)) & A24;
    case OP.BRC: case OP.BRAS: case OP.BRCT: return relTarget(a, w);
    default: return -1;
  }
}

/** Find the region at `start` in storage `mem` (DAT off: addresses are real). */
export function scan(mem: Int32Array, start: number, gpr: Int32Array): Scan {
  const size = mem.length << 2;
  const words: number[] = [];
  let len = 0, loops = false;
  for (let a = start; len < MAX_REGION && a < size; a += 4) {
    const w = mem[a >>> 2];
    words.push(w);
    if (!SUPPORTED[w >>> 24]) break;
    len++;
    if (guessTarget(w, a, gpr) === start) loops = true;
    if (unconditional(w)) break;
  }
  return { len, words: Int32Array.from(words), loops };
}

/**
 * Find the region at virtual `start` with DAT on: the same rules as `scan()`, the words read from
 * the real addresses `tlb` maps them to. It stops before a page whose TLB entry is not valid,
 * before a real address beyond storage (the interpreter then does the fetch, and the miss), and
 * at the end of the 24-bit space (no wrap inside a region). A region of at most MAX_REGION words
 * spans at most two pages; jit.ts verifies both mappings on every entry.
 */
export function scanDat(mem: Int32Array, tlb: Int32Array, start: number, gpr: Int32Array): DatScan {
  const size = mem.length << 2;
  const words: number[] = [], reals: number[] = [];
  let len = 0, loops = false, page2 = -1, entry2 = 0;
  for (let a = start; len < MAX_REGION && a <= A24; a += 4) {
    const e = tlb[a >>> 12];
    if ((e & TLB_VALID) === 0) break;
    const ra = (e & PTE_PFRA) | (a & 0xfff);
    if (ra >= size) break;
    if ((a >>> 12) !== (start >>> 12)) { page2 = a >>> 12; entry2 = e & (PTE_PFRA | TLB_VALID); }
    const w = mem[ra >>> 2];
    words.push(w); reals.push(ra);
    if (!SUPPORTED[w >>> 24]) break;
    len++;
    if (guessTarget(w, a, gpr) === start) loops = true;
    if (unconditional(w)) break;
  }
  return { len, words: Int32Array.from(words), loops, reals: Int32Array.from(reals), page2, entry2 };
}

/** The real ranges of the first `len` words of a DAT scan (contiguous runs of `reals`). */
export function datCode(reals: Int32Array, len: number): DatCode {
  const ranges: [number, number][] = [];
  for (let i = 0; i < len; i++) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last[0] + last[1] === reals[i]) last[1] += 4; else ranges.push([reals[i], 4]);
  }
  return { ranges };
}

/**
 * JavaScript source of the body of `function (cpu, n)` for the region of `len` instructions
 * `words` at `start` (virtual, with `dat` the real ranges they were read from). It returns the unused budget and leaves cpu.ia/cpu.cc/cpu.gpr as the
 * interpreter would after the same instructions.
 */
export function generate(start: number, words: Int32Array, len: number, dat: DatCode | null = null): string {
  const S = start, K = len, LEN = 4 * len;
  const read = new Set<number>(), written = new Set<number>();
  const R = (k: number): string => { read.add(k); return `r${k}`; };
  const W = (k: number): string => { written.add(k); read.add(k); return `r${k}`; };
  const body: string[] = [];
  const CC = (v: string): string => `cc = ${v} === 0 ? 0 : ${v} < 0 ? 1 : 2;`; // PoO 3.4, ccOf()
  /** DAT on: ` || ` the real address `ra` is in the region's own code. */
  const SMC = dat === null ? '' : dat.ranges.map(([b, l]) => ` || ((ra - ${b}) >>> 0) < ${l}`).join('');
  /**
   * DAT on: translate virtual `a` (a const already declared) as real() does, bailing on a miss, a
   * store to a protected page or a frame beyond storage; declares `ra`, the real address.
   */
  const XLATE = (store: boolean, BAIL: string): string =>
    ` const e = tlb[a >>> 12]; if ((e & ${store ? 3 : 1}) !== 1) ${BAIL}` +
    ` const ra = (e & ${PTE_PFRA}) | (a & 4095); if (ra >= size${store ? SMC : ''}) ${BAIL}`;

  for (let i = 0; i < K; i++) {
    const w = words[i], A = S + 4 * i, op = w >>> 24, r1 = (w >>> 20) & 15, r2 = (w >>> 16) & 15;
    const next = (A + 4) & A24;
    /** Leave before instruction i: it has not been counted and has changed nothing. */
    const BAIL = `{ pc = ${A}; n -= ${i}; break x; }`;
    /** Instruction i completed and branches to `t` (a number, or an int32 expression already masked). */
    const GOTO = (t: number | string): string => {
      if (typeof t === 'number') return t === S ? `{ n -= ${i + 1}; continue; }` : `{ pc = ${t}; n -= ${i + 1}; break x; }`;
      return `{ const t = ${t}; if (t === ${S}) { n -= ${i + 1}; continue; } pc = t; n -= ${i + 1}; break x; }`;
    };
    /** Branch taken to a computed (RX) target: misaligned is a specification exception of the branch (PoO 4.6). */
    const TAKE = (t: number | string): string => typeof t === 'number'
      ? ((t & 3) !== 0 ? BAIL : GOTO(t))
      : `{ if ((${t} & 3) !== 0) ${BAIL} ${GOTO(t)} }`;
    const TAKES = (m: number): string => `((${m} << cc) & 8) !== 0`; // BC mask selects the CC
    /** D2(B2) of RX (signed 16-bit displacement): a number when B2 is 0. */
    const rx = (): number | string => { const b = r2, d = imm16(w); return b !== 0 ? `((${R(b)} + ${d}) & ${A24})` : d & A24; };
    /** D(B) of RSH/SI (12-bit displacement, base in bits 16-19). */
    const rs = (): number | string => { const b = (w >>> 12) & 15, d = w & 0xfff; return b !== 0 ? `((${R(b)} + ${d}) & ${A24})` : d; };
    /** Checks of an operand access (PoO 3.3 addressing, alignment) and, for stores, of self-modification. */
    const access = (align: number, store: boolean): string => {
      if (dat !== null) return `const a = ${rx()};${align !== 0 ? ` if ((a & ${align}) !== 0) ${BAIL}` : ''}${XLATE(store, BAIL)} const i = ra >>> 2;`;
      let c = `const a = ${rx()};`;
      c += ` if (${align !== 0 ? `(a & ${align}) !== 0 || ` : ''}a >= size${store ? ` || ((a - ${S}) >>> 0) < ${LEN}` : ''}) ${BAIL}`;
      return c + ' const i = a >>> 2;';
    };
    /** Signed add/subtract with the overflow rule of AR/SR (PoO 3.4): with the mask on, bail. */
    const addsub = (dst: number, p: string, q: string, sub: boolean): string =>
      `{ const p = ${p}, q = ${q}; const s = (p ${sub ? '-' : '+'} q) | 0;` +
      ` if (${sub ? '((p ^ q) & (p ^ s))' : '((p ^ s) & (q ^ s))'} < 0) { if (ovf) ${BAIL} cc = 3; } else ${CC('s')} ${W(dst)} = s; }`;
    const cmp = (p: string, q: string): string => `{ const p = ${p}, q = ${q}; cc = p === q ? 0 : p < q ? 1 : 2; }`;
    const logic = (dst: number, e: string): string => `{ const v = ${e}; ${W(dst)} = v; cc = v !== 0 ? 1 : 0; }`;
    let c: string;
    switch (op) {
      case OP.BALR: c = r2 !== 0 ? `{ const t0 = ${R(r2)}; if ((t0 & 3) !== 0) ${BAIL} ${W(r1)} = ${next}; ${GOTO('t0 & ' + A24)} }` : `${W(r1)} = ${next};`; break; // BALR
      case OP.BCTR: c = r2 !== 0 // BCTR: the target is read before R1 changes (R1 may be R2)
        ? `{ const t0 = ${R(r2)}; const v = (${R(r1)} - 1) | 0; if (v !== 0) { if ((t0 & 3) !== 0) ${BAIL} ${W(r1)} = v; ${GOTO('t0 & ' + A24)} } ${W(r1)} = v; }`
        : `${W(r1)} = (${R(r1)} - 1) | 0;`; break;
      case OP.BCR: // BCR
        if (r2 === 0 || r1 === 0) c = '';
        else { const t = `{ const t0 = ${R(r2)}; if ((t0 & 3) !== 0) ${BAIL} ${GOTO('t0 & ' + A24)} }`; c = r1 === 15 ? t : `if (${TAKES(r1)}) ${t}`; }
        break;
      case OP.MSR: c = `${W(r1)} = Math.imul(${R(r1)}, ${R(r2)});`; break; // MSR
      case OP.LPR: c = `{ const v = ${R(r2)}; if (v === -2147483648) { if (ovf) ${BAIL} ${W(r1)} = v; cc = 3; } else { const a = v < 0 ? -v : v; ${W(r1)} = a; cc = a === 0 ? 0 : 2; } }`; break; // LPR
      case OP.LNR: c = `{ const v = ${R(r2)}; const a = (v > 0 ? -v : v) | 0; ${W(r1)} = a; cc = a === 0 ? 0 : 1; }`; break; // LNR
      case OP.LTR: c = `{ const v = ${R(r2)}; ${W(r1)} = v; ${CC('v')} }`; break; // LTR
      case OP.LCR: c = `{ const v = ${R(r2)}; if (v === -2147483648) { if (ovf) ${BAIL} ${W(r1)} = v; cc = 3; } else { const a = -v | 0; ${W(r1)} = a; ${CC('a')} } }`; break; // LCR
      case OP.NR: c = logic(r1, `${R(r1)} & ${R(r2)}`); break; // NR
      case OP.CLR: c = cmp(`${R(r1)} >>> 0`, `${R(r2)} >>> 0`); break; // CLR
      case OP.OR: c = logic(r1, `${R(r1)} | ${R(r2)}`); break; // OR
      case OP.XR: c = logic(r1, `${R(r1)} ^ ${R(r2)}`); break; // XR
      case OP.LR: c = `${W(r1)} = ${R(r2)};`; break; // LR
      case OP.CR: c = cmp(R(r1), R(r2)); break; // CR
      case OP.AR: c = addsub(r1, R(r1), R(r2), false); break; // AR
      case OP.SR: c = addsub(r1, R(r1), R(r2), true); break; // SR
      case OP.ALR: c = `{ const p = ${R(r1)} >>> 0, q = ${R(r2)} >>> 0; const s = p + q; const v = s | 0; ${W(r1)} = v; cc = (v !== 0 ? 1 : 0) | (s > 4294967295 ? 2 : 0); }`; break; // ALR
      case OP.SLR: c = `{ const p = ${R(r1)} >>> 0, q = ${R(r2)} >>> 0; const v = (p - q) | 0; ${W(r1)} = v; cc = (v !== 0 ? 1 : 0) | (p >= q ? 2 : 0); }`; break; // SLR
      case OP.LA: c = `${W(r1)} = ${rx()};`; break; // LA
      case OP.BAL: { const t = rx(); c = typeof t === 'number' ? ((t & 3) !== 0 ? BAIL : `{ ${W(r1)} = ${next}; ${GOTO(t)} }`) // BAL
        : `{ const t1 = ${t}; if ((t1 & 3) !== 0) ${BAIL} ${W(r1)} = ${next}; ${GOTO('t1')} }`; break; }
      case OP.BCT: { const t = rx(); // BCT: target computed from the old registers, then R1 = R1 - 1
        c = `{ const t1 = ${t}; const v = (${R(r1)} - 1) | 0; if (v !== 0) { if ((t1 & 3) !== 0) ${BAIL} ${W(r1)} = v; ${GOTO(typeof t === 'number' ? t : 't1')} } ${W(r1)} = v; }`; break; }
      case OP.BC: { const t = rx(); // BC
        c = r1 === 0 ? '' : r1 === 15 ? TAKE(t) : `if (${TAKES(r1)}) ${TAKE(t)}`; break; }
      case OP.L: case OP.ST: case OP.N: case OP.CL: case OP.O: case OP.X: case OP.C: case OP.A: case OP.S: case OP.AL: case OP.SL: case OP.MS: {
        const acc = access(3, op === OP.ST);
        let e: string;
        switch (op) {
          case OP.L: e = `${W(r1)} = m[i];`; break; // L
          case OP.ST: e = `m[i] = ${R(r1)};`; break; // ST
          case OP.N: e = logic(r1, `${R(r1)} & m[i]`); break; // N
          case OP.O: e = logic(r1, `${R(r1)} | m[i]`); break; // O
          case OP.X: e = logic(r1, `${R(r1)} ^ m[i]`); break; // X
          case OP.CL: e = cmp(`${R(r1)} >>> 0`, 'm[i] >>> 0'); break; // CL
          case OP.C: e = cmp(R(r1), 'm[i]'); break; // C
          case OP.A: e = addsub(r1, R(r1), 'm[i]', false); break; // A
          case OP.S: e = addsub(r1, R(r1), 'm[i]', true); break; // S
          case OP.AL: e = `{ const p = ${R(r1)} >>> 0, q = m[i] >>> 0; const s = p + q; const v = s | 0; ${W(r1)} = v; cc = (v !== 0 ? 1 : 0) | (s > 4294967295 ? 2 : 0); }`; break; // AL
          case OP.SL: e = `{ const p = ${R(r1)} >>> 0, q = m[i] >>> 0; const v = (p - q) | 0; ${W(r1)} = v; cc = (v !== 0 ? 1 : 0) | (p >= q ? 2 : 0); }`; break; // SL
          default: e = `${W(r1)} = Math.imul(${R(r1)}, m[i]);`; // MS
        }
        c = `{ ${acc} ${e} }`; break;
      }
      case OP.STH: case OP.LH: case OP.CH: case OP.AH: case OP.SH: case OP.MH: case OP.LLH: { // halfword operands
        const acc = access(1, op === OP.STH) + ' const sh = 16 - ((a & 2) << 3);';
        if (op === OP.STH) { c = `{ ${acc} m[i] = (m[i] & ~(65535 << sh)) | ((${R(r1)} & 65535) << sh); }`; break; } // STH
        const h = 'const h = (m[i] >>> sh) & 65535; const hs = (h << 16) >> 16;';
        let e: string;
        switch (op) {
          case OP.LH: e = `${W(r1)} = hs;`; break; // LH
          case OP.LLH: e = `${W(r1)} = h;`; break; // LLH
          case OP.CH: e = cmp(R(r1), 'hs'); break; // CH
          case OP.MH: e = `${W(r1)} = Math.imul(${R(r1)}, hs);`; break; // MH
          default: e = addsub(r1, R(r1), 'hs', op === OP.SH); // AH, SH
        }
        c = `{ ${acc} ${h} ${e} }`; break;
      }
      case OP.STC: case OP.IC: case OP.LLC: { // STC, IC, LLC
        const acc = access(0, op === OP.STC) + ' const sh = 24 - ((a & 3) << 3);';
        const e = op === OP.STC ? `m[i] = (m[i] & ~(255 << sh)) | ((${R(r1)} & 255) << sh);`
          : op === OP.IC ? `${W(r1)} = (${R(r1)} & -256) | ((m[i] >>> sh) & 255);` : `${W(r1)} = (m[i] >>> sh) & 255;`;
        c = `{ ${acc} ${e} }`; break;
      }
      case OP.SRL: case OP.SLL: case OP.SRA: case OP.SLA: { // shifts: amount = low 6 bits of D2(B2)
        const t = rs(); const s = typeof t === 'number' ? `${t & 63}` : `(${t} & 63)`;
        if (op === OP.SRL) c = `{ const s = ${s}; ${W(r1)} = s > 31 ? 0 : (${R(r1)} >>> s) | 0; }`; // SRL
        else if (op === OP.SLL) c = `{ const s = ${s}; ${W(r1)} = s > 31 ? 0 : ${R(r1)} << s; }`; // SLL
        else if (op === OP.SRA) c = `{ const s = ${s}; const t = ${R(r1)} >> (s > 31 ? 31 : s); ${W(r1)} = t; ${CC('t')} }`; // SRA
        else c = `{ const s = ${s}; const v = ${R(r1)}; const sign = v & -2147483648; let t = 0, lost = false;` + // SLA (PoO 4.7)
          ` if (s > 30) { t = sign; lost = v !== 0 && !(v === -1 && s === 31); } else { const out = v >> (31 - s); lost = out !== 0 && out !== -1; t = sign | ((v << s) & 2147483647); }` +
          ` if (lost) { if (ovf) ${BAIL} cc = 3; } else ${CC('t')} ${W(r1)} = t; }`;
        break;
      }
      case OP.TM: case OP.MVI: case OP.NI: case OP.CLI: case OP.OI: case OP.XI: { // SI on a byte
        const imm = (w >>> 16) & 0xff; const wr = op !== OP.TM && op !== OP.CLI;
        const head = dat !== null ? `const a = ${rs()};${XLATE(wr, BAIL)} const i = ra >>> 2; const sh = 24 - ((a & 3) << 3); const v = (m[i] >>> sh) & 255;`
          : `const a = ${rs()}; if (a >= size${wr ? ` || ((a - ${S}) >>> 0) < ${LEN}` : ''}) ${BAIL}` +
          ' const i = a >>> 2; const sh = 24 - ((a & 3) << 3); const v = (m[i] >>> sh) & 255;';
        const put = (nv: string): string => `m[i] = (m[i] & ~(255 << sh)) | (${nv} << sh);`;
        switch (op) {
          case OP.TM: c = `{ ${head} const t = v & ${imm}; cc = t === 0 ? 0 : t === ${imm} ? 3 : 1; }`; break; // TM
          case OP.CLI: c = `{ ${head} cc = v === ${imm} ? 0 : v < ${imm} ? 1 : 2; }`; break; // CLI
          case OP.MVI: c = `{ ${head} ${put(`${imm}`)} }`; break; // MVI
          default: { const o = op === OP.NI ? '&' : op === OP.OI ? '|' : '^'; // NI, OI, XI
            c = `{ ${head} const nv = v ${o} ${imm}; cc = nv !== 0 ? 1 : 0; ${put('nv')} }`; }
        }
        break;
      }
      case OP.LHI: c = `${W(r1)} = ${imm16(w)};`; break; // LHI
      case OP.AHI: c = addsub(r1, R(r1), `${imm16(w)}`, false); break; // AHI
      case OP.CHI: c = cmp(R(r1), `${imm16(w)}`); break; // CHI
      case OP.MHI: c = `${W(r1)} = Math.imul(${R(r1)}, ${imm16(w)});`; break; // MHI
      case OP.LUH: c = `${W(r1)} = ${w << 16};`; break; // LUH
      case OP.OIL: c = `${W(r1)} = ${R(r1)} | ${w & 0xffff};`; break; // OIL
      case OP.NIL: c = `{ const v = ${R(r1)} & ${w | 0xffff0000}; ${W(r1)} = v; cc = (v & 65535) !== 0 ? 1 : 0; }`; break; // NIL
      case OP.XIL: c = `{ const v = ${R(r1)} ^ ${w & 0xffff}; ${W(r1)} = v; cc = (v & 65535) !== 0 ? 1 : 0; }`; break; // XIL
      case OP.BRC: c = r1 === 0 ? '' : r1 === 15 ? GOTO(relTarget(A, w)) : `if (${TAKES(r1)}) ${GOTO(relTarget(A, w))}`; break; // BRC
      case OP.BRAS: c = `{ ${W(r1)} = ${next}; ${GOTO(relTarget(A, w))} }`; break; // BRAS
      case OP.BRCT: c = `{ const v = (${R(r1)} - 1) | 0; ${W(r1)} = v; if (v !== 0) ${GOTO(relTarget(A, w))} }`; break; // BRCT
      case OP.LARL: c = `${W(r1)} = ${relTarget(A, w)};`; break; // LARL
      default: throw new Error(`jit: opcode ${op} is not supported (scan() admitted it)`);
    }
    body.push(`      /* ${A} */ ${c}`);
  }
  // Falling off the end of the region (no unconditional branch closed it): all K completed.
  if (!unconditional(words[K - 1])) body.push(`      pc = ${(S + LEN) & A24}; n -= ${K}; break x;`);

  const regs = [...read].sort((a, b) => a - b);
  return [
    '"use strict";',
    'return function region(cpu, n) {',
    '  n = n | 0;',
    `  const r = cpu.gpr, m = cpu.mem, size = cpu.size | 0, ovf = (cpu.flags & ${PSW_FIXED_OVERFLOW}) !== 0;`,
    ...(dat !== null ? ['  const tlb = cpu.tlb;'] : []),
    `  let cc = cpu.cc | 0, pc = ${S};`,
    ...regs.map((k) => `  let r${k} = r[${k}] | 0;`),
    '  x: {',
    `    while (n >= ${K}) {`,
    ...body,
    '    }',
    '  }',
    ...[...written].sort((a, b) => a - b).map((k) => `  r[${k}] = r${k};`),
    '  cpu.ia = pc; cpu.cc = cc;',
    '  return n;',
    '};',
  ].join('\n');
}
