/**
 * Time-sharing in the page (web/src/ts-engine.ts), driven in Node: the demo users run round-robin
 * under one CP with in-memory consoles and disks; each console gets its own output, a crashing
 * guest is stopped alone, every VM gets time slices, and a line typed at a CMS console is answered.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_USERS, QUANTUM, TimeSharing, type FromTs, type Slice } from '../web/src/ts-engine.ts';

describe('time-sharing in the playground', () => {
  it('runs the demo users side by side, each on its own console, and answers typed input', async () => {
    const got: FromTs[] = [];
    const ts = new TimeSharing((m) => got.push(m), () => new Promise<void>((r) => setImmediate(r)));
    await ts.handle({ type: 'start' });
    const out = (name: string) => got.flatMap((m) => (m.type === 'output' && m.vm === DEMO_USERS.findIndex((u) => u.name === name) ? m.lines : []));
    expect(out('HELLO')).toContain('Hello, world');
    expect(out('MTOS').some((l) => /^MTOS: all tasks ended/.test(l))).toBe(true);
    expect(out('MTOS').at(-1)).toBe("CP: MTOS STOPPED: disabled wait, code X'0'");
    expect(out('CMSA').join('\n')).toMatch(/LETTER\s+NOTE/);
    expect(out('CMSB').join('\n')).not.toMatch(/LETTER/);
    expect(out('WILD').at(-1)).toMatch(/STOPPED: .*loop/i);
    const stats = (got.filter((m) => m.type === 'stats').at(-1) as Extract<FromTs, { type: 'stats' }>).vms;
    expect(stats.find((v) => v.name === 'WILD')!.state).toBe('stopped');
    expect(stats.find((v) => v.name === 'CMSA')!.state).toBe('idle');
    const slices = got.flatMap((m) => (m.type === 'slices' ? m.slices : [])) as Slice[];
    expect(new Set(slices.map((s) => s.vm)).size).toBe(DEMO_USERS.length);
    // No slice is longer than the quantum: the compute-bound guest is preempted again and again.
    expect(Math.max(...slices.map((s) => s.used))).toBeLessThanOrEqual(QUANTUM);
    expect(slices.filter((s) => DEMO_USERS[s.vm].name === 'CRUNCH').length).toBeGreaterThan(5);
    await ts.handle({ type: 'input', vm: DEMO_USERS.findIndex((u) => u.name === 'CMSB'), line: 'CREATE B TEXT' });
    await ts.handle({ type: 'input', vm: DEMO_USERS.findIndex((u) => u.name === 'CMSB'), line: 'HI' });
    await ts.handle({ type: 'input', vm: DEMO_USERS.findIndex((u) => u.name === 'CMSB'), line: '' });
    await ts.handle({ type: 'input', vm: DEMO_USERS.findIndex((u) => u.name === 'CMSB'), line: 'LISTFILE' });
    expect(out('CMSB').join('\n')).toMatch(/B\s+TEXT/);
  }, 60_000);
});
