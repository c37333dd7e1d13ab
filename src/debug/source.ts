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

  constructor(readonly asm: AsmResult | null, symbols: Record<string, number> = {}) {
    for (const [k, v] of Object.entries(symbols)) {
      this.symbols.set(k.toUpperCase(), v);
      if (!this.names.has(v)) this.names.set(v, k);
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

  /** One instruction as text, with labels for targets. */
  disassemble(word: number, address: number): string {
    return disassemble(word, address, { symbols: this.names }).text;
  }
}

