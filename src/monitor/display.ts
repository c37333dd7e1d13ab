/**
 * Register and storage displays in the layout of VM/370's CP DISPLAY command. CP's own DISPLAY
 * (src/monitor/operator.ts) and the debugger (src/debug) show the same thing the same way.
 */

import { hex } from '../cpu/hex.ts';

/** Registers four to a line, as CP's DISPLAY G showed them. */
export function registerLines(prefix: string, regs: ArrayLike<number>, from = 0, to = regs.length - 1): string[] {
  const out: string[] = [];
  for (let r = from; r <= to; r += 4) {
    const cells: string[] = [];
    for (let i = r; i <= Math.min(to, r + 3); i++) cells.push(hex(regs[i]));
    out.push(`${prefix}${String(r).padStart(2, ' ')} = ${cells.join(' ')}`);
  }
  return out;
}

/** A storage dump: 16 bytes a line, hex and printable ASCII. */
export function dumpLines(bytes: Uint8Array, address: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, i + 16);
    const words: string[] = [];
    for (let j = 0; j < row.length; j += 4) words.push([...row.subarray(j, j + 4)].map((b) => hex(b, 2)).join(''));
    const text = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    out.push(`${hex(address + i, 6)}  ${words.join(' ').padEnd(35)}  *${text}*`);
  }
  return out;
}

