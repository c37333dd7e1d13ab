/** sort.s in plain JavaScript: insertion sort of 512 pseudo-random words, `reps` times. */
export const N = 512;

/** Checksum of the sorted array (h = h*31 + a[i], int32), or -1 if it is not in order. */
export function sort(reps: number): number {
  const a = new Int32Array(N);
  let h = 0;
  for (let r = 0; r < reps; r++) {
    let x = 12345;
    for (let i = 0; i < N; i++) { x = (Math.imul(x, 1103515245) + 12345) | 0; a[i] = x >> 8; }
    for (let i = 1; i < N; i++) {
      const key = a[i];
      let j = i;
      while (j > 0 && a[j - 1] > key) { a[j] = a[j - 1]; j--; }
      a[j] = key;
    }
    h = 0;
    for (let i = 0; i < N; i++) {
      if (i > 0 && a[i - 1] > a[i]) return -1;
      h = (Math.imul(h, 31) + a[i]) | 0;
    }
  }
  return h;
}
