/**
 * The paging lesson's displays (PoO 6.1, 6.3): the guest's own table walk for one virtual
 * address, CP's shadow table (guest-virtual page -> guest-real frame, filled on a shadow miss),
 * and the TLB, side by side. `TRANSLATE vaddr`, `DISPLAY TLB` and `DISPLAY SHADOW` at a VM's
 * console (monitor/commands.ts) and in `tinycp debug` (debug/commands.ts) print these lines.
 * Reading never changes anything: no TLB or shadow entry is filled by looking.
 */
import {
  CR1_STL, CR1_STO, PGM_ADDRESSING, PGM_NAMES, PGM_SEGMENT, PSW_DAT, PTE_INVALID, PTE_PFRA,
  PTE_PROTECT, STE_INVALID, STE_PTO, TLB_PROTECT, TLB_VALID,
} from '../cpu/arch.ts';
import { walkTables } from '../cpu/dat.ts';
import { hex } from '../cpu/hex.ts';

/** Most lines a table display prints (4 entries a line). */
const MAX_TABLE_LINES = 64;

/** An entry of a TLB or shadow table as text: frame and protection, or '(none)'. */
function entryText(e: number): string {
  return (e & TLB_VALID) === 0 ? '(none)' : `frame ${hex(e & PTE_PFRA, 6)}${(e & TLB_PROTECT) !== 0 ? ' protected' : ''}`;
}

/** The valid entries of a TLB-shaped table (one entry per 4 KiB virtual page), four to a line. */
export function tableLines(title: string, table: Int32Array): string[] {
  const cells: string[] = [];
  for (let p = 0; p < table.length; p++) {
    const e = table[p];
    if ((e & TLB_VALID) !== 0) cells.push(`${hex(p << 12, 6)}->${hex(e & PTE_PFRA, 6)}${(e & TLB_PROTECT) !== 0 ? 'P' : ' '}`);
  }
  const lines = [`${title}: ${cells.length} valid entr${cells.length === 1 ? 'y' : 'ies'} (virtual page -> frame, P protected)`];
  for (let i = 0; i < cells.length && lines.length <= MAX_TABLE_LINES; i += 4) lines.push('  ' + cells.slice(i, i + 4).join('  '));
  if (cells.length > MAX_TABLE_LINES * 4) lines.push(`  ... ${cells.length - MAX_TABLE_LINES * 4} more (TRANSLATE vaddr shows one)`);
  return lines;
}

/** The guest's table walk for `va` in its storage `mem` through `cr1`, step by step (PoO 6.1). */
export function walkLines(mem: Int32Array, cr1: number, va: number, datOn: boolean): string[] {
  const size = mem.length << 2;
  const sx = (va >>> 20) & 15, px = (va >>> 12) & 255;
  const dat = datOn ? '' : '; DAT is off in the PSW now';
  const lines = [`GUEST TABLES (CR1 ${hex(cr1)}: segment table at ${hex(cr1 & CR1_STO, 6)}, length ${(cr1 & CR1_STL) + 1}${dat})`,
    `  ${hex(va, 6)} = segment ${sx}, page ${hex(px, 2)}, byte ${hex(va & 0xfff, 3)}`];
  const fault = (code: number, why: string) => [...lines, `  -> ${PGM_NAMES[code] ?? 'translation'} exception: ${why}`];
  if (sx > (cr1 & CR1_STL)) return fault(PGM_SEGMENT, `segment ${sx} is beyond the table length`);
  const stea = (cr1 & CR1_STO) + sx * 4;
  if (stea >= size) return fault(PGM_ADDRESSING, `the segment-table entry's address ${hex(stea, 6)} is outside storage`);
  const ste = mem[stea >>> 2];
  lines.push(`  segment-table entry at ${hex(stea, 6)} = ${hex(ste)}${(ste & STE_INVALID) !== 0 ? ' (invalid)' : `: page table at ${hex(ste & STE_PTO, 6)}`}`);
  if ((ste & STE_INVALID) !== 0) return fault(PGM_SEGMENT, 'the segment-table entry is invalid');
  const ptea = (ste & STE_PTO) + px * 4;
  if (ptea >= size) return fault(PGM_ADDRESSING, `the page-table entry's address ${hex(ptea, 6)} is outside storage`);
  const pte = mem[ptea >>> 2];
  const frame = `: frame ${hex(pte & PTE_PFRA, 6)}${(pte & PTE_PROTECT) !== 0 ? ', protected' : ''}`;
  lines.push(`  page-table entry at ${hex(ptea, 6)} = ${hex(pte)}${(pte & PTE_INVALID) !== 0 ? ' (invalid)' : frame}`);
  const e = walkTables(mem, cr1, va);
  if (e < 0) return fault(-e, (pte & PTE_INVALID) !== 0 ? 'the page-table entry is invalid' : 'the frame is outside storage');
  lines.push(`  -> real address ${hex((e & PTE_PFRA) | (va & 0xfff), 6)}`);
  return lines;
}

/** What TRANSLATE shows: the guest's walk, then CP's shadow entry and the TLB entry for the page. */
export interface TranslateView {
  mem: Int32Array;
  cr1: number;
  flags: number;
  /** CP's shadow table of this VM, or null on the bare machine. */
  shadow: Int32Array | null;
  /** The real CPU's TLB as it holds this guest's translations (under CP it is the shadow table). */
  tlb: Int32Array;
}

/** `TRANSLATE vaddr`: three views of one virtual address. */
export function translateLines(v: TranslateView, va: number): string[] {
  const page = (va & 0xffffff) >>> 12;
  const lines = walkLines(v.mem, v.cr1, va & 0xffffff, (v.flags & PSW_DAT) !== 0);
  if (v.shadow) {
    const miss = (v.shadow[page] & TLB_VALID) === 0 ? ' (the next access misses: CP walks the tables above and fills it, or reflects the fault)' : '';
    lines.push(`CP SHADOW TABLE  page ${hex(page << 12, 6)}: ${entryText(v.shadow[page])}${miss}`);
    lines.push(`REAL TLB         while this VM runs, the real TLB is its shadow table (the same entry)`);
  } else {
    const miss = (v.tlb[page] & TLB_VALID) === 0 ? ' (the next access misses: the CPU walks the tables above)' : '';
    lines.push(`TLB              page ${hex(page << 12, 6)}: ${entryText(v.tlb[page])}${miss}`);
  }
  return lines;
}
