/**
 * The debugger's view of the assembler's per-line records (STYLE.md item 12): which source line
 * an address belongs to, which addresses a source line means, and what a symbol names. Lines
 * expanded from a macro are attributed to the line that invoked the macro, because that is the
 * line a person put a breakpoint on and wants to see highlighted.
 */
import { hexOperand } from '../monitor/operator.ts';
import { addressToLine, lineToAddresses } from '../guest/asm/listing.ts';
import type { AsmLine, AsmResult } from '../guest/asm/types.ts';
import { disassemble } from '../guest/disasm.ts';

/** A source position a person can open. */
export interface SourceLoc { file: string; line: number; text: string }

export class SourceMap {
  /** Label values by upper-case name. */
  readonly symbols = new Map<string, number>();
  /** Names by address (the first label defined there), for disassembly. */
  readonly names = new Map<number, string>();
  private readonly invoker = new Map<AsmLine, AsmLine>();
  /** Label addresses, ascending, and their names: what a based operand is shown relative to. */
  private readonly labelAddrs: number[] = [];
  private readonly labelNames: string[] = [];

  constructor(readonly asm: AsmResult | null, symbols: Record<string, number> = {}) {
    for (const [k, v] of Object.entries(symbols)) {
      this.symbols.set(k.toUpperCase(), v);
      if (!this.names.has(v)) this.names.set(v, k);
    }
    const labels = asm ? [...asm.symbols.values()].filter((x) => x.kind === 'label').map((x) => [x.value, x.name] as const) : [...this.names];
    for (const [v, n] of labels.sort((a, b) => a[0] - b[0])) {
      if (this.labelAddrs[this.labelAddrs.length - 1] === v) continue;
      this.labelAddrs.push(v); this.labelNames.push(n);
    }
    if (!asm) return;
    // Attribute each macro-expanded line to its invocation: the last line one level shallower.
    const stack: AsmLine[] = [];
    for (const l of asm.lines) {
      stack[l.depth] = l;
      if (l.macro !== undefined && l.depth > 0) {
        let top = stack[l.depth - 1];
        while (top && top.macro !== undefined && top.depth > 0 && this.invoker.has(top)) top = this.invoker.get(top)!;
        if (top) this.invoker.set(l, top);
      }
    }
  }

  /** The line a person wrote for the instruction at `address` (macro expansions: the invocation). */
  locate(address: number): SourceLoc | undefined {
    if (!this.asm) return undefined;
    const l = addressToLine(this.asm, address);
    if (!l) return undefined;
    const top = this.invoker.get(l) ?? l;
    return { file: top.file, line: top.line, text: top.text.trim() };
  }

  /**
   * For a line expanded from a macro: the macro body line itself and the line that invoked the
   * macro (STEP walks through an expansion line by line). Undefined for any other address.
   */
  expansion(address: number): { body: SourceLoc; from: SourceLoc; macro: string } | undefined {
    if (!this.asm) return undefined;
    const l = addressToLine(this.asm, address);
    const top = l && this.invoker.get(l);
    if (!l || !top || l.macro === undefined) return undefined;
    return { body: { file: l.file, line: l.line, text: l.text.trim() }, from: { file: top.file, line: top.line, text: top.text.trim() }, macro: l.macro };
  }

  /** `NAME` or `NAME+off` (hex) for a guest address at or after a label, within 4 KiB of it. */
  near(address: number): string | undefined {
    const a = this.labelAddrs;
    let lo = 0, hi = a.length - 1, at = -1;
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (a[mid] <= address) { at = mid; lo = mid + 1; } else hi = mid - 1; }
    if (at < 0 || address - a[at] >= 0x1000) return undefined;
    const off = address - a[at];
    return off ? `${this.labelNames[at]}+${off.toString(16).toUpperCase()}` : this.labelNames[at];
  }

  /** Addresses of the instructions a breakpoint on `file:line` means (file matched by path suffix). */
  addresses(file: string, line: number): number[] {
    if (!this.asm) return [];
    const f = this.fileName(file);
    if (f === undefined) return [];
    const direct = lineToAddresses(this.asm, f, line);
    if (direct.length) return direct;
    return [];
  }

  /** The file name as the assembler recorded it, matching `file` exactly or by its trailing path. */
  fileName(file: string): string | undefined {
    if (!this.asm) return undefined;
    const norm = (s: string) => s.replace(/\\/g, '/');
    const want = norm(file);
    const files = [...new Set(this.asm.lines.map((l) => l.file))];
    return files.find((x) => norm(x) === want) ?? files.find((x) => want.endsWith('/' + norm(x).replace(/^\.\//, '')) || norm(x).endsWith('/' + want.split('/').pop()));
  }

  /** The main source file (the one the program was assembled from). */
  get mainFile(): string | undefined { return this.asm?.lines.find((l) => l.depth === 0)?.file; }

  /** Resolve `symbol`, `symbol+hex`, `symbol-hex`, or a hex address (VM/370 addresses are hex). */
  resolve(text: string): number | undefined {
    const t = text.trim().toUpperCase();
    const m = /^([A-Z_$@.][A-Z0-9_$@.]*)(?:([+-])([0-9A-F]+))?$/.exec(t);
    if (m && this.symbols.has(m[1])) {
      const base = this.symbols.get(m[1])!;
      const off = m[3] ? parseInt(m[3], 16) : 0;
      return (m[2] === '-' ? base - off : base + off) & 0xffffff;
    }
    return hexOperand(t);
  }

  /**
   * One instruction as text, with labels for targets. With `gpr`, the registers as they are
   * when this instruction runs, based operands are shown by symbol too (`L R2,SAVE+8`).
   */
  disassemble(word: number, address: number, gpr?: Int32Array): string {
    const based = gpr && ((b: number, disp: number) => this.near(((gpr[b] + disp) & 0xffffff)));
    return disassemble(word, address, { symbols: this.names, based }).text;
  }
}

