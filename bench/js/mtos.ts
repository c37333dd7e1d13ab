/**
 * The MTOS workload in plain JavaScript: MTOS's four tasks (programs/mtos/mtos-tasks.s) as state
 * machines under a round-robin scheduler with a time slice of 700 steps (the guest's is 700
 * instructions of the CPU timer): each `run(slice)` does at most `slice` steps of work (a spin
 * iteration, a trial division) and says whether the task used its slice, yielded or ended; the
 * rogue task ends with its "protection exception". The kernel's work is done too, as plainly as
 * JavaScript allows: each dispatch saves and restores a task's 16 registers, each task's first
 * touch of a private page (two for task 3) takes a cleared 4 KiB frame and a page-table entry, and
 * each console line is formatted into a byte buffer (decimal digits by division, as PUTDEC does)
 * and copied out like the console's channel program. Returns each task's console lines; the
 * guest's lines for each task must be the same (their interleaving depends on the exact slice
 * accounting, so it is not compared).
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

/** The kernel's side of a console line: format it into the task's page, copy it out as the channel would. */
function consoleLine(page: Uint8Array, text: string, chan: Uint8Array): string {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57 && (i === 0 || text.charCodeAt(i - 1) < 48 || text.charCodeAt(i - 1) > 57)) {
      let v = 0, j = i; // a number: parse and re-emit its digits by division (PUTDEC)
      while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) v = v * 10 + text.charCodeAt(j++) - 48;
      const start = n;
      do { page[n++] = 48 + (v % 10); v = (v / 10) | 0; } while (v > 0);
      for (let a = start, b = n - 1; a < b; a++, b--) { const t = page[a]; page[a] = page[b]; page[b] = t; }
      i = j - 1;
    } else page[n++] = c;
  }
  chan.set(page.subarray(0, n));
  return String.fromCharCode(...chan.subarray(0, n));
}

/** Run MTOS `reps` times; the lines of each task (index 0: task 1) of the last run. */
export function mtos(reps: number): string[][] {
  let lines: string[][] = [];
  const frames = new Int32Array(64 * 1024), pageTables = new Int32Array(4 * 256), tcbRegs = new Int32Array(4 * 16), cpuRegs = new Int32Array(16);
  const chan = new Uint8Array(80);
  for (let r = 0; r < reps; r++) {
    const out: string[][] = [[], [], [], []];
    pageTables.fill(0);
    let nextFrame = 0;
    const touch = (id: number, page: number) => { // the page fault: a cleared frame, mapped
      const pte = (id - 1) * 256 + page;
      if (pageTables[pte] !== 0) return;
      frames.fill(0, nextFrame * 1024, nextFrame * 1024 + 1024);
      pageTables[pte] = (++nextFrame << 12) | 1;
    };
    const pages = [new Uint8Array(80), new Uint8Array(80), new Uint8Array(80), new Uint8Array(80)];
    const say = (id: number) => (s: string) => { out[id - 1].push(consoleLine(pages[id - 1], s, chan)); };
    const tasks = [counter(say(1)), primes(say(2)), polite(say(3)), rogue(say(4))];
    const done = [false, false, false, false];
    for (let id = 1; id <= 4; id++) touch(id, 0);
    touch(3, 1);
    for (let running = tasks.length, k = 0; running > 0; k = (k + 1) % tasks.length) {
      if (done[k]) continue;
      cpuRegs.set(tcbRegs.subarray(16 * k, 16 * k + 16)); // dispatch: load the task's registers
      if (tasks[k].run(SLICE) === ENDED) { done[k] = true; running--; }
      tcbRegs.set(cpuRegs, 16 * k); // and save them at the interruption
    }
    if (tasks.some((t) => t.rc !== (t.id === 4 ? 0x8004 : 0))) throw new Error('mtos.ts: a task ended unexpectedly');
    lines = out;
  }
  return lines;
}
