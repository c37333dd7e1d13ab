/**
 * The isolation lab's guests, built from programs/lab: the lab kernel (one copy per VM, or one
 * shared by N tasks: the container model) and the library OS. The top-level source is generated
 * here: it sets the parameters the guest sources leave open and writes the task table (entry and
 * CPU share per task); everything else is the assembly in programs/lab. Builds are cached by
 * source text, so a thousand trials assemble each configuration once.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSource } from '../host/build.ts';
import type { ObjectImage } from '../guest/object.ts';

/** programs/lab, where the guest sources live. */
export const LAB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../programs/lab');

/** A service program of services.s. */
export type ServiceName = 'count' | 'kv' | 'copy' | 'spin' | 'flood' | 'snoop' | 'hog';
/** The three services every model runs. */
export const SERVICES: readonly ServiceName[] = ['kv', 'count', 'copy'];

export interface GuestParams {
  /** counter: lines to print. */
  count: number;
  /** kv: keys to put and get (1..15). */
  kvn: number;
  /** copier: rounds. */
  copyn: number;
  /** Kernel QoS: CPU shares by timer slices and a console-line allowance per slice. */
  qos: boolean;
  /** Instructions per share in a slice, and console lines per slice (QoS). */
  slice: number;
  conq: number;
  /** Private pages per task (the storage quota). */
  quota: number;
  /** Words the kernel's table leaks before it fails; 0: no leak. */
  leakMax: number;
}

export const DEFAULT_PARAMS: Readonly<GuestParams> = { count: 6, kvn: 6, copyn: 3, qos: true, slice: 2000, conq: 4, quota: 2, leakMax: 0 };

export interface TaskSpec { service: ServiceName; share: number }

const cache = new Map<string, ObjectImage>();

/** Build the lab kernel with these tasks, or the library OS with one service. Throws on a guest bug. */
export function buildGuest(kind: 'kernel' | 'libos', tasks: readonly TaskSpec[], p: GuestParams): ObjectImage {
  if (kind === 'libos' && tasks.length !== 1) throw new Error('the library OS runs one service per VM');
  const lines = [
    `NTASKS = ${tasks.length}`, `QOS = ${p.qos ? 1 : 0}`, `SLICE = ${p.slice}`, `CONQ = ${p.conq}`, `QUOTA = ${p.quota}`,
    `LEAK_MAX = ${p.leakMax}`, `COUNT = ${p.count}`, `KVN = ${p.kvn}`, `COPYN = ${p.copyn}`,
    `        .include "${kind}.s"`, '        .org  TASKTAB',
    ...tasks.map((t) => `        .word svc_${t.service}, ${t.share}`),
  ];
  const text = lines.join('\n') + '\n';
  let img = cache.get(text);
  if (!img) {
    const b = buildSource(text, join(LAB_DIR, `generated-${kind}.s`));
    if (!b.ok) throw new Error(`lab guest does not assemble:\n${b.errors.join('\n')}`);
    img = b.image;
    cache.set(text, img);
  }
  return img;
}
