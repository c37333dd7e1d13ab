/**
 * The one hex formatter. Every display, narration, listing and message writes numbers as the
 * Principles of Operation and VM/370 do: unsigned, capital digits, zero-padded to a field width
 * (00020A), or as an assembler constant (X'20A').
 */

/** `v` as unsigned hex, capital digits, zero-padded to `digits` (0: no padding). */
export function hex(v: number, digits = 8): string {
  return (v >>> 0).toString(16).toUpperCase().padStart(digits, '0');
}

/** `v` as an assembler hex constant: X'20A'. */
export function hexConstant(v: number): string {
  return `X'${hex(v, 0)}'`;
}
