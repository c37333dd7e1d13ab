/** strings.s in plain JavaScript: string length, copy and compare over 1,000-byte strings. */
export const LEN = 1000;

function strlen(m: Uint8Array, p: number): number { let n = 0; while (m[p + n] !== 0) n++; return n; }
/** Index of the first difference of two `len`-byte strings, or len when equal. */
function compare(m: Uint8Array, p: number, q: number, len: number): number {
  for (let i = 0; i < len; i++) if (m[p + i] !== m[q + i]) return i;
  return len;
}

/** Sum over a pass of: strlen(src) + equal-compare length + first difference after a change. */
export function strings(reps: number): number {
  const m = new Uint8Array(2 * (LEN + 1));
  const src = 0, dst = LEN + 1;
  for (let i = 0; i < LEN; i++) m[src + i] = 65 + (i % 26);
  let total = 0;
  for (let r = 0; r < reps; r++) {
    const len = strlen(m, src);
    for (let i = 0; i <= len; i++) m[dst + i] = m[src + i]; // copy with its terminator
    const same = compare(m, src, dst, len);
    m[dst + 777] = 63; // '?'
    const diff = compare(m, src, dst, len);
    total = (len + same + diff) | 0;
  }
  return total;
}
