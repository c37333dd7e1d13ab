/** "Did you mean ...?": the nearest name by edit distance, for unknown mnemonics and symbols. */

/** The closest candidate by edit distance (at most 2, and less than the name's length), or undefined. */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Math.min(2, Math.max(1, name.length - 1)) + 1;
  const n = name.toUpperCase();
  for (const c of candidates) {
    const d = distance(n, c.toUpperCase(), bestD);
    if (d < bestD) { bestD = d; best = c; }
  }
  return best;
}

function distance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
