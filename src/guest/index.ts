/**
 * The guest toolchain: assembler, disassembler, object files and the loader. Browser-safe (no
 * node: imports); `src/host/nodefs.ts` adds a file reader for the CLI.
 */
export { assemble, ARCH_SYMBOLS, DIRECTIVES } from './asm/assembler.ts';
export { formatDiagnostic, formatListing, addressToLine, lineToAddress, lineToAddresses } from './asm/listing.ts';
export { syntaxOf } from './asm/operands.ts';
export type { AsmResult, AsmLine, AsmOptions, AsmSymbol, Diagnostic, Segment, SymbolKind } from './asm/types.ts';
export { disassemble, disassembleRange, type Disassembly } from './disasm.ts';
export { writeObject, readObject, type ObjectImage } from './object.ts';
export { load, type LoadResult } from './loader.ts';
