/**
 * The MTOS workload in plain JavaScript: MTOS's four tasks (programs/mtos/mtos-tasks.s) as state
 * machines under a round-robin scheduler with a time slice of 700 steps (the guest's is 700
 * instructions of the CPU timer): each `run(slice)` does at most `slice` steps of work (a spin
 * iteration, a trial division) and says whether the task used its slice, yielded or ended; the
 * rogue task ends with its "protection exception". Returns each task's console lines; the guest's
 * lines for each task must be the same (their interleaving depends on the exact slice accounting,
 * so it is not compared).
 */
const SLICE = 700;
const SLICE_USED = 0, YIELDED = 1, ENDED = 2;

interface Task { readonly id: number; rc: number; run(slice: number): number }

/** SPIN count: the guest burns 2*count instructions; here count steps, resumable. */
class Spin {
  left = 0;
  start(count: number): void { this.left = count; }
  /** Steps taken, at most `slice`; the spin is over when `left` is 0. */
  run(slice: number): number { const k = Math.min(slice, this.left); this.left -= k; return k; }
}

function counter(say: (s: string) => void): Task {
  const spin = new Spin();
  let step = 1, spinning = false;
  return {
    id: 1, rc: 0,
    run(slice) {
      while (slice > 0) {
        if (!spinning) { spin.start(1500); spinning = true; }
        slice -= spin.run(slice);
        if (spin.left > 0) return SLICE_USED;
        spinning = false;
        say(`task 1: step ${step}`);
        if (++step > 5) return ENDED;
      }
      return SLICE_USED;
    },
  };
}

function primes(say: (s: string) => void): Task {
  let step = 1, left = 12, cand = 2, d = 2;
  return {
    id: 2, rc: 0,
    run(slice) {
      for (; slice > 0; slice--) {
        if (d * d > cand) { // prime
          if (--left === 0) {
            say(`task 2: step ${step} prime ${cand}`);
            if (++step > 5) return ENDED;
            left = 12;
          }
          cand++; d = 2;
        } else if (cand % d === 0) { cand++; d = 2; } else d++;
      }
      return SLICE_USED;
    },
  };
}

function polite(say: (s: string) => void): Task {
  const spin = new Spin(), table = new Int32Array(8);
  let step = 1, spinning = false;
  const task = {
    id: 3, rc: 0,
    run(slice: number) {
      if (!spinning) { spin.start(100); spinning = true; }
      spin.run(slice);
      if (spin.left > 0) return SLICE_USED;
      spinning = false;
      table[step] = step;
      say(`task 3: step ${step}`);
      if (++step <= 4) return YIELDED;
      for (let i = 4; i >= 1; i--) if (table[i] !== i) { task.rc = 98; break; }
      return ENDED;
    },
  };
  return task;
}

function rogue(say: (s: string) => void): Task {
  const task = {
    id: 4, rc: 0,
    run() { say('task 4: step 1, storing into the shared code page'); task.rc = 0x8004; return ENDED; }, // a protection exception
  };
  return task;
}

/** Run MTOS `reps` times; the lines of each task (index 0: task 1) of the last run. */
export function mtos(reps: number): string[][] {
  let lines: string[][] = [];
  for (let r = 0; r < reps; r++) {
    const out: string[][] = [[], [], [], []];
    const say = (id: number) => (s: string) => { out[id - 1].push(s); };
    const tasks = [counter(say(1)), primes(say(2)), polite(say(3)), rogue(say(4))];
    const done = [false, false, false, false];
    for (let running = tasks.length, k = 0; running > 0; k = (k + 1) % tasks.length) {
      if (done[k]) continue;
      if (tasks[k].run(SLICE) === ENDED) { done[k] = true; running--; }
    }
    if (tasks.some((t) => t.rc !== (t.id === 4 ? 0x8004 : 0))) throw new Error('mtos.ts: a task ended unexpectedly');
    lines = out;
  }
  return lines;
}
