/**
 * The isolation lab's three models (docs/lab-isolation.md) run the same service code and, with
 * nothing going wrong, print the same lines; the kernel's container features (namespaces, QoS)
 * do what the lab relies on.
 */
import { describe, expect, it } from 'vitest';
import { SERVICES } from '../src/lab/build.ts';
import { MODELS, runToEnd } from '../src/lab/models.ts';
import { othersThroughput } from '../src/lab/neighbour.ts';
import { driverRun } from '../src/lab/driver.ts';

const tasks = SERVICES.map((s) => ({ service: s, share: 1 }));

/** What the copier must print: its checksum computed here, independently of the guest. */
function copyLines(rounds: number): string[] {
  const out: string[] = [];
  for (let r = 1; r <= rounds; r++) {
    let sum = 0;
    for (let i = 0; i < 256; i++) sum += ((i * 37 + r * 11) & 255) * (i + 1);
    out.push(`copy ${r} 256 ${sum}`);
  }
  return [...out, 'copy done'];
}

describe('lab models', () => {
  it('print the same, correct lines in all three models', () => {
    const outs = MODELS.map((m) => runToEnd(m, tasks, { count: 4, kvn: 5, copyn: 2 }));
    const want = [
      [5, 4, 3, 2, 1].map((k) => `kv ${k}=${k * k + 7}`).concat('kv done'),
      [1, 2, 3, 4].map((n) => `count ${n}`).concat('count done'),
      copyLines(2),
    ];
    for (const o of outs) expect(o).toEqual(want);
  });

  it('a container sees only its own files and cannot pass its storage quota; the others go on', () => {
    // hog touches QUOTA+1 pages; snoop reads file 0 after the copier has written its own file 0.
    const [hog, snoop, copy] = runToEnd(
      'container',
      [{ service: 'hog', share: 1 }, { service: 'snoop', share: 1 }, { service: 'copy', share: 1 }],
      { copyn: 2 },
    );
    expect(hog).toEqual(['abend 0301']);
    expect(snoop).toEqual(['snoop 0']);
    expect(copy).toEqual(copyLines(2));
  });

  it('without its QoS the shared kernel lets a spinner starve the others; CP never does', () => {
    expect(othersThroughput('container', 'spin', false)).toBe(0);
    expect(othersThroughput('container', 'spin', true)).toBeGreaterThan(0);
    expect(othersThroughput('vm', 'spin')).toBe(othersThroughput('vm', 'quiet'));
  }, 120_000);

  it('the driver domain loses nothing acknowledged when its VM is killed mid-run', () => {
    const r = driverRun(8_000);
    expect(r.killed_at).toBeGreaterThanOrEqual(8_000);
    expect(r.restarted_at).toBeGreaterThan(r.killed_at);
    expect(r.completed).toBe(true);
    expect(r.acknowledged).toBe(r.requests);
    expect(r.lost_acknowledged).toBe(0);
    expect(r.retries).toBeGreaterThan(0);
  }, 60_000);
});
