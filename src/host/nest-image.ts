/**
 * The image of a program run N levels deep in minicp, the virtual machine monitor
 * written in tinycp assembly (programs/minicp/, docs/minicp.md).
 *
 * minicp's header (the word at X'1FC', label HDR_BASE) says where its guest's storage starts:
 * guest-real address 0 is minicp's real address GUEST_BASE. So the nested image is a stack:
 * minicp at 0, minicp again at GUEST_BASE (the first minicp's guest), ..., the program at
 * N x GUEST_BASE with its IPL PSW there (PoO 5.1.2). Each minicp gives its guest all storage
 * above its own GUEST_BASE, so the machine gets N x GUEST_BASE more than the program asked for
 * and the program sees exactly the storage size it would see bare.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Segment } from '../guest/index.ts';
import type { ObjectImage } from '../guest/object.ts';
import { buildFile, type Build } from './build.ts';

/** The source of minicp. */
export const MINICP_SOURCE = resolve(dirname(fileURLToPath(import.meta.url)), '../../programs/minicp/minicp.s');
/** Deepest nesting accepted (each level costs a factor in speed; see docs/minicp.md). */
export const MAX_NEST = 8;
const MAX_STORAGE = 16 << 20;

/** minicp, assembled once per process. */
let minicpBuild: Build | null = null;
export function buildMinicp(): Build {
  return (minicpBuild ??= buildFile(MINICP_SOURCE));
}

/** Where minicp puts its guest: the word at its header label HDR_BASE. */
export function minicpGuestBase(image: ObjectImage): number {
  const at = image.symbols?.HDR_BASE;
  if (at === undefined) throw new RangeError('minicp has no HDR_BASE header');
  for (const s of image.segments) {
    const o = at - s.address;
    if (o >= 0 && o + 4 <= s.bytes.length) return ((s.bytes[o] << 24) | (s.bytes[o + 1] << 16) | (s.bytes[o + 2] << 8) | s.bytes[o + 3]) >>> 0;
  }
  throw new RangeError('minicp header word not in its image');
}

export type Nested = { ok: true; image: ObjectImage; storage: number; base: number } | { ok: false; error: string };

/**
 * The image of `program` run `depth` levels deep in minicp, for a program that wants `storage`
 * bytes: minicp's segments at k x base (k < depth), the program's at depth x base, with an IPL
 * PSW generated from its entry point when it has none of its own.
 */
export function nestImage(program: Pick<ObjectImage, 'segments' | 'entry'>, depth: number, storage: number): Nested {
  if (!Number.isInteger(depth) || depth < 0 || depth > MAX_NEST) return { ok: false, error: `--nest must be 0..${MAX_NEST}` };
  const m = buildMinicp();
  if (!m.ok) return { ok: false, error: `minicp does not assemble:\n${m.errors.join('\n')}` };
  const base = minicpGuestBase(m.image);
  const total = storage + depth * base;
  if (total > MAX_STORAGE) return { ok: false, error: `--nest ${depth} needs ${total} bytes of storage, more than 16 MiB` };
  const shift = (segs: readonly Segment[], by: number): Segment[] => segs.map((s) => ({ ...s, address: s.address + by }));
  const segments: Segment[] = [];
  for (let k = 0; k < depth; k++) segments.push(...shift(m.image.segments, k * base));
  const at = depth * base;
  const definesPsw = program.segments.some((s) => s.address < 8 && s.address + s.bytes.length > 0);
  if (!definesPsw) {
    const e = program.entry;
    if (e === undefined) return { ok: false, error: 'the program has no entry point and no IPL PSW at address 0' };
    segments.push({ address: at, bytes: Uint8Array.of(0, 0, 0, 0, (e >>> 24) & 0xff, (e >>> 16) & 0xff, (e >>> 8) & 0xff, e & 0xff) } as Segment);
  }
  segments.push(...shift(program.segments, at));
  const entry = depth === 0 ? program.entry : m.image.entry;
  return { ok: true, image: { entry, segments, symbols: {} }, storage: total, base };
}
