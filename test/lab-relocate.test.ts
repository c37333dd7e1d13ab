/**
 * Live relocation (docs/lab-isolation.md): a running VM moves between two `tinycp system`
 * processes on 127.0.0.1 and its console output is exactly that of a run that never moved; a
 * target that lacks what the VM needs refuses with a clear reason and the VM goes on at home.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDirectory } from '../src/timesharing/directory.ts';
import { TimeSharingSystem } from '../src/timesharing/time-sharing-system.ts';
import { LAB_DIR } from '../src/lab/build.ts';
import { adoptVm, captureVm, refuseReason, releaseVm } from '../src/lab/relocate.ts';
import { relocateLab } from '../src/lab/relocate-lab.ts';
import { parseRelocate } from '../src/lab/relocate-args.ts';
import { tempDir } from './tmp.ts';

function boot(dir: string, name: string, text: string): { sys: TimeSharingSystem; lines: string[] } {
  const p = parseDirectory(text, join(dir, `${name}.direct`), dir);
  if (!p.ok) throw new Error(p.errors.join('\n'));
  const lines: string[] = [];
  mkdirSync(join(dir, name)); // each system its own image folder: nothing is shared but the network message
  const sys = new TimeSharingSystem(
    p.directory,
    { spoolDir: join(dir, `${name}-spool`), logDir: null, imageDir: join(dir, name), quantum: 5_000, out: (l) => lines.push(l) },
  );
  sys.boot();
  return { sys, lines };
}
const src = (storage = '256K') => `PASSWORDS OFF\nUSER MOVER X ${storage} AUTOLOG\nIPL ${join(LAB_DIR, 'mover.s')}\nMDISK 191 mover.img 0 64 W\n`;
const guest = (lines: string[]) => lines.filter((l) => l.startsWith('MOVER: mover:'));

describe('live relocation', () => {
  it('moves a VM mid-run between two systems in one process: the same output as a run that never moved', () => {
    const dir = tempDir();
    const still = boot(dir, 'still', src());
    still.sys.runUntilQuiet(10_000_000);
    const a = boot(dir, 'a', src()), b = boot(dir, 'b', 'PASSWORDS OFF\nUSER MOVER X 256K\nMDISK 191 mover.img 0 64 W\n');
    a.sys.run(50_000);
    const img = structuredClone(captureVm(a.sys.users.get('MOVER')!));
    expect(refuseReason(b.sys, img)).toBeNull();
    expect(adoptVm(b.sys, img)).toBeNull();
    releaseVm(a.sys, a.sys.users.get('MOVER')!, 'b');
    a.sys.runUntilQuiet(10_000_000);
    b.sys.runUntilQuiet(10_000_000);
    const before = guest(a.lines), after = guest(b.lines);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    expect([...before, ...after]).toEqual(guest(still.lines));
    expect(b.sys.users.get('MOVER')!.vm.stop?.reason).toBe('disabled-wait');
    for (const s of [still, a, b]) s.sys.shutdown();
  });

  it('a target that lacks storage, a minidisk or the user refuses, saying what is missing', () => {
    const dir = tempDir();
    const a = boot(dir, 'a', src());
    a.sys.run(20_000);
    const img = captureVm(a.sys.users.get('MOVER')!);
    const t1 = boot(dir, 't1', 'PASSWORDS OFF\nUSER MOVER X 128K\nMDISK 191 m.img 0 64 W\n');
    expect(refuseReason(t1.sys, img)).toBe('THE TARGET GIVES MOVER 128K OF STORAGE; THE VM HAS 256K');
    const t2 = boot(dir, 't2', 'PASSWORDS OFF\nUSER MOVER X 256K\n');
    expect(refuseReason(t2.sys, img)).toBe('THE TARGET HAS NO MINIDISK 191 FOR MOVER');
    const t3 = boot(dir, 't3', 'PASSWORDS OFF\nUSER MOVER X 256K\nMDISK 191 m.img 0 10 W\n');
    expect(refuseReason(t3.sys, img)).toBe("THE TARGET'S MINIDISK 191 FOR MOVER HAS 10 BLOCKS; THE VM'S HAS 64");
    const t4 = boot(dir, 't4', 'PASSWORDS OFF\nUSER OTHER X 256K\n');
    expect(refuseReason(t4.sys, img)).toBe("USERID MOVER IS NOT IN THE TARGET'S DIRECTORY");
    expect(parseRelocate('MOVER:4000@5000')).toEqual({ user: 'MOVER', port: 4000, at: 5000 });
    expect(parseRelocate('MOVER:0@5000')).toBeNull();
    for (const s of [a, t1, t2, t3, t4]) s.sys.shutdown();
  });

  it('tinycp lab relocate: two processes on 127.0.0.1, moved mid-run, identical; a refusal leaves the VM at home', async () => {
    const r = await relocateLab();
    expect(r.identical).toBe(true);
    expect(r.moved_at_instruction).toBeGreaterThan(0);
    expect(r.lines_before_move + r.lines_after_move).toBe(r.lines_never_moved);
    expect(r.refused.reason).toMatch(/STORAGE/);
    expect(r.refused.identical).toBe(true);
  }, 300_000);
});

describe('a relocation target', () => {
  it('refuses garbage over the network with a reason and keeps running', async () => {
    const { createConnection } = await import('node:net');
    const { acceptVms } = await import('../src/lab/relocate.ts');
    const dir = tempDir();
    const t = boot(dir, 't', 'PASSWORDS OFF\nUSER MOVER X 256K\n');
    const seen: string[] = [];
    const server = await acceptVms(t.sys, 0, (_u, r) => seen.push(r.reason ?? 'ok'));
    const port = (server.address() as { port: number }).port;
    const send = (text: string) => new Promise<string>((res) => {
      let reply = '';
      const s = createConnection({ host: '127.0.0.1', port }, () => s.end(text));
      s.on('data', (b) => { reply += b.toString(); });
      s.on('close', () => res(reply));
    });
    try {
      expect(JSON.parse(await send('not json'))).toEqual({ ok: false, reason: 'NOT A TINYCP RELOCATION MESSAGE' });
      expect(JSON.parse(await send('{"magic":"tinycp-relocate-1","user":"MOVER","storage":-5}')).reason).toBe('BAD STORAGE SIZE -5');
      const image = '{"magic":"tinycp-relocate-1","user":"MOVER","storage":262144,"vm":{"state":"ready"},"disks":[],"console":9}';
      expect(JSON.parse(await send(image)).ok).toBe(false);
      expect(t.sys.users.has('MOVER')).toBe(false);
    } finally { server.close(); t.sys.shutdown(); }
  }, 60_000);
});
