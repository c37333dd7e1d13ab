/**
 * Prose only when someone listens (STYLE.md item 8): CP renders an event's reason (narrate.ts)
 * only while a listener is subscribed; an untraced run builds no sentences, however many traps.
 */
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import * as narrate from '../src/monitor/narrate.ts';
import { Session } from '../src/session/session.ts';
import { buildOrThrow } from './guest-helpers.ts';

vi.mock('../src/monitor/narrate.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/monitor/narrate.ts')>();
  return { ...real, reasonFor: vi.fn(real.reasonFor), pgmPhrase: vi.fn(real.pgmPhrase) };
});

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

describe('reflected traps build no prose when nobody listens', () => {
  it('renders reasons only for a listener', () => {
    const b = buildOrThrow(join(ROOT, 'programs/tests/pgm_spec.s'));
    // CP itself reflects (the assist off): every reflection is CP's, and none may build prose.
    const quiet = new Session(b.image, { mode: 'vm', assist: false });
    quiet.run(200_000);
    expect(quiet.vm!.counters.reflected).toBeGreaterThan(10);
    expect(vi.mocked(narrate.reasonFor)).not.toHaveBeenCalled();
    expect(vi.mocked(narrate.pgmPhrase)).not.toHaveBeenCalled();
    const heard = new Session(b.image, { mode: 'vm' });
    let events = 0;
    heard.cp!.on(() => { events++; });
    heard.run(200_000);
    expect(vi.mocked(narrate.reasonFor)).toHaveBeenCalled();
    expect(events).toBeGreaterThan(10);
  });
});
