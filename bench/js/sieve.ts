/** sieve.s in plain JavaScript: the primes below 8192 by Eratosthenes' sieve, `reps` times. */
export const N = 8192;

/** Number of primes below N, computed `reps` times (the last count is the result). */
export function sieve(reps: number): number {
  const flags = new Uint8Array(N);
  let count = 0;
  for (let r = 0; r < reps; r++) {
    flags.fill(1);
    count = 0;
    for (let i = 2; i < N; i++) {
      if (flags[i] === 0) continue;
      count++;
      for (let j = i * i; j < N; j += i) flags[j] = 0;
    }
  }
  return count;
}
