/** The Web Worker of the time-sharing view: one TimeSharing system (ts-engine.ts), yielding between slices. */
import { TimeSharing, type ToTs } from './ts-engine.ts';

const scope = self as unknown as { postMessage(m: unknown): void; onmessage: ((e: MessageEvent<ToTs>) => void) | null };
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldNow = () => new Promise<void>((resolve) => { waiting.push(resolve); channel.port2.postMessage(0); });

const system = new TimeSharing((m) => scope.postMessage(m), yieldNow, () => performance.now());
scope.onmessage = (e) => { system.handle(e.data).catch((err: unknown) => console.error(err)); };
