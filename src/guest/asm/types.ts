/**
 * Types shared by the assembler's parts and its users (CLI, debugger, web editor). The per-line
 * record `AsmLine` is the listing, the source map and the anchor for diagnostics at once
 * (STYLE.md item 12).
 */

/** One diagnostic, positioned at a 1-based line and column of a source file. */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  severity: 'error' | 'warning';
  message: string;
}

/** What a symbol stands for: an address (label), a value (`.equ`, `=`) or a register alias (`.equr`). */
export type SymbolKind = 'label' | 'equ' | 'register';

/** A user-defined symbol. Names are stored upper-case (symbols are case-insensitive). */
export interface AsmSymbol {
  name: string;
  value: number;
  kind: SymbolKind;
  file: string;
  line: number;
}

/** One source line as assembled: one record per line, including macro-expanded and included lines. */
export interface AsmLine {
  file: string;
  line: number;
  /** The text after macro-parameter substitution. */
  text: string;
  /** Location counter of the line's first byte (after any automatic alignment). */
  address: number;
  /** Bytes the line itself produced (alignment padding excluded). */
  bytes: Uint8Array;
  /** Nesting of macro expansions, `.rept` bodies and includes (0 = the main file). */
  depth: number;
  /** Name of the innermost macro this line was expanded from (`.rept` for repeat bodies). */
  macro?: string;
  /** True when the line assembled a machine instruction (a breakpoint can go here). */
  isInstruction: boolean;
  /** For `.equ`/`=`/`.equr` lines: the value defined (shown in the listing). */
  value?: number;
  /** Diagnostics found while assembling this line in pass 2 (the listing prints them here). */
  diagnostics?: Diagnostic[];
}

/** A contiguous run of assembled bytes. */
export interface Segment {
  address: number;
  bytes: Uint8Array;
}

/** Everything `assemble()` knows about a program. */
export interface AsmResult {
  /** True when there are no errors (warnings allowed). */
  ok: boolean;
  /** Contiguous runs, sorted by address, non-overlapping. */
  segments: Segment[];
  /** From `.entry`, else the symbol START, else the lowest address assembled. */
  entry: number | undefined;
  symbols: Map<string, AsmSymbol>;
  lines: AsmLine[];
  diagnostics: Diagnostic[];
}

/** Options of `assemble()`. */
export interface AsmOptions {
  /** Name of the main source file, used in diagnostics and the source map (default `input.s`). */
  file?: string;
  /**
   * Reads an included file. `path` is as written in `.include`; `fromFile` is the including file.
   * Return undefined when the file does not exist; throw an Error whose message is the reason
   * when it exists but cannot be read (reported at the `.include`).
   */
  readFile?: (path: string, fromFile: string) => string | IncludedFile | undefined;
  /** Extra predefined symbols (besides the numeric exports of src/cpu/arch.ts). */
  predefined?: Record<string, number>;
}

/** A source position plus the macro-invocation chain that produced the line. */
export interface Pos {
  file: string;
  line: number;
  col: number;
  /** " (in macro FOO invoked at a.s:12)" or "". */
  where: string;
}

/**
 * What `readFile` returns when it found a file somewhere other than `path` resolved against the
 * including file (a standard include directory): its text and its real path, which diagnostics,
 * the listing and the source map then name.
 */
export interface IncludedFile { text: string; path: string }
