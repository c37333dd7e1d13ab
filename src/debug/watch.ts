/**
 * What one instruction can write, found before it runs: the storage footprint of the guest's own
 * store instructions (PoO 4.5 ST, STH, STC, STM, CS; 4.7 MVI, NI, OI, XI; TS; STCK). WATCH uses it
 * so that checking a watched range costs the same whatever its size: after an ordinary instruction
 * only the bytes it stored are compared. Anything else that can write storage (an interruption's
 * PSW swap into low storage, START I/O and its channel program, DIAGNOSE, anything CP does for
 * the guest) goes through an interruption or a privileged instruction, and only then is every
 * watched range compared in full. STEP uses the same footprint to show the storage a step wrote.
 */
import { PSW_DAT, PTE_PFRA } from '../cpu/arch.ts';
import { walkTables } from '../cpu/dat.ts';
import { BY_MNEMONIC, BY_OPCODE, field, PRIVILEGED } from '../cpu/isa.ts';
import { hex } from './format.ts';

/** Bytes stored at the operand address by each unprivileged storing instruction; -1: one word per register R1..R3. */
const STORES: Record<string, number> = { ST: 4, STH: 2, STC: 1, CS: 4, STM: -1, MVI: 1, NI: 1, OI: 1, XI: 1, TS: 1, STCK: 8 };
/** By opcode: 0 stores nothing, > 0 bytes at the operand, -1 STM-like, -2 privileged (anything may change). */
const STORE_BYTES = new Int8Array(256);
for (const [m, n] of Object.entries(STORES)) STORE_BYTES[BY_MNEMONIC.get(m)!.opcode] = n;
for (let op = 0; op < 256; op++) if (PRIVILEGED[op]) STORE_BYTES[op] = -2;
/** RX instructions address with a signed 16-bit displacement from the register in bits 12-15. */
const IS_RX = new Uint8Array(256);
for (let op = 0; op < 256; op++) IS_RX[op] = BY_OPCODE[op]?.format === 'RX' ? 1 : 0;

/** The guest state a footprint is computed from (the virtual machine or the bare CPU). */
export interface GuestRegs { gpr: Int32Array; cr: Int32Array; flags: number }

/**
 * The guest-real storage the instruction `word` will store into, given the registers before it
 * runs: [address, length] pairs (at most 16 words and a doubleword: no allocation beyond `out`).
 * Returns the number of pairs, 0 when it stores nothing, or -1 when it cannot be known (a
 * privileged instruction, or an operand that does not translate: the interruption that follows
 * is checked in full anyway).
 */
export function storeFootprint(word: number, g: GuestRegs, mem: Int32Array, out: Int32Array): number {
  const op = word >>> 24;
  const n = STORE_BYTES[op];
  if (n === 0) return 0;
  if (n === -2) return -1;
  const b = IS_RX[op] ? field.r2(word) : field.b(word); // PoO 4.1: RX has its base in bits 12-15
  const disp = IS_RX[op] ? field.i16(word) : field.d12(word);
  const ea = ((b !== 0 ? g.gpr[b] : 0) + disp) & 0xffffff;
  const len = n > 0 ? n : 4 * (((field.r2(word) - field.r1(word)) & 15) + 1);
  let pairs = 0;
  // Split at page boundaries: under DAT each page may be anywhere in guest-real storage.
  for (let off = 0; off < len;) {
    const va = (ea + off) & 0xffffff;
    const chunk = Math.min(len - off, 0x1000 - (va & 0xfff));
    let ra = va;
    if (g.flags & PSW_DAT) {
      const e = walkTables(mem, g.cr[1], va);
      if (e < 0) return -1;
      ra = (e & PTE_PFRA) | (va & 0xfff);
    }
    out[2 * pairs] = ra; out[2 * pairs + 1] = chunk; pairs++;
    off += chunk;
  }
  return pairs;
}

/** A storage watchpoint: stop after any write (by any instruction, CP or a channel) changes the range. */
export interface Watch { address: number; length: number; last: Uint8Array }

/** The byte at guest-real address `a` (big-endian words). */
const byteAt = (mem: Int32Array, a: number) => (mem[a >>> 2] >>> (8 * (3 - (a & 3)))) & 0xff;

/**
 * Compare `w`'s bytes from `from` for `len` with storage, update its copy, and describe the change
 * (null when nothing changed).
 */
export function compareWatch(w: Watch, mem: Int32Array, from: number, len: number): string | null {
  const lo = Math.max(from, w.address), hi = Math.min(from + len, w.address + w.length);
  let first = -1, last = -1;
  for (let a = lo; a < hi; a++) {
    const v = byteAt(mem, a);
    if (v !== w.last[a - w.address]) { if (first < 0) first = a; last = a; }
  }
  if (first < 0) return null;
  // A small range is shown whole; a large one by its changed span (at most 16 bytes of it).
  const from0 = w.length <= 16 ? w.address : first, to0 = w.length <= 16 ? w.address + w.length - 1 : Math.min(last, first + 15);
  let was = '', now = '';
  for (let a = from0; a <= to0; a++) { was += hex(w.last[a - w.address], 2); now += hex(byteAt(mem, a), 2); }
  for (let a = first; a <= last; a++) w.last[a - w.address] = byteAt(mem, a);
  const at = w.length <= 16 ? '' : ` ${hex(first, 6)}:`;
  const more = last > to0 ? ` (and ${last - to0} more byte(s) to ${hex(last, 6)})` : '';
  return `WATCH ${hex(w.address, 6)}.${w.length.toString(16).toUpperCase()}:${at} ${was} -> ${now}${more}`;
}
