/**
 * The loader: puts an image into storage the way an IPL would find it. The doubleword at 0 is
 * the IPL PSW (PoO 5.1, "Initial program loading"): if the image supplies it, that PSW starts
 * the program; otherwise the loader stores a PSW with flags 0 (supervisor state, every
 * interruption disabled, no DAT) and the entry point as instruction address.
 */
import { LC_RESTART_NEW } from '../cpu/arch.ts';
import { storageSize, storeWord, writeBytes } from '../cpu/storage.ts';
import type { Segment } from './asm/types.ts';
import { hexConstant } from '../cpu/hex.ts';

/** Result of `load()`: the IPL PSW's instruction address and where that PSW came from. */
export type LoadResult =
  | { ok: true; entry: number; psw: 'image' | 'generated' }
  | { ok: false; error: string };


/** Copy the image's segments into `mem` and make sure an IPL PSW is at 0. Never throws. */
export function load(mem: Int32Array, image: { segments: readonly Segment[]; entry: number | undefined }): LoadResult {
  const size = storageSize(mem);
  let covered = 0; // bytes of 0..7 the image defines
  for (const s of image.segments) {
    if (!Number.isInteger(s.address) || s.address < 0 || s.address + s.bytes.length > size) {
      return { ok: false, error: `segment at ${hexConstant(s.address)} (${s.bytes.length} bytes) does not fit in storage of ${size} bytes` };
    }
    const lo = Math.max(s.address, LC_RESTART_NEW), hi = Math.min(s.address + s.bytes.length, LC_RESTART_NEW + 8);
    if (hi > lo) covered += hi - lo;
  }
  if (covered > 0 && covered < 8) return { ok: false, error: 'the image defines only part of the IPL PSW at 0..7: define all 8 bytes (.psw) or none' };
  if (covered === 0) {
    const e = image.entry;
    if (e === undefined) return { ok: false, error: 'the image has no entry point and no IPL PSW at address 0' };
    if (!Number.isInteger(e) || e < 0 || e > 0xffffff) return { ok: false, error: `entry point ${hexConstant(e)} is outside the 24-bit address space` };
    if (e >= size) return { ok: false, error: `entry point ${hexConstant(e)} is outside storage of ${size} bytes` };
  }
  for (const s of image.segments) writeBytes(mem, s.address, s.bytes);
  if (covered === 8) return { ok: true, entry: mem[(LC_RESTART_NEW >> 2) + 1] & 0xffffff, psw: 'image' };
  storeWord(mem, LC_RESTART_NEW, 0);
  storeWord(mem, LC_RESTART_NEW + 4, image.entry!);
  return { ok: true, entry: image.entry!, psw: 'generated' };
}
