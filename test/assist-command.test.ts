/**
 * CP's SET ASSIST and QUERY ASSIST (VM/370's SET ASSIST; PoO 10.12): a user turns their VM's
 * virtual-machine assist off and on, and sees its switch and counters. The switch changes which
 * instructions reach CP, never what the guest computes.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OP } from '../src/cpu/isa.ts';
import { buildFile } from '../src/host/build.ts';
import { RC_OK, RC_OPERAND } from '../src/monitor/commands.ts';
import { Session } from '../src/session/session.ts';
import { workDir } from './system-helpers.ts';

const ROOT = join(import.meta.dirname, '..');

function session() {
  const b = buildFile(join(ROOT, 'programs/syscall.s'));
  if (!b.ok) throw new Error(b.errors.join('\n'));
  const out: string[] = [];
  const s = new Session(b.image, { mode: 'vm', console: (l) => out.push(l) });
  return { s, vm: s.vm!, cp: s.cp!, out };
}

describe('SET ASSIST and QUERY ASSIST', () => {
  it('SET ASSIST OFF sends every system call to CP; the guest ends the same', () => {
    const on = session(), off = session();
    expect(off.cp.command(off.vm, 'set assist off')).toBe(RC_OK);
    expect(off.vm.assist).toBe(false);
    expect(off.out.pop()).toMatch(/^ASSIST OFF +COMPLETED 0 +PASSED TO CP 0/);
    const a = on.s.run(5_000_000), b = off.s.run(5_000_000);
    expect(a.success).toBe(true);
    expect(b).toEqual(a);
    expect(off.vm.assistCounters.completed[OP.SVC]).toBe(0);
    expect(off.vm.assistCounters.passed[OP.SVC]).toBe(on.vm.assistCounters.completed[OP.SVC]);
    expect(on.vm.counters.totalEntries).toBe(0);
    expect(off.vm.counters.totalEntries).toBeGreaterThan(0);
  });

  it('QUERY ASSIST shows the counters and the hit ratio; SET ASSIST ON turns it back on', () => {
    const { s, vm, cp, out } = session();
    cp.command(vm, 'SET ASSIST OFF');
    s.run(1000);
    expect(cp.command(vm, 'SET ASS ON')).toBe(RC_OK);
    s.run(1000);
    expect(cp.command(vm, 'Q AS')).toBe(RC_OK);
    const t = vm.assistCounters.total;
    expect(t.completed).toBeGreaterThan(0);
    expect(t.passed).toBeGreaterThan(0);
    const line = out.pop()!;
    expect(line).toContain(`COMPLETED ${t.completed}`);
    expect(line).toContain(`PASSED TO CP ${t.passed}`);
    expect(line).toMatch(/^ASSIST ON /);
  });

  it('says the assist is suspended while the VM is traced', () => {
    const { vm, cp, out } = session();
    cp.on(() => {});
    cp.command(vm, 'QUERY ASSIST');
    expect(out.pop()).toMatch(/^ASSIST ON \(SUSPENDED/);
  });

  it('refuses a bad operand with RC 2 and changes nothing', () => {
    const { vm, cp, out } = session();
    for (const bad of ['SET', 'SET ASSIST', 'SET ASSIST MAYBE', 'SET TIMER ON', 'SET ASSIST ON NOW', 'SET A ON']) {
      expect(cp.command(vm, bad), bad).toBe(RC_OPERAND);
      expect(out.pop(), bad).toMatch(/^SET: USE SET ASSIST ON\|OFF/);
      expect(vm.assist, bad).toBe(true);
    }
  });
});

describe('the time-sharing system with and without the assist', () => {
  /** The demo directory's end-of-run table as JSON (`tinycp system --json`), with extra flags. */
  function system(...flags: string[]) {
    const r = spawnSync(process.execPath, ['bin/tinycp.mjs', 'system', 'programs/demo/user.direct', '--batch', '--json', '--work', workDir(), ...flags],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { vms: { user: string; instructions: number; state: string; assistHitRatio: number | null }[] };
  }

  it('every VM does the same work; the table gives each VM\'s hit ratio, or null with --no-assist', () => {
    const on = system(), off = system('--no-assist');
    const same = (t: typeof on) => t.vms.map((v) => [v.user, v.state, v.instructions]);
    expect(same(on)).toEqual(same(off));
    expect(on.vms.length).toBeGreaterThanOrEqual(5);
    for (const v of on.vms) { expect(v.assistHitRatio).toBeGreaterThan(0); expect(v.assistHitRatio).toBeLessThanOrEqual(1); }
    for (const v of off.vms) expect(v.assistHitRatio).toBeNull();
  }, 180_000);
});
