/** A small seeded PRNG (mulberry32): the lab's faults are drawn from fixed seeds, so every run repeats. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pages (4K) of `mem` holding anything but zeros: the pages a guest has touched (loaded or written). */
export function touchedPages(mem: Int32Array): number[] {
  const out: number[] = [];
  for (let p = 0; p < mem.length; p += 1024) {
    for (let i = p; i < p + 1024; i++) if (mem[i] !== 0) { out.push(p >>> 10); break; }
  }
  return out;
}
