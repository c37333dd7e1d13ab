/**
 * Issue 9: every guest instruction counts against an instruction budget, whoever completes it
 * (the real CPU, or CP emulating or reflecting it). A guest whose every instruction CP handles
 * once ran for minutes on `tinycp system --max-instructions 1000000`.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../src/session/session.ts';
import { buildSource } from '../src/host/build.ts';
import { bootSystem, instructions, workDir } from './system-helpers.ts';

/** SVC new PSW points at the SVC itself: every instruction is an SVC that CP reflects. */
const SVC_LOOP = `        .include "tinycp.inc"
        .org 0
        .psw 0, start
        .org LC_SVC_NEW
        .psw 0, start
        .org 0x200
start:  SVC 1
`;

/** An SVC handler that returns by LPSW: one reflected, one emulated, one direct per round. */
const SVC_LPSW = `        .include "tinycp.inc"
        .org 0
        .psw 0, start
        .org LC_SVC_NEW
        .psw 0, handler
        .org 0x200
start:  SVC 1
        J start
handler: LPSW LC_SVC_OLD
`;

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function system(programs: Record<string, string>) {
  const files: Record<string, string> = {};
  let directory = '';
  for (const [user, text] of Object.entries(programs)) {
    files[`${user}.s`] = text;
    directory += `USER ${user} PW 64K AUTOLOG\n  IPL ${user}.s\n`;
  }
  const dir = workDir(files);
  dirs.push(dir);
  for (const u of Object.keys(programs)) directory = directory.replace(`IPL ${u}.s`, `IPL ${join(dir, `${u}.s`)}`);
  return bootSystem(dir, directory, { quantum: 10_000 });
}

describe('instruction budgets count CP-handled instructions', () => {
  for (const [name, text] of [['an SVC loop reflected by CP', SVC_LOOP], ['an SVC and LPSW loop', SVC_LPSW]] as const) {
    it(`tinycp system: ${name} stops within one time slice of the budget`, () => {
      const sys = system({ LOOPER: text });
      const budget = 300_000;
      expect(sys.runUntilQuiet(budget)).toBe('budget');
      const ran = instructions(sys, 'LOOPER');
      expect(ran).toBeGreaterThanOrEqual(budget);
      expect(ran).toBeLessThanOrEqual(budget + sys.quantum);
      expect(sys.cp.realTime).toBe(ran); // CP's clock counts every guest instruction
      sys.shutdown();
    });
  }

  it('tinycp system: the budget is shared by a handled-only looper and a direct one', () => {
    const sys = system({ LOOPER: SVC_LOOP, COUNTER: `        .org 0\n        .psw 0, start\n        .org 0x200\nstart:  AHI R1,1\n        J start\n` });
    const budget = 200_000;
    expect(sys.runUntilQuiet(budget)).toBe('budget');
    const total = instructions(sys, 'LOOPER') + instructions(sys, 'COUNTER');
    expect(total).toBeLessThanOrEqual(budget + sys.quantum);
    expect(instructions(sys, 'LOOPER')).toBeGreaterThan(budget / 4); // round-robin: both ran
    sys.shutdown();
  });

  it('tinycp run --vm: an SVC loop stops at the budget', () => {
    const b = buildSource(SVC_LOOP, 'loop.s');
    if (!b.ok) throw new Error(b.errors.join('\n'));
    const s = new Session(b.image, { mode: 'vm' });
    const r = s.run(100_000);
    expect(r.reason).toBe('budget');
    expect(s.instructions).toBe(100_000);
  });
});
