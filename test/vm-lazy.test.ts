/**
 * Idle VMs are cheap (issue 11): a VM's 16 KiB shadow table is allocated only once the guest runs
 * with DAT on; until then every VM shares one all-zero table that nothing may write.
 */
import { describe, expect, it } from 'vitest';
import { TLB_VALID } from '../src/cpu/arch.ts';
import { buildFile } from '../src/host/build.ts';
import { Session } from '../src/session/session.ts';

function session(file: string): Session {
  const b = buildFile(new URL(`../programs/${file}`, import.meta.url).pathname);
  if (!b.ok) throw new Error(b.errors.join('\n'));
  return new Session(b.image, { mode: 'vm', console: () => {} });
}

describe('lazy shadow tables', () => {
  it('VMs that never turn DAT on share one zero table; a DAT guest gets its own, and the shared one stays zero', () => {
    const a = session('hello.s'), b = session('bench/sieve.s');
    expect(a.run(10_000_000).success).toBe(true);
    expect(b.run(100_000_000).success).toBe(true);
    expect(a.vm!.shadow).toBe(b.vm!.shadow);
    const m = session('mtos/mtos.s');
    expect(m.run(5_000_000).success).toBe(true);
    const own = m.vm!.shadow;
    expect(own).not.toBe(a.vm!.shadow);
    expect(own.some((e) => (e & TLB_VALID) !== 0)).toBe(true);
    expect(m.vm!.counters.shadowFills).toBeGreaterThan(0);
    expect(a.vm!.shadow.every((e) => e === 0)).toBe(true);
    // Once allocated, the VM keeps its own table even with DAT off again (MTOS ends with DAT off).
    expect(m.vm!.shadow).toBe(own);
  });
});
