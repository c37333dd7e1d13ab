/**
 * Main storage (PoO 3.1): byte-addressed and big-endian, held as an Int32Array of words so that
 * aligned word access (instruction fetch, L, ST) is one typed-array load. The byte at address a is
 * bits (24 - 8*(a&3)) .. of word a>>2: byte 0 of a word is its most significant byte.
 *
 * These helpers take real (already translated) addresses and do no checking; callers check
 * `addr + len <= size` first. The interpreter inlines the same expressions.
 */

/** Storage sizes are whole pages, at least 64 KiB, at most 16 MiB (24-bit addressing). */
export const MIN_STORAGE = 64 * 1024;
export const MAX_STORAGE = 16 * 1024 * 1024;

/** Make a zeroed storage of `bytes` bytes (rounded up to a 4 KiB page). */
export function makeStorage(bytes: number): Int32Array {
  if (!Number.isInteger(bytes) || bytes < MIN_STORAGE || bytes > MAX_STORAGE) {
    throw new RangeError(`storage size ${bytes} is not between ${MIN_STORAGE} and ${MAX_STORAGE} bytes`);
  }
  return new Int32Array(((bytes + 4095) & ~4095) >>> 2);
}

/**
 * True when an operand of `len` bytes (0-4,096) at real address `a` lies in a storage of `size`
 * bytes. An operand of length 0 accesses no storage, so it never causes an addressing exception,
 * wherever it points (PoO 3.3; System/370's rule for MVCL and CLCL of length 0). One rule for the
 * bare machine's and CP's DIAGNOSE operands.
 */
export function operandInStorage(a: number, len: number, size: number): boolean {
  return len === 0 || (a >= 0 && len > 0 && a + len <= size);
}

/** Size of a storage in bytes. */
export function storageSize(mem: Int32Array): number { return mem.length << 2; }

export function loadWord(mem: Int32Array, a: number): number { return mem[a >>> 2]; }
export function storeWord(mem: Int32Array, a: number, v: number): void { mem[a >>> 2] = v; }

export function loadByte(mem: Int32Array, a: number): number {
  return (mem[a >>> 2] >>> (24 - ((a & 3) << 3))) & 0xff;
}
export function storeByte(mem: Int32Array, a: number, v: number): void {
  const sh = 24 - ((a & 3) << 3);
  const i = a >>> 2;
  mem[i] = (mem[i] & ~(0xff << sh)) | ((v & 0xff) << sh);
}

/** Halfword at an even address, zero-extended. */
export function loadHalf(mem: Int32Array, a: number): number {
  return (mem[a >>> 2] >>> (16 - ((a & 2) << 3))) & 0xffff;
}
export function storeHalf(mem: Int32Array, a: number, v: number): void {
  const sh = 16 - ((a & 2) << 3);
  const i = a >>> 2;
  mem[i] = (mem[i] & ~(0xffff << sh)) | ((v & 0xffff) << sh);
}

/** FNV-1a over the words of storage: tests and tools compare machines by it. */
export function storageHash(mem: Int32Array): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < mem.length; i++) h = Math.imul(h ^ mem[i], 0x01000193);
  return h >>> 0;
}

/** Copy bytes out of storage (for devices and tools; not used by the interpreter's hot loop). */
export function readBytes(mem: Int32Array, a: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = loadByte(mem, a + i);
  return out;
}
export function writeBytes(mem: Int32Array, a: number, bytes: ArrayLike<number>): void {
  for (let i = 0; i < bytes.length; i++) storeByte(mem, a + i, bytes[i]);
}
