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
import { PSW_FIXED_OVERFLOW, PTE_PFRA } from './arch.ts';
import { OP } from './isa.ts';
import { A24, imm16, relTarget, unconditional, type Block, type DatCode } from './jit-scan.ts';

/**
 * True on a little-endian host (every one node runs on in practice): storage words hold
 * big-endian guest words as host int32s, so guest byte b is byte b ^ 3 of their buffer, and a
 * byte operand is one access of a byte view (JitCode.bytes) instead of a word's shift and mask.
 */
const LE = new Uint8Array(Int32Array.of(1).buffer)[0] === 1;

export { datCode, MAX_REGION, scan, scanBlocks, scanDat, type Block, type BlockScan, type DatCode, type DatScan, type Scan } from './jit-scan.ts';


/**
 * JavaScript source of the body of `function (cpu, n)` for the region of `len` instructions
 * `words` at `start` (virtual, with `dat` the real ranges they were read from): a region of one
 * block. It returns the unused budget and leaves cpu.ia/cpu.cc/cpu.gpr as the interpreter would
 * after the same instructions.
 */
export function generate(start: number, words: Int32Array, len: number, dat: DatCode | null = null): string {
  return generateBlocks([{ start, len, words }], dat);
}

/** The byte ranges [start, length] the blocks' instructions occupy (merged; blocks may overlap). */
export function codeRanges(blocks: readonly Block[]): [number, number][] {
  const iv = blocks.map((b) => [b.start, b.start + 4 * b.len]).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, e] of iv) {
    const last = out[out.length - 1];
    if (last !== undefined && a <= last[0] + last[1]) last[1] = Math.max(last[1], e - last[0]); else out.push([a, e - a]);
  }
  return out;
}

/**
 * JavaScript source of a region of several blocks (jit.ts: `scanBlocks`), the first one its head.
 * Each block is a `case` of one `switch (pc)` inside the region's loop, and a loop of its own
 * (`bN: for (;;)`): a branch back to the block's start stays in that inner loop, a branch to
 * another block's start goes round the switch, any other target leaves. A block starts an
 * iteration only with `n >= K` (K its length), so no block can overrun the slice. DAT on, regions
 * have one block (`scanDat`).
 */
