/**
 * The Web Worker that owns the machine (engine.ts). The page posts commands and draws the
 * replies; a run yields between slices through a MessageChannel (no timer clamping), so a
 * Pause posted by the page is seen within a slice.
 */
import { Engine } from './engine.ts';
import type { ToEngine } from './protocol.ts';

const scope = self as unknown as { postMessage(m: unknown): void; onmessage: ((e: MessageEvent<ToEngine>) => void) | null };
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldNow = () => new Promise<void>((resolve) => { waiting.push(resolve); channel.port2.postMessage(0); });

const engine = new Engine((m) => scope.postMessage(m), yieldNow, () => performance.now());
scope.onmessage = (e) => {
  engine.handle(e.data).catch((err: unknown) => scope.postMessage({ type: 'console', lines: [`engine error: ${String(err)}`] }));
};
