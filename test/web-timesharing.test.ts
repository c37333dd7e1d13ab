/**
 * Time-sharing in the page (web/src/ts-engine.ts), driven in Node: the demo directory's users run
 * round-robin under one CP with in-memory consoles, disks and spool; the directory's script is
 * typed as the node system types it, CMSA's note travels through the spool to CMSB, a crashing
 * guest is stopped alone, every VM gets time slices, and a #CP line typed at a console reaches CP.
 */
import { describe, expect, it } from 'vitest';
import { DEMO, QUANTUM, TimeSharing, type FromTs, type Slice } from '../web/src/ts-engine.ts';

describe('time-sharing in the playground', () => {
  it('runs the demo directory side by side, each user on its own console, the note through the spool', async () => {
    const got: FromTs[] = [];
    const ts = new TimeSharing((m) => got.push(m), () => new Promise<void>((r) => setImmediate(r)));
    const index = (name: string) => DEMO.users.findIndex((u) => u.name === name);
    await ts.handle({ type: 'start' });
    const out = (name: string) => got.flatMap((m) => (m.type === 'output' && m.vm === index(name) ? m.lines : []));
    expect(DEMO.users.map((u) => u.name)).toEqual(['HELLO', 'TIMER', 'CMSA', 'CMSB', 'MTOS', 'CRUNCH', 'WILD']);
    expect(out('HELLO')).toContain('Hello, world');
    expect(out('MTOS').some((l) => /^MTOS: all tasks ended/.test(l))).toBe(true);
    expect(out('CMSA')).toContain('PUNCH: 2 CARDS TO CMSB');
    expect(out('CMSB').join('\n')).toMatch(/RDR FILE \d+ SENT FROM CMSA/);
    expect(out('CMSB')).toContain("THIS NOTE WAS PUNCHED BY CMSA AND TRAVELLED THROUGH CP'S SPOOL.");
    expect(out('CMSA').join('\n')).toMatch(/CMSB - /); // QUERY NAMES
    expect(out('WILD').at(-1)).toMatch(/STOPPED: .*loop/i);
    const stats = (got.filter((m) => m.type === 'stats').at(-1) as Extract<FromTs, { type: 'stats' }>).vms;
    expect(stats.find((v) => v.name === 'WILD')!.state).toBe('stopped');
    expect(stats.find((v) => v.name === 'CMSA')!.state).toBe('stopped'); // CMS's LOGOFF ends with a disabled wait
    expect(out('CMSA').filter((l) => l === '#CP QUERY NAMES').length).toBe(1);
    const slices = got.flatMap((m) => (m.type === 'slices' ? m.slices : [])) as Slice[];
    expect(new Set(slices.map((s) => s.vm)).size).toBe(DEMO.users.length);
    // No slice is longer than the quantum: the compute-bound guest is preempted again and again.
    expect(Math.max(...slices.map((s) => s.used))).toBeLessThanOrEqual(QUANTUM);
    expect(slices.filter((s) => DEMO.users[s.vm].name === 'CRUNCH').length).toBeGreaterThan(5);
    // #CP IPL at HELLO's console: HELLO alone starts over.
    await ts.handle({ type: 'input', vm: index('HELLO'), line: '#CP IPL' });
    expect(out('HELLO').filter((l) => l === 'Hello, world').length).toBe(2);
  }, 60_000);
});
