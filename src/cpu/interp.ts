/**
 * The interpreter's hot loop: fetch, decode and execute innocuous instructions over local
 * variables until the slice is spent or an instruction needs the slow path.
 *
 * Rules that keep it fast (see STYLE.md, "Speed"): every guest value is int32 (`| 0`), the
 * budget is a local, no allocation, no exceptions, a flat `switch` on the opcode. Anything rare
 * or privileged leaves with an exit code; CPU.run() finishes it. An instruction that leaves has
 * not been counted; one that completes here has.
 */
import { PGM_ADDRESSING, PGM_FIXED_OVERFLOW, PGM_PROTECTION, PGM_SPECIFICATION, PSW_DAT, PSW_FIXED_OVERFLOW, PTE_PFRA, TLB_PROTECT, TLB_VALID } from './arch.ts';
import type { CPU } from './cpu.ts';
import { EV_STEP } from './events.ts';
import { PRIVILEGED } from './isa.ts';

/** Exit codes of execute(). */
export const X_BUDGET = 0; // slice spent
export const X_PGM = 1; // program exception cpu.xcode for the instruction at cpu.ia
export const X_SVC = 2; // SUPERVISOR CALL at cpu.ia
export const X_SLOW = 3; // instruction at cpu.ia needs the slow path (privileged, rare)
export const X_ACCESS = 4; // storage access failed: cpu.xcode (program code or XLATE_MISS), cpu.xaddr
/** The instruction at cpu.ia is the target of a hot backward branch that completed and counted: CPU.run() offers it to the loop JIT (jit.ts). */
export const X_HOT = 5;
/** Taken-backward-branch counters, one per hash of the target (a collision only costs a JIT lookup). */
export const HOT_SIZE = 4096;
/** The host that finished an instruction within the loop (CPU.finishInline) ends the run: CPU.run() returns cpu.hostStop. */
export const X_STOP = 6;
/**
 * CPU.finishInline results besides an exit code to leave with (X_BUDGET: the slice ends; X_STOP):
 * not finished (the loop leaves as it would), or finished, go on. cpu.xuncounted: 1 when the
 * finished instruction did not count (it is retried).
 */
export const INLINE_NONE = -1;
export const INLINE_GO = -2;
/** cpu.xcode for a TLB miss (resolve by a table walk or a host's shadow fill, then retry). */
export const XLATE_MISS = -1;

/**
 * Real address for an operand access at 24-bit address `a`, or -1 with cpu.xcode/xaddr set.
 * `align` is the alignment mask (3 word, 1 halfword, 0 byte); `write` is 1 for stores (PoO 3.3, 6.2).
 * Small enough for V8 to inline into the loop.
 */
function real(cpu: CPU, a: number, align: number, write: number, dat: boolean, tlb: Int32Array, size: number): number {
  if ((a & align) !== 0) { cpu.xcode = PGM_SPECIFICATION; cpu.xaddr = -1; return -1; }
  if (!dat) {
    if (a < size) return a;
    cpu.xcode = PGM_ADDRESSING; cpu.xaddr = -1; return -1;
  }
  const e = tlb[a >>> 12];
  if ((e & TLB_VALID) === 0) { cpu.xcode = XLATE_MISS; cpu.xaddr = a; cpu.xwrite = write !== 0; return -1; }
  if (write !== 0 && (e & TLB_PROTECT) !== 0) {
    cpu.xcode = PGM_PROTECTION; cpu.xaddr = a; cpu.xwrite = true; return -1;
  }
  return (e & PTE_PFRA) | (a & 0xfff);
}

/** Count a taken backward branch to `t`; true when its counter reaches `thr` (-1: never, JIT off). */
function hot(c: Uint16Array, t: number, thr: number): boolean {
  const h = (t >>> 2) & (HOT_SIZE - 1); const v = c[h] + 1; c[h] = v; return v === thr;
}

/** Condition code of a signed result (PoO 3.4): 0 zero, 1 negative, 2 positive. */
function ccOf(v: number): number { return v === 0 ? 0 : v < 0 ? 1 : 2; }

