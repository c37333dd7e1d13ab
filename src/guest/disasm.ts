/**
 * The disassembler, driven by the same table as the CPU and the assembler (src/cpu/isa.ts). Its
 * output reassembles to the identical word at the same address: unused fields that are not zero,
 * and undefined operation codes, come out as `.word` (PoO 4.1: such words are not instructions).
 */
import { BY_OPCODE, EXTENDED, field, type InstrDef } from '../cpu/isa.ts';
import { loadWord } from '../cpu/storage.ts';
import { hex } from '../cpu/hex.ts';

/** One disassembled word. */
export interface Disassembly {
  /** Assembler text, e.g. `L R1,256(R2)` or `.word 0x00000000`. */
  text: string;
  /** The mnemonic used (an extended one where it exists), or `.word`. */
  mnemonic: string;
  /** The table row, when the word is an instruction. */
  def?: InstrDef;
}

/** Options: `symbols` maps addresses to names, used for absolute and relative targets. */
export interface DisasmOptions {
  symbols?: Map<number, string>;
  /**
   * A based operand D(B) as a symbol, given its effective address (the caller knows the registers
   * of the instruction about to run): `SAVE+8` instead of `8(R12)`; undefined keeps `D(B)`.
   */
  based?: (base: number, disp: number) => string | undefined;
}

/* Extended mnemonic by base and mask; the first in the table wins (BE over BZ). */
const EXT = new Map<string, string>();
for (const e of EXTENDED) if (!EXT.has(`${e.base}:${e.mask}`)) EXT.set(`${e.base}:${e.mask}`, e.mnemonic);

const hx = (v: number) => `0x${hex(v, 0)}`;
const hex8 = (v: number) => `0x${hex(v)}`;

/** Bits that must be zero in each format (everything outside its fields). */
const UNUSED: Record<InstrDef['format'], number> = {
  RR: 0x0000ffff, RR1: 0x000fffff, RX: 0, RS: 0, RSH: 0x000f0000, RI: 0x000f0000, RIU: 0x000f0000,
  RIB: 0x000f0000, SI: 0, S: 0x00ff0000, I: 0x00ffff00, E: 0x00ffffff,
};

/** Disassemble one instruction word at `address`. */
export function disassemble(word: number, address: number, opts: DisasmOptions = {}): Disassembly {
  const w = word | 0;
  const def = BY_OPCODE[field.op(w)];
  if (!def || (w & UNUSED[def.format]) !== 0) return { text: `.word ${hex8(w)}`, mnemonic: '.word' };
  const sym = (a: number) => opts.symbols?.get(a);
  const abs = (a: number) => sym(a) ?? hx(a);
  const r1 = field.r1(w), r2 = field.r2(w), b = field.b(w), d = field.d12(w);
  // Base 0 means "no base": the displacement is the address itself (PoO 4.1).
  const d12 = (shift: boolean) => (b ? (!shift && opts.based?.(b, d)) || `${d}(R${b})` : shift ? `${d}` : abs(d));
  let name = def.mnemonic;
  let ops: string[];
  const masked = def.mnemonic === 'BC' || def.mnemonic === 'BCR' || def.mnemonic === 'BRC';
  switch (def.format) {
    case 'RR': ops = [masked ? `${r1}` : `R${r1}`, `R${r2}`]; break;
    case 'RR1': ops = [`R${r1}`]; break;
    case 'RX': {
      const disp = field.i16(w);
      const x = r2 ? opts.based?.(r2, disp) ?? `${disp}(R${r2})` : sym(disp & 0xffffff) ?? (disp < 0 ? `${disp}` : hx(disp));
      ops = [masked ? `${r1}` : `R${r1}`, x];
      break;
    }
    case 'RS': ops = [`R${r1}`, `R${r2}`, d12(false)]; break;
    case 'RSH': ops = [`R${r1}`, d12(true)]; break;
    case 'RI': ops = [`R${r1}`, `${field.i16(w)}`]; break;
    case 'RIU': ops = [`R${r1}`, hx(field.u16(w))]; break;
    case 'RIB': ops = [masked ? `${r1}` : `R${r1}`, abs((address + 4 * field.i16(w)) & 0xffffff)]; break;
    case 'SI': ops = [d12(false), hx(field.i8(w))]; break;
    case 'S': ops = [d12(false)]; break;
    case 'I': ops = [`${field.svc(w)}`]; break;
    case 'E': ops = []; break;
  }
  if (masked) {
    const ext = EXT.get(`${def.mnemonic}:${r1}`);
    if (ext) { name = ext; ops = ops.slice(1); }
  }
  return { text: ops.length ? `${name} ${ops.join(',')}` : name, mnemonic: name, def };
}

/** One row of a range disassembly. */
export interface DisasmRow extends Disassembly {
  address: number;
  word: number;
}

/** Disassemble the words of storage from `from` (rounded down to a word) up to, not including, `to`. */
export function disassembleRange(mem: Int32Array, from: number, to: number, opts: DisasmOptions = {}): DisasmRow[] {
  const rows: DisasmRow[] = [];
  const end = Math.min(to, mem.length * 4);
  for (let a = Math.max(0, from & ~3); a < end; a += 4) {
    const word = loadWord(mem, a);
    rows.push({ address: a, word, ...disassemble(word, a, opts) });
  }
  return rows;
}
