/**
 * `tinycp theorem`'s verdict comes from what ran: a demoted instruction that executed directly
 * under CP is reported even when the outputs happen to agree; `--hybrid` (theorem 3) runs a
 * leaky-profile program correctly where plain trap-and-emulate fails.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../src/cpu/profiles.ts';
import { buildFile } from '../src/host/build.ts';
import { theorem, theoremOnProfile } from '../src/theory/theorem.ts';

const ROOT = join(import.meta.dirname, '..');
function image(file: string) {
  const b = buildFile(file);
  if (!b.ok) throw new Error(b.errors.join('\n'));
  return b.image;
}
const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/tinycp.mjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

describe('theorem verdicts', () => {
  it('SPT demoted: outputs agree, but it ran directly once: "equivalent by luck", not "does not depend"', () => {
    const r = theorem(image('programs/theorem.s'), 'SPT');
    if (typeof r === 'string') throw new Error(r);
    expect(r.equivalentWhenBroken).toBe(true);
    expect(r.runs[2].direct).toEqual({ SPT: 1 });
    expect(r.verdict).toBe('equivalent-by-luck');
    const out = cli('theorem', '--demote', 'SPT').stdout;
    expect(out).toMatch(/NOT by construction: SPT ran directly 1 time/);
    expect(out).not.toMatch(/does not depend/);
  }, 60_000);

  it('PTLB demoted: never executed, so the program really does not depend on it', () => {
    const r = theorem(image('programs/theorem.s'), 'PTLB');
    if (typeof r === 'string') throw new Error(r);
    expect(r.runs[2].directTotal).toBe(0);
    expect(r.verdict).toBe('equivalent');
  });

  it('SSM demoted: diverged', () => {
    const r = theorem(image('programs/theorem.s'), 'SSM');
    if (typeof r === 'string') throw new Error(r);
    expect(r.verdict).toBe('diverged');
    expect(r.runs[2].direct.SSM).toBe(1);
  });

  it('--hybrid runs theorem.s on leaky-popf as the bare machine does, where trap-and-emulate fails', () => {
    const r = theoremOnProfile(image('programs/theorem.s'), PROFILES['leaky-popf'], true);
    expect(r.verdict).toBe('diverged');
    expect(r.hybridEquivalent).toBe(true);
    expect(r.runs[3].success).toBe(true);
    expect(r.runs[3].hybridSteps).toBeGreaterThan(0);
    expect(r.runs[3].directTotal).toBe(0); // CP saw every SSM: none ran directly
  });

  it('run --profile and --hybrid: the same leaky program fails under CP and succeeds with --hybrid', () => {
    const plain = cli('run', '--vm', '--profile', 'leaky-popf', 'programs/theorem.s');
    const hybrid = cli('run', '--vm', '--hybrid', '--profile', 'leaky-popf', 'programs/theorem.s');
    const bare = cli('run', '--profile', 'leaky-popf', 'programs/theorem.s');
    expect(bare.status).toBe(0);
    expect(plain.status).toBe(1);
    expect(hybrid.status).toBe(0);
    expect(cli('run', '--profile', 'nonesuch', 'programs/theorem.s').stderr).toMatch(/unknown profile 'nonesuch'/);
    expect(cli('run', '--hybrid', 'programs/theorem.s').status).toBe(3);
    const debug = (...a: string[]) => spawnSync(process.execPath, ['bin/tinycp.mjs', 'debug', ...a, 'programs/theorem.s'],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000, input: 'BEGIN\nQUIT\n' }).stdout;
    expect(debug('--vm', '--profile', 'leaky-popf')).toMatch(/program ended: disabled wait, code X'8'/);
    expect(debug('--vm', '--hybrid', '--profile', 'leaky-popf')).toMatch(/program ended: disabled wait, code 0 \(success\)/);
  }, 120_000);

  it('paravirtualization: para-ssm.s asks CP by DIAGNOSE instead of SSM, and runs on leaky-popf where theorem.s fails', () => {
    const para = image('programs/theory/para-ssm.s');
    const r = theoremOnProfile(para, PROFILES['leaky-popf']);
    expect(r.bareOnProfile.success).toBe(true);
    expect(r.runs[2].success).toBe(true); // plain trap-and-emulate, leaky machine
    expect(r.runs[2].directTotal).toBe(0); // no SSM ran directly: the guest never executed it under CP
    expect(r.runs[2].console).toEqual(['STORED PSW']); // CP's answer to the hypercall: the guest is aware of CP
    expect(theoremOnProfile(image('programs/theorem.s'), PROFILES['leaky-popf']).runs[2].success).toBe(false);
  });

  it('theorem classify --json: profile, classes, violations', () => {
    const j = JSON.parse(cli('theorem', 'classify', '--profile', 'leaky-read', '--json').stdout);
    expect(j.profile).toBe('leaky-read');
    expect(j.violations.sort()).toEqual(['LRA', 'STCTL']);
    expect(j.classes.STCTL).toBe('behavior-sensitive');
    expect(j.classes.LCTL).toBe('privileged');
    expect(j.classes.AR).toBe('innocuous');
  }, 120_000);
});