/** Run up to `slice` instructions. Returns an X_* code; cpu.xremain = instructions not used. */
export function execute(cpu: CPU, slice: number): number {
  const r = cpu.gpr;
  const m = cpu.mem;
  const size = cpu.size | 0;
  const tlb = cpu.tlb;
  const dat = (cpu.flags & PSW_DAT) !== 0;
  const ovfMask = (cpu.flags & PSW_FIXED_OVERFLOW) !== 0;
  let pc = cpu.ia | 0;
  let cc = cpu.cc | 0;
  let n = slice | 0;
  let x = X_BUDGET;
  let w = 0;
  // Loop JIT (jit.ts): only with no debugger stepping; otherwise no counter can match. Targets are
  // counted by their (virtual, with DAT on) address; jit.ts translates.
  const hc = cpu.hot;
  const thr = cpu.jit && (cpu.events.mask & EV_STEP) === 0 && cpu.breakpoints.size === 0 ? cpu.jitThreshold | 0 : -1;

  loop: while (n > 0) {
    // Fetch (PoO 3.3, 4.1). Instruction addresses are kept word aligned by the branches.
    let ra = pc;
    if (dat) {
      const e = tlb[pc >>> 12];
      // A failed fetch has no instruction word: report 0, not the last instruction's.
      if ((e & TLB_VALID) === 0) { cpu.xcode = XLATE_MISS; cpu.xaddr = pc; cpu.xwrite = false; w = 0; x = X_ACCESS; break; }
      ra = (e & PTE_PFRA) | (pc & 0xfff);
    } else if (pc >= size) { cpu.xcode = PGM_ADDRESSING; cpu.xaddr = pc; w = 0; x = X_ACCESS; break; }
    w = m[ra >>> 2];
    n--;
    const r1 = (w >>> 20) & 15;
    switch (w >>> 24) {
      /* ---- RR ---- */
      // Branches (PoO 4.6): a target that is not word aligned is a specification exception
      // recognized by the branch itself, which is then suppressed (no link, no count change).
      case 0x05: { // BALR
        const r2 = (w >>> 16) & 15; const t = r[r2];
        if (r2 !== 0 && (t & 3) !== 0) { cpu.xcode = PGM_SPECIFICATION; x = X_PGM; n++; break loop; }
        r[r1] = (pc + 4) & 0xffffff;
        if (r2 !== 0) { pc = t & 0xffffff; continue; }
        break;
      }
      case 0x06: { // BCTR
        const r2 = (w >>> 16) & 15; const t = r[r2]; const v = (r[r1] - 1) | 0;
        if (v !== 0 && r2 !== 0) {
          if ((t & 3) !== 0) { cpu.xcode = PGM_SPECIFICATION; x = X_PGM; n++; break loop; }
          r[r1] = v;
          if (thr > 0 && (t & 0xffffff) <= pc && hot(hc, t & 0xffffff, thr)) { pc = t & 0xffffff; x = X_HOT; break loop; }
          pc = t & 0xffffff; continue;
        }
        r[r1] = v;
        break;
      }
      case 0x07: { // BCR
        const r2 = (w >>> 16) & 15;
        if (((r1 << cc) & 8) !== 0 && r2 !== 0) {
          const t = r[r2];
          if ((t & 3) !== 0) { cpu.xcode = PGM_SPECIFICATION; x = X_PGM; n++; break loop; }
          if (thr > 0 && (t & 0xffffff) <= pc && hot(hc, t & 0xffffff, thr)) { pc = t & 0xffffff; x = X_HOT; break loop; }
          pc = t & 0xffffff; continue;
        }
        break;
      }
      case 0x0a: // SVC: delivered by CPU.run(), or reflected here by the assist
        // A hosted guest's SVC (and, below, privileged instruction), which the assist completes
        // (assist.ts) or the host (CP) handles, need not leave the loop (CPU.finishInline), unless
        // that changes what the loop holds (DAT, the program mask) or the run must end.
        if (cpu.guest !== null || cpu.host !== null) {
          const a = cpu.finishInline(w, slice - n - 1, pc, cc);
          if (a !== INLINE_NONE) { // the same steps whatever happened (V8: no path here first taken late)
            pc = cpu.ia; cc = cpu.cc; n += cpu.xuncounted;
            if (a === INLINE_GO) continue;
            x = a; break loop;
          }
        }
        x = X_SVC; n++; break loop;
      case 0x0c: r[r1] = Math.imul(r[r1], r[(w >>> 16) & 15]); break; // MSR
      case 0x10: { const v = r[(w >>> 16) & 15]; if (v === -2147483648) { r[r1] = v; cc = 3; if (ovfMask) { cpu.xcode = PGM_FIXED_OVERFLOW; x = X_PGM; n++; break loop; } break; } const a = v < 0 ? -v : v; r[r1] = a; cc = a === 0 ? 0 : 2; break; } // LPR
      case 0x11: { const v = r[(w >>> 16) & 15]; const a = v > 0 ? -v : v; r[r1] = a; cc = a === 0 ? 0 : 1; break; } // LNR
      case 0x12: { const v = r[(w >>> 16) & 15]; r[r1] = v; cc = ccOf(v); break; } // LTR
      case 0x13: { const v = r[(w >>> 16) & 15]; if (v === -2147483648) { r[r1] = v; cc = 3; if (ovfMask) { cpu.xcode = PGM_FIXED_OVERFLOW; x = X_PGM; n++; break loop; } break; } const a = -v | 0; r[r1] = a; cc = ccOf(a); break; } // LCR
      case 0x14: { const v = r[r1] & r[(w >>> 16) & 15]; r[r1] = v; cc = v !== 0 ? 1 : 0; break; } // NR
      case 0x15: { const a = r[r1] >>> 0, b = r[(w >>> 16) & 15] >>> 0; cc = a === b ? 0 : a < b ? 1 : 2; break; } // CLR
      case 0x16: { const v = r[r1] | r[(w >>> 16) & 15]; r[r1] = v; cc = v !== 0 ? 1 : 0; break; } // OR
      case 0x17: { const v = r[r1] ^ r[(w >>> 16) & 15]; r[r1] = v; cc = v !== 0 ? 1 : 0; break; } // XR
      case 0x18: r[r1] = r[(w >>> 16) & 15]; break; // LR
      case 0x19: { const a = r[r1], b = r[(w >>> 16) & 15]; cc = a === b ? 0 : a < b ? 1 : 2; break; } // CR
      case 0x1a: { // AR
        const a = r[r1], b = r[(w >>> 16) & 15]; const s = (a + b) | 0; r[r1] = s;
        if (((a ^ s) & (b ^ s)) < 0) { cc = 3; if (ovfMask) { cpu.xcode = PGM_FIXED_OVERFLOW; x = X_PGM; n++; break loop; } } else cc = ccOf(s);
        break;
      }
      case 0x1b: { // SR
        const a = r[r1], b = r[(w >>> 16) & 15]; const s = (a - b) | 0; r[r1] = s;
        if (((a ^ b) & (a ^ s)) < 0) { cc = 3; if (ovfMask) { cpu.xcode = PGM_FIXED_OVERFLOW; x = X_PGM; n++; break loop; } } else cc = ccOf(s);
        break;
      }
      case 0x1e: { // ALR
        const a = r[r1] >>> 0, b = r[(w >>> 16) & 15] >>> 0; const s = a + b; const v = s | 0; r[r1] = v;
        cc = (v !== 0 ? 1 : 0) | (s > 0xffffffff ? 2 : 0);
        break;
      }
      case 0x1f: { // SLR
        const a = r[r1] >>> 0, b = r[(w >>> 16) & 15] >>> 0; const v = (a - b) | 0; r[r1] = v;
        cc = (v !== 0 ? 1 : 0) | (a >= b ? 2 : 0);
        break;
      }
      /* ---- RX: D2(B2) with a signed 16-bit displacement ---- */
      case 0x41: { const b = (w >>> 16) & 15; r[r1] = ((b !== 0 ? r[b] : 0) + ((w << 16) >> 16)) & 0xffffff; break; } // LA
      case 0x45: case 0x46: case 0x47: { // BAL, BCT, BC
        const b = (w >>> 16) & 15; const t = ((b !== 0 ? r[b] : 0) + ((w << 16) >> 16)) & 0xffffff;
        const op = w >>> 24;
        const v = (r[r1] - 1) | 0;
        const take = op === 0x47 ? ((r1 << cc) & 8) !== 0 : op === 0x46 ? v !== 0 : true;
        if (take && (t & 3) !== 0) { cpu.xcode = PGM_SPECIFICATION; x = X_PGM; n++; break loop; }
        if (op === 0x46) r[r1] = v;
        else if (op === 0x45) r[r1] = (pc + 4) & 0xffffff;
        if (take) { if (thr > 0 && t <= pc && hot(hc, t, thr)) { pc = t; x = X_HOT; break loop; } pc = t; continue; }
        break;
      }
      case 0x58: case 0x50: case 0x54: case 0x55: case 0x56: case 0x57: case 0x59:
      case 0x5a: case 0x5b: case 0x5e: case 0x5f: case 0x71: { // word operands
        const b = (w >>> 16) & 15; const op = w >>> 24;
        const a = real(cpu, ((b !== 0 ? r[b] : 0) + ((w << 16) >> 16)) & 0xffffff, 3, op === 0x50 ? 1 : 0, dat, tlb, size);
        if (a < 0) { x = X_ACCESS; n++; break loop; }
        const i = a >>> 2;
        switch (op) {
          case 0x58: r[r1] = m[i]; break; // L
          case 0x50: m[i] = r[r1]; break; // ST
          case 0x54: { const v = r[r1] & m[i]; r[r1] = v; cc = v !== 0 ? 1 : 0; break; } // N
          case 0x56: { const v = r[r1] | m[i]; r[r1] = v; cc = v !== 0 ? 1 : 0; break; } // O
          case 0x57: { const v = r[r1] ^ m[i]; r[r1] = v; cc = v !== 0 ? 1 : 0; break; } // X
          case 0x55: { const p = r[r1] >>> 0, q = m[i] >>> 0; cc = p === q ? 0 : p < q ? 1 : 2; break; } // CL
          case 0x59: { const p = r[r1], q = m[i]; cc = p === q ? 0 : p < q ? 1 : 2; break; } // C
          case 0x5a: case 0x5b: { // A, S
            const p = r[r1], q = m[i]; const s = op === 0x5a ? (p + q) | 0 : (p - q) | 0; r[r1] = s;
            const ovf = op === 0x5a ? ((p ^ s) & (q ^ s)) < 0 : ((p ^ q) & (p ^ s)) < 0;
            if (ovf) { cc = 3; if (ovfMask) { cpu.xcode = PGM_FIXED_OVERFLOW; x = X_PGM; n++; break loop; } } else cc = ccOf(s);
            break;
          }
          case 0x5e: { const p = r[r1] >>> 0, q = m[i] >>> 0; const s = p + q; const v = s | 0; r[r1] = v; cc = (v !== 0 ? 1 : 0) | (s > 0xffffffff ? 2 : 0); break; } // AL
          case 0x5f: { const p = r[r1] >>> 0, q = m[i] >>> 0; const v = (p - q) | 0; r[r1] = v; cc = (v !== 0 ? 1 : 0) | (p >= q ? 2 : 0); break; } // SL
          default: r[r1] = Math.imul(r[r1], m[i]); break; // MS
        }
        break;
      }
      case 0x48: case 0x40: case 0x49: case 0x4a: case 0x4b: case 0x4c: case 0x4d: { // halfword operands
        const b = (w >>> 16) & 15; const op = w >>> 24;
        const a = real(cpu, ((b !== 0 ? r[b] : 0) + ((w << 16) >> 16)) & 0xffffff, 1, op === 0x40 ? 1 : 0, dat, tlb, size);
        if (a < 0) { x = X_ACCESS; n++; break loop; }
        const i = a >>> 2; const sh = 16 - ((a & 2) << 3);
        if (op === 0x40) { m[i] = (m[i] & ~(0xffff << sh)) | ((r[r1] & 0xffff) << sh); break; } // STH
        const h = (m[i] >>> sh) & 0xffff; const q = (h << 16) >> 16;
        switch (op) {
          case 0x48: r[r1] = q; break; // LH
          case 0x4d: r[r1] = h; break; // LLH
          case 0x49: { const p = r[r1]; cc = p === q ? 0 : p < q ? 1 : 2; break; } // CH
          case 0x4c: r[r1] = Math.imul(r[r1], q); break; // MH
          default: { // AH, SH
            const p = r[r1]; const s = op === 0x4a ? (p + q) | 0 : (p - q) | 0; r[r1] = s;
            const ovf = op === 0x4a ? ((p ^ s) & (q ^ s)) < 0 : ((p ^ q) & (p ^ s)) < 0;
            if (ovf) { cc = 3; if (ovfMask) { cpu.xcode = PGM_FIXED_OVERFLOW; x = X_PGM; n++; break loop; } } else cc = ccOf(s);
          }
        }
        break;
      }
      case 0x42: case 0x43: case 0x44: { // STC, IC, LLC
        const b = (w >>> 16) & 15; const op = w >>> 24;
        const a = real(cpu, ((b !== 0 ? r[b] : 0) + ((w << 16) >> 16)) & 0xffffff, 0, op === 0x42 ? 1 : 0, dat, tlb, size);
        if (a < 0) { x = X_ACCESS; n++; break loop; }
        const i = a >>> 2; const sh = 24 - ((a & 3) << 3);
        if (op === 0x42) m[i] = (m[i] & ~(0xff << sh)) | ((r[r1] & 0xff) << sh);
        else if (op === 0x43) r[r1] = (r[r1] & ~0xff) | ((m[i] >>> sh) & 0xff);
        else r[r1] = (m[i] >>> sh) & 0xff;
        break;
      }
      /* ---- RSH: shifts, amount = low 6 bits of D2(B2) ---- */
      case 0x88: case 0x89: case 0x8a: case 0x8b: {
        const b = (w >>> 12) & 15; const s = ((b !== 0 ? r[b] : 0) + (w & 0xfff)) & 63;
        const v = r[r1]; const op = w >>> 24;
        if (op === 0x88) r[r1] = s > 31 ? 0 : v >>> s; // SRL
        else if (op === 0x89) r[r1] = s > 31 ? 0 : v << s; // SLL
        else if (op === 0x8a) { const t = v >> (s > 31 ? 31 : s); r[r1] = t; cc = ccOf(t); } // SRA
        else { // SLA: the sign is kept; overflow when a bit unlike the sign leaves bit 1 (PoO 4.7)
          const sign = v & 0x80000000;
          let t: number, lost: boolean;
          // Past 31 places the zeros shifted in leave bit 1 too: unlike a negative sign, they overflow.
          if (s > 30) { t = sign; lost = v !== 0 && !(v === -1 && s === 31); }
          else { const out = v >> (31 - s); lost = out !== 0 && out !== -1; t = sign | ((v << s) & 0x7fffffff); }
          r[r1] = t;
          if (lost) { cc = 3; if (ovfMask) { cpu.xcode = PGM_FIXED_OVERFLOW; x = X_PGM; n++; break loop; } } else cc = ccOf(t);
        }
        break;
      }
      /* ---- SI: D1(B1),I2 on a byte ---- */
      case 0x91: case 0x92: case 0x94: case 0x95: case 0x96: case 0x97: {
        const b = (w >>> 12) & 15; const op = w >>> 24; const imm = (w >>> 16) & 0xff;
        const wr = op === 0x91 || op === 0x95 ? 0 : 1;
        const a = real(cpu, ((b !== 0 ? r[b] : 0) + (w & 0xfff)) & 0xffffff, 0, wr, dat, tlb, size);
        if (a < 0) { x = X_ACCESS; n++; break loop; }
        const i = a >>> 2; const sh = 24 - ((a & 3) << 3); const v = (m[i] >>> sh) & 0xff;
        let nv = v;
        switch (op) {
          case 0x91: { const t = v & imm; cc = t === 0 ? 0 : t === imm ? 3 : 1; break; } // TM
          case 0x95: cc = v === imm ? 0 : v < imm ? 1 : 2; break; // CLI
          case 0x92: nv = imm; break; // MVI
          case 0x94: nv = v & imm; cc = nv !== 0 ? 1 : 0; break; // NI
          case 0x96: nv = v | imm; cc = nv !== 0 ? 1 : 0; break; // OI
          default: nv = v ^ imm; cc = nv !== 0 ? 1 : 0; break; // XI
        }
        if (wr) m[i] = (m[i] & ~(0xff << sh)) | (nv << sh);
        break;
      }
      /* ---- RI: immediates ---- */
      case 0xc0: r[r1] = (w << 16) >> 16; break; // LHI
      case 0xc1: { // AHI
        const a = r[r1], b = (w << 16) >> 16; const s = (a + b) | 0; r[r1] = s;
        if (((a ^ s) & (b ^ s)) < 0) { cc = 3; if (ovfMask) { cpu.xcode = PGM_FIXED_OVERFLOW; x = X_PGM; n++; break loop; } } else cc = ccOf(s);
        break;
      }
      case 0xc2: { const a = r[r1], b = (w << 16) >> 16; cc = a === b ? 0 : a < b ? 1 : 2; break; } // CHI
      case 0xc3: r[r1] = Math.imul(r[r1], (w << 16) >> 16); break; // MHI
      case 0xc4: r[r1] = w << 16; break; // LUH
      case 0xc5: r[r1] = r[r1] | (w & 0xffff); break; // OIL
      case 0xc6: { const v = r[r1] & (w | 0xffff0000); r[r1] = v; cc = (v & 0xffff) !== 0 ? 1 : 0; break; } // NIL
      case 0xc7: { const v = r[r1] ^ (w & 0xffff); r[r1] = v; cc = (v & 0xffff) !== 0 ? 1 : 0; break; } // XIL
      /* ---- RIB: relative to this instruction, in words ---- */
      case 0xd0: if (((r1 << cc) & 8) !== 0) { // BRC
        const t = (pc + (((w << 16) >> 16) << 2)) & 0xffffff;
        if (thr > 0 && t <= pc && hot(hc, t, thr)) { pc = t; x = X_HOT; break loop; }
        pc = t; continue;
      } break;
      case 0xd1: r[r1] = (pc + 4) & 0xffffff; pc = (pc + (((w << 16) >> 16) << 2)) & 0xffffff; continue; // BRAS
      case 0xd2: { const v = (r[r1] - 1) | 0; r[r1] = v; if (v !== 0) { // BRCT
        const t = (pc + (((w << 16) >> 16) << 2)) & 0xffffff;
        if (thr > 0 && t <= pc && hot(hc, t, thr)) { pc = t; x = X_HOT; break loop; }
        pc = t; continue;
      } break; }
      case 0xd3: r[r1] = (pc + (((w << 16) >> 16) << 2)) & 0xffffff; break; // LARL
      // The slow path, listed so that V8 compiles the switch as one jump table: it does so only
      // while (max case - min case) < 3 * (number of cases).
      case 0x04: case 0x1c: case 0x1d: case 0x5c: case 0x5d: case 0x80: case 0x82: case 0x83:
      case 0x8c: case 0x8d: case 0x90: case 0x93: case 0x98: case 0x9c: case 0x9d: case 0x9e:
      case 0xa0: case 0xa1: case 0xa2: case 0xa3: case 0xa4: case 0xa5: case 0xa6: case 0xac:
      case 0xad: case 0xb1: case 0xb6: case 0xb7: case 0xba:
      default:
        if ((cpu.guest !== null || cpu.host !== null) && PRIVILEGED[w >>> 24]) { // as an SVC above
          const a = cpu.finishInline(w, slice - n - 1, pc, cc);
          if (a !== INLINE_NONE) {
            pc = cpu.ia; cc = cpu.cc; n += cpu.xuncounted;
            if (a === INLINE_GO) continue;
            x = a; break loop;
          }
        }
        x = X_SLOW; n++; break loop;
    }
    pc = (pc + 4) & 0xffffff;
  }
  cpu.ia = pc; cpu.cc = cc; cpu.xword = w; cpu.xremain = n;
  return x;
}
