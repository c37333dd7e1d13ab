/**
 * The MTOS workload in plain JavaScript: MTOS's four tasks (programs/mtos/mtos-tasks.s) as
 * generators under a round-robin scheduler with a time slice of 700 steps (the guest's is 700
 * instructions of the CPU timer), a yield and an exit as in MTOS's SVCs, the rogue task ended by
 * its "protection exception". Returns each task's console lines; the guest's lines for each task
 * must be the same (their interleaving depends on the exact slice accounting, so it is not
 * compared).
 */
type Task = Generator<'yield' | 'step', number, void>;
const SLICE = 700;

function fmtStep(id: number, step: number): string { return `task ${id}: step ${step}`; }

/** SPIN count: the guest burns 2*count instructions; here count steps. */
function* spin(count: number): Generator<'step', void, void> { for (let i = 0; i < count; i++) yield 'step'; }

function* task1(say: (s: string) => void): Task {
  for (let step = 1; step <= 5; step++) { yield* spin(1500); say(fmtStep(1, step)); }
  return 0;
}

function* task2(say: (s: string) => void): Task {
  let cand = 1;
  for (let step = 1; step <= 5; step++) {
    for (let left = 12; left > 0;) {
      cand++;
      let prime = true;
      for (let d = 2; d * d <= cand; d++) { yield 'step'; if (cand % d === 0) { prime = false; break; } }
      if (prime) left--;
    }
    say(`${fmtStep(2, step)} prime ${cand}`);
  }
  return 0;
}

function* task3(say: (s: string) => void): Task {
  const table = new Int32Array(8);
  for (let step = 1; step <= 4; step++) { yield* spin(100); table[step] = step; say(fmtStep(3, step)); yield 'yield'; }
  for (let i = 4; i >= 1; i--) if (table[i] !== i) return 98;
  return 0;
}

function* task4(say: (s: string) => void): Task {
  say(`${fmtStep(4, 1)}, storing into the shared code page`);
  yield 'step';
  throw new Protection(); // ST into the read-only code page
}

class Protection { readonly code = 4; }

/** Run MTOS `reps` times; the lines of each task (index 0: task 1) of the last run. */
export function mtos(reps: number): string[][] {
  let lines: string[][] = [];
  for (let r = 0; r < reps; r++) {
    lines = [[], [], [], []];
    const say = (id: number) => (s: string) => { lines[id - 1].push(s); };
    const tasks: { id: number; gen: Task; done: boolean; rc: number }[] = [task1, task2, task3, task4]
      .map((f, i) => ({ id: i + 1, gen: f(say(i + 1)), done: false, rc: 0 }));
    let running = tasks.length;
    for (let k = 0; running > 0; k = (k + 1) % tasks.length) {
      const t = tasks[k];
      if (t.done) continue;
      for (let used = 0; used < SLICE; used++) {
        let v: IteratorResult<'yield' | 'step', number>;
        try { v = t.gen.next(); } catch (e) { if (!(e instanceof Protection)) throw e; t.done = true; t.rc = 0x8000 + e.code; running--; break; }
        if (v.done) { t.done = true; t.rc = v.value; running--; break; }
        if (v.value === 'yield') break;
      }
    }
    if (tasks.some((t) => t.rc !== (t.id === 4 ? 0x8004 : 0))) throw new Error('mtos.ts: a task ended unexpectedly');
  }
  return lines;
}
