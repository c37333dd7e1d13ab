/**
 * Reverse execution: after BACK the machine is exactly what it was then (registers, PSW, storage,
 * devices, CP state), across traps, interruptions, I/O and console input; BACK TRAP finds the
 * previous trap; an operator action after stepping back forks the timeline; memory stays bounded.
 */
import { describe, expect, it } from 'vitest';
import { ECHO, fullState, harness, TRAPS } from './debug-helpers.ts';

const MODES = ['bare', 'vm'] as const;

/** A fresh run to position n, for comparison. */
function freshAt(file: string, mode: 'bare' | 'vm', n: number, input?: { at: number; line: string }) {
  const h = harness(file, mode);
  if (input && n > input.at) { h.d.resume(input.at); h.d.input(input.line); h.d.resume(n - h.d.position); } else if (n > 0) h.d.resume(n);
  return h;
}

describe.each(MODES)('reverse execution (%s)', (mode) => {
  it('BACK m after STEP n equals a fresh run to n-m, for many n and m (small snapshot interval)', () => {
    const h = harness(TRAPS, mode, { snapshotInterval: 7, maxSnapshots: 5 });
    h.d.resume(1000);
    const end = h.d.position;
    expect(h.d.ended).toBe(true);
    for (const [n, m] of [[end, 1], [end, 9], [40, 3], [52, 20], [60, 60], [33, 1], [end, end - 1]] as const) {
      h.d.timeline.goTo(n);
      expect(h.d.position).toBe(n);
      h.cmd(`BACK ${m}`);
      expect(fullState(h.d), `n=${n} m=${m}`).toEqual(fullState(freshAt(TRAPS, mode, n - m).d));
    }
    expect(h.d.timeline.marks.length).toBeLessThanOrEqual(5);
  });

  it('stepping forward again after BACK reproduces the same states and output', () => {
    const h = harness(TRAPS, mode, { snapshotInterval: 10 });
    h.cmd('BEGIN');
    const final = fullState(h.d);
    h.cmd('BACK 25');
    h.cmd('BEGIN');
    expect(fullState(h.d)).toEqual(final);
  });

  it('BACK TRAP runs backward to the previous traced trap, then the one before', () => {
    const h = harness(TRAPS, mode);
    h.cmd('TRACE SVC PROGRAM RUN');
    h.cmd('BEGIN');
    const t1 = h.cmd('BACK TRAP').join('\n');
    expect(t1).toMatch(/operation exception|X'01'/);
    expect(h.d.ia).toBe(0x294); // in the program-check handler, just after the trap
    const t2 = h.cmd('BACK TRAP').join('\n');
    expect(t2).toContain('SVC 7');
    expect(h.d.ia).toBe(0x28c);
    // The fresh run traces too: tracing suspends the virtual-machine assist (PoO 2.9), and with it
    // CP's own counters differ (what the guest sees does not: test/assist.test.ts).
    const fresh = harness(TRAPS, mode);
    fresh.cmd('TRACE SVC PROGRAM RUN');
    fresh.d.resume(h.d.position);
    expect(fullState(h.d)).toEqual(fullState(fresh.d));
    expect(h.cmd('BACK TRAP').join('\n')).toContain('no earlier trap');
    expect(h.d.position).toBe(0);
  });

  it('BACK TRAP also stops at ADSTOP addresses and watched changes', () => {
    const h = harness(TRAPS, mode);
    h.cmd('ADSTOP sub');
    h.cmd('B'); h.cmd('B'); h.cmd('B');
    const p3 = h.d.position;
    h.cmd('STEP 2');
    h.cmd('BACK TRAP');
    expect(h.d.position).toBe(p3);
    expect(h.d.ia).toBe(0x280);
    h.cmd('STEP 8'); // L, AR, BR, BRCT, AHI, ST (counter changes), BAL, L
    h.cmd('ADSTOP OFF');
    h.cmd('WATCH counter');
    expect(h.cmd('BACK TRAP').join('\n')).toMatch(/WATCH 0002B0\.4: 00000003 -> 00000004/);
    expect(h.d.position).toBe(p3 + 6);
    expect(h.d.ia).toBe(0x214);
    expect(fullState(h.d)).toEqual(fullState(freshAt(TRAPS, mode, p3 + 6).d));
  });

  it('console input is journaled: replays after BACK are exact', () => {
    const h = harness(ECHO, mode, { snapshotInterval: 3 });
    const s = h.cmd('BEGIN').join('\n');
    expect(s).toContain('enabled wait for console input');
    const at = h.d.position;
    h.cmd('INPUT hello, reverse');
    expect(h.cmd('BEGIN').join('\n')).toContain('code 0 (success)');
    expect(h.out).toEqual(['hello, reverse']);
    const final = fullState(h.d);
    h.cmd('BACK 6');
    expect(fullState(h.d)).toEqual(fullState(freshAt(ECHO, mode, h.d.position, { at, line: 'hello, reverse' }).d));
    h.cmd('BACK 100');
    expect(h.d.position).toBe(0);
    h.cmd('BEGIN');
    expect(fullState(h.d)).toEqual(final);
    expect(h.out).toEqual(['hello, reverse', 'hello, reverse']);
  });

  it('an action after BACK forks the timeline (the old future is dropped)', () => {
    const h = harness(TRAPS, mode, { snapshotInterval: 5 });
    h.cmd('BEGIN');
    h.cmd('BACK 40');
    const at = h.d.position;
    h.cmd('STORE G 8 64');
    expect(h.d.timeline.marks.every((m) => m.step <= at)).toBe(true);
    h.cmd('BEGIN');
    const forked = fullState(h.d);
    h.cmd('BACK 30');
    h.cmd('BEGIN');
    expect(fullState(h.d)).toEqual(forked);
    expect(h.d.gpr[8]).not.toBe(freshAt(TRAPS, mode, 1000).d.gpr[8]);
  });
});

it('snapshots share unchanged storage pages', () => {
  const h = harness(TRAPS, 'vm', { snapshotInterval: 2, maxSnapshots: 64 });
  h.d.resume(40);
  const marks = h.d.timeline.marks;
  const pages = new Set(marks.flatMap((m) => m.snap.pages));
  expect(marks.length).toBeGreaterThan(10);
  expect(pages.size).toBeLessThan(marks[0].snap.pages.length + 3 * marks.length);
});