export function generateBlocks(blocks: readonly Block[], dat: DatCode | null = null): string {
  const read = new Set<number>(), written = new Set<number>();
  const R = (k: number): string => { read.add(k); return `r${k}`; };
  const Wr = (k: number): string => { written.add(k); read.add(k); return `r${k}`; };
  /** Kinds of CC in a fast copy: LIT in `cc`; SIGN, the CC of the signed value ccs; NZ, 1 if ccs is not 0 else 0. */
  const LIT = 0, SIGN = 1, NZ = 2;
  /** Make the CC real before leaving (written `cc=`, unlike an instruction's own `cc = `). */
  const MAT = (k: number): string => (k === SIGN ? 'cc=ccs === 0 ? 0 : ccs < 0 ? 1 : 2; ' : k === NZ ? 'cc=ccs !== 0 ? 1 : 0; ' : '');
  const body: string[] = [];
  /** DAT on: ` || ` the real address `ra` is in the region's own code. */
  const SMC = dat === null ? '' : dat.ranges.map(([b, l]) => ` || ((ra - ${b}) >>> 0) < ${l}`).join('');
  /** DAT off: ` || ` the address `a` is in the region's own code. */
  const SMC_OFF = dat !== null ? '' : codeRanges(blocks).map(([b, l]) => ` || ((a - ${b}) >>> 0) < ${l}`).join('');
  const starts = new Set(blocks.map((b) => b.start));
  /**
   * DAT on: translate virtual `a` (a const already declared) as real() does, bailing on a miss, a
   * store to a protected page or a frame beyond storage; declares `ra`, the real address.
   */
  const XLATE = (store: boolean, BAIL: string): string =>
    ` const e = tlb[a >>> 12]; if ((e & ${store ? 3 : 1}) !== 1) ${BAIL}` +
    ` const ra = (e & ${PTE_PFRA}) | (a & 4095); if (ra >= size${store ? SMC : ''}) ${BAIL}`;

  let lazy = false; // some block has a fast copy (declares ccs)
  let bytes = false; // some instruction has a byte operand (declares m8)
  for (let bi = 0; bi < blocks.length; bi++) {
  const { start: S, len: K, words } = blocks[bi];
  /** What the normal pass learns for the fast copy (see below). */
  let dynamic = false, selfEdges = 0, mixed = false, kindEnd = LIT;
  const writers: Set<number>[] = [];
  /** Fast copy: the induction steps (instruction index -> its addend), added with no overflow test. */
  const steps = new Map<number, number | string>();
  const gen = (fast: boolean, kindTop: number, reenter = false): string[] => {
  const LABEL = fast ? `f${bi}` : `b${bi}`;
  const out: string[] = fast ? [] : [`      if (n < ${K}) { pc = ${S}; break x; }`];
  let kind = kindTop;
  for (let i = 0; i < K; i++) {
    const w = words[i], A = S + 4 * i, op = w >>> 24, r1 = (w >>> 20) & 15, r2 = (w >>> 16) & 15;
    const next = (A + 4) & A24;
    const before = kind;
    let after = -1; // the kind this instruction leaves (-1: a literal cc, or unchanged)
    const writes = new Set<number>();
    writers[i] = writes;
    const W = (k: number): string => { writes.add(k); return Wr(k); };
    /** Instructions completed in earlier iterations of a fast copy (it counts them; see below). */
    const DONE = fast ? `((e${bi} - r${(words[K - 1] >>> 20) & 15}) | 0) * ${K} + ` : '';
    /** Leave before instruction i: it has not been counted and has changed nothing. */
    const BAIL = `{ ${MAT(before)}pc = ${A}; n -= ${DONE}${i}; break x; }`;
    /** Instruction i completed and branches to `t` (a number, or an int32 expression already masked). */
    const GOTO = (t: number | string): string => {
      if (typeof t === 'number') {
        if (t === S) {
          if (i !== K - 1) selfEdges++;
          // The normal copy of a block with a fast copy goes back through the head (pc is S), so
          // that the fast copy takes over again after the iteration it could not run.
          return `{ n -= ${i + 1}; continue ${reenter && i === K - 1 ? 'x' : LABEL}; }`;
        }
        return `{ ${MAT(before)}pc = ${t}; n -= ${DONE}${i + 1}; ${starts.has(t) ? 'continue x' : 'break x'}; }`;
      }
      dynamic = true;
      return `{ const t = ${t}; n -= ${i + 1}; if (t === ${S}) continue ${LABEL}; ${MAT(before)}pc = t; continue x; }`;
    };
    /** Branch taken to a computed (RX) target: misaligned is a specification exception of the branch (PoO 4.6). */
    const TAKE = (t: number | string): string => typeof t === 'number'
      ? ((t & 3) !== 0 ? BAIL : GOTO(t))
      : `{ if ((${t} & 3) !== 0) ${BAIL} ${GOTO(t)} }`;
    /** The BC mask selects the CC; in a fast copy, read straight from ccs when the CC is lazy. */
    const TAKES = (m: number): string => {
      if (before === LIT) return `((${m} << cc) & 8) !== 0`;
      const t = before === SIGN ? [m & 8 ? 'ccs === 0' : '', m & 4 ? 'ccs < 0' : '', m & 2 ? 'ccs > 0' : '']
        : [m & 8 ? 'ccs === 0' : '', m & 4 ? 'ccs !== 0' : ''];
      const e = t.filter((x) => x !== '');
      return e.length === 0 ? 'false' : `(${e.join(' || ')})`;
    };
    /** Set the CC from a signed result (PoO 3.4); lazily in a fast copy. */
    const CC = (v: string): string => { if (!fast) return `cc = ${v} === 0 ? 0 : ${v} < 0 ? 1 : 2;`; after = SIGN; return `ccs = ${v};`; };
    /** D2(B2) of RX (signed 16-bit displacement): a number when B2 is 0. */
    const rx = (): number | string => { const b = r2, d = imm16(w); return b !== 0 ? `((${R(b)} + ${d}) & ${A24})` : d & A24; };
    /** D(B) of RSH/SI (12-bit displacement, base in bits 16-19). */
    const rs = (): number | string => { const b = (w >>> 12) & 15, d = w & 0xfff; return b !== 0 ? `((${R(b)} + ${d}) & ${A24})` : d; };
    /** Checks of an operand access (PoO 3.3 addressing, alignment) and, for stores, of self-modification. */
    const access = (align: number, store: boolean): string => {
      if (dat !== null) return `const a = ${rx()};${align !== 0 ? ` if ((a & ${align}) !== 0) ${BAIL}` : ''}${XLATE(store, BAIL)} const i = ra >>> 2;`;
      let c = `const a = ${rx()};`;
      c += ` if (${align !== 0 ? `(a & ${align}) !== 0 || ` : ''}a >= size${store ? SMC_OFF : ''}) ${BAIL}`;
      return c + ' const i = a >>> 2;';
    };
    /**
     * Signed add/subtract with the overflow rule of AR/SR (PoO 3.4): with the mask on, bail. The
     * sign rule, branch-free; adding a constant k (AHI) overflows exactly when the sum wraps past
     * p (below it for k > 0, above for k < 0): one compare. Both stay int32 in V8 whether or not
     * an overflow happens (testing the sum in doubles instead made V8 switch a region that once
     * overflowed to float adds for good: 10% slower on a wrapping sum, measured).
     */
    const addsub = (dst: number, p: string, q: string, sub: boolean, k?: number): string =>
      `{ const p = ${p}, q = ${q}; const s = (p ${sub ? '-' : '+'} q) | 0;` +
      ` if (${k !== undefined ? (k > 0 ? 's < p' : k < 0 ? 's > p' : 'false') : sub ? '((p ^ q) & (p ^ s)) < 0' : '((p ^ s) & (q ^ s)) < 0'}) { if (ovf) ${BAIL} cc = 3; } else ${CC('s')} ${W(dst)} = s; }`;
    const cmp = (p: string, q: string): string => `{ const p = ${p}, q = ${q}; cc = p === q ? 0 : p < q ? 1 : 2; }`;
    const logic = (dst: number, e: string): string => {
      if (!fast) return `{ const v = ${e}; ${W(dst)} = v; cc = v !== 0 ? 1 : 0; }`;
      after = NZ; return `{ const v = ${e}; ${W(dst)} = v; ccs = v; }`;
    };
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
        if (LE) { // byte b of storage is m8[b ^ 3] (LE)
          bytes = true;
          const b = `m8[${dat !== null ? 'ra' : 'a'} ^ 3]`;
          const e = op === OP.STC ? `${b} = ${R(r1)};` : op === OP.IC ? `${W(r1)} = (${R(r1)} & -256) | ${b};` : `${W(r1)} = ${b};`;
          c = `{ ${access(0, op === OP.STC)} ${e} }`; break;
        }
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
        const check = dat !== null ? `const a = ${rs()};${XLATE(wr, BAIL)}` : `const a = ${rs()}; if (a >= size${wr ? SMC_OFF : ''}) ${BAIL}`;
        const b = `m8[${dat !== null ? 'ra' : 'a'} ^ 3]`;
        if (LE) bytes = true;
        const head = LE ? `${check} const v = ${b};`
          : `${check} const i = ${dat !== null ? 'ra' : 'a'} >>> 2; const sh = 24 - ((a & 3) << 3); const v = (m[i] >>> sh) & 255;`;
        const put = (nv: string): string => (LE ? `${b} = ${nv};` : `m[i] = (m[i] & ~(255 << sh)) | (${nv} << sh);`);
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
      case OP.AHI: c = addsub(r1, R(r1), `${imm16(w)}`, false, imm16(w)); break; // AHI
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
    if (fast && steps.has(i)) {
      // An induction step of a fast copy: the iteration count is capped so that it cannot overflow (below).
      c = `{ const s = (${R(r1)} ${op === OP.SR ? '-' : '+'} ${op === OP.AHI ? imm16(w) : R(r2)}) | 0; ${CC('s')} ${W(r1)} = s; }`;
    }
    if (fast) {
      // In a fast copy an overflow leaves before the instruction: the interpreter sets CC 3 (or
      // raises the exception), so the lazy CC never has to say 3.
      c = c.split(`{ if (ovf) ${BAIL} cc = 3; }`).join(BAIL).split(`{ if (ovf) ${BAIL} r${r1} = v; cc = 3; }`).join(BAIL);
      // The closing BRCT/BCT: count the counter down; it reaching `stop` ends the `it` iterations.
      if (i === K - 1) c = `{ ${W(r1)} = (${R(r1)} - 1) | 0; if (r${r1} !== stop) continue ${LABEL}; }`;
    }
    const literal = /\bcc = /.test(c); // MAT() writes `cc=`: only the instruction's own CC matches
    if (literal && after !== -1) mixed = true;
    kind = literal ? LIT : after !== -1 ? after : kind;
    out.push(`      /* ${A} */ ${c}`);
  }
  // Falling off the end of the block (no unconditional branch closed it): all K completed; go
  // on in the block that starts there, if any.
  if (fast) {
    // All `it` iterations done: the counter ran out (fall through), or the budget did (stop at the start).
    const next = (S + 4 * K) & A24, c = (words[K - 1] >>> 20) & 15;
    out.push(`      n -= it * ${K}; if (r${c} !== 0) { ${MAT(kind)}break ${LABEL}; }`,
      `      ${MAT(kind)}pc = ${next}; ${starts.has(next) ? 'continue x' : 'break x'};`);
  } else if (!unconditional(words[K - 1])) {
    const next = (S + 4 * K) & A24;
    out.push(`      ${MAT(kind)}pc = ${next}; n -= ${K}; ${starts.has(next) ? 'continue x' : 'break x'};`);
  }
  kindEnd = kind;
  return out;
  };
  let normal = gen(false, LIT);
  body.push(`    case ${S}:`);
  // A fast copy of a counted loop: the block closes with BRCT/BCT back to its start on register
  // c, which nothing else in it writes, and nothing else in it branches back to its start or
  // anywhere computed. Then c iterations (unsigned) remain unless something leaves earlier, each
  // of exactly K instructions; the budget allows q = floor(n / K). The fast copy runs
  // it = min(c, q, the caps of its induction steps) iterations: no budget check per iteration,
  // and c itself is the trip counter, compared with the value it has after the last of them,
  // stop = c - it (one decrement and one compare per iteration, as a plain JS loop has; only the
  // last can bring c to 0). Every way out subtracts what it completed, (e - c) * K + i with e the
  // counter on entry; after `it` iterations with c not 0 (budget or cap) the normal copy goes on.
  // The CC is kept lazily in ccs (SIGN: the CC of a signed result, NZ: of a logical one), made a
  // real CC at every way out; an overflow leaves to the interpreter. Entered only when the CC on
  // entry can be said lazily (kindEnd of the block).
  const last = words[K - 1], lop = last >>> 24, c = (last >>> 20) & 15;
  const closes = (lop === OP.BRCT && relTarget(S + 4 * (K - 1), last) === S) || (lop === OP.BCT && ((last >>> 16) & 15) === 0 && (imm16(last) & A24) === S);
  if (closes && !dynamic && selfEdges === 0 && !writers.slice(0, K - 1).some((ws) => ws.has(c))) {
    // Induction steps: AR/SR Rx,Ry or AHI Rx,I where Rx is written by nothing else in the block
    // and Ry by nothing at all. In every iteration each runs once (the copy is straight: any other
    // branch leaves it), so after k of them Rx = Rx0 + k * step, monotone: capping the iterations at
    // the most that keep Rx0 + it * step in int32 removes their overflow test; the iteration that
    // would overflow runs in the normal copy (which follows), exactly as before.
    for (let i = 0; i < K - 1; i++) {
      const w = words[i], op = w >>> 24, x = (w >>> 20) & 15, y = (w >>> 16) & 15;
      if ((op !== OP.AR && op !== OP.SR && op !== OP.AHI) || writers.some((ws, k) => k !== i && ws.has(x))) continue;
      if (op === OP.AHI) steps.set(i, imm16(w));
      else if (y !== x && !writers.some((ws) => ws.has(y))) steps.set(i, op === OP.SR ? `-${R(y)}` : R(y));
    }
    gen(true, LIT); // learn the kind the block leaves
    const top = kindEnd;
    const fastLines = gen(true, top);
    if (!mixed && kindEnd === top) {
      lazy = true;
      const enter = top === SIGN ? 'cc <= 2' : top === NZ ? 'cc <= 1' : 'true';
      const init = top === SIGN ? 'ccs = cc === 0 ? 0 : cc === 1 ? -1 : 1; ' : top === NZ ? 'ccs = cc; ' : '';
      // The most iterations each step allows: Rx0 + it * step stays in [-2^31, 2^31 - 1] (exact in doubles).
      const caps = [...steps].map(([i, d]) => {
        const x = `r${(words[i] >>> 20) & 15}`;
        const up = `Math.floor((2147483647 - ${x}) / d${i})`, down = `Math.floor((${x} + 2147483648) / -d${i})`;
        const l = typeof d === 'number' ? (d === 0 ? 'it' : d > 0 ? up : down) : `d${i} > 0 ? ${up} : d${i} < 0 ? ${down} : it`;
        return `{ const d${i} = ${d}, l = ${l}; if (l < it) it = l | 0; } `;
      }).join('');
      const head = `const q = (n / ${K}) | 0; let it = (r${c} >>> 0) < q ? (r${c} >>> 0) : q; ${caps}`;
      const loop = `${init}const e${bi} = r${c}, stop = (r${c} - it) | 0; f${bi}: for (;;) {`;
      body.push(`      if ((r${c} >>> 0) !== 0 && n >= ${K} && ${enter}) { ${head}if (it > 0) { ${loop}`, ...fastLines, '      } } }');
      normal = gen(false, LIT, true);
    }
  }
  body.push(`    b${bi}: for (;;) {`, ...normal, '    }');
  }

  const regs = [...read].sort((a, b) => a - b);
  return [
    '"use strict";',
    'return function region(cpu, n) {',
    '  n = n | 0;',
    `  const r = cpu.gpr, m = cpu.mem, size = cpu.size | 0, ovf = (cpu.flags & ${PSW_FIXED_OVERFLOW}) !== 0;`,
    ...(dat !== null ? ['  const tlb = cpu.tlb;'] : []),
    ...(bytes ? ['  const m8 = cpu.jitCode.bytes(m);'] : []),
    `  let cc = cpu.cc | 0, pc = ${blocks[0].start};`,
    ...(lazy ? ['  let ccs = 0;'] : []),
    ...regs.map((k) => `  let r${k} = r[${k}] | 0;`),
    '  x: for (;;) {',
    '    switch (pc) {',
    ...body,
    '    default: break x;',
    '    }',
    '  }',
    ...[...written].sort((a, b) => a - b).map((k) => `  r[${k}] = r${k};`),
    '  cpu.ia = pc; cpu.cc = cc;',
    '  return n;',
    '};',
  ].join('\n');
}
