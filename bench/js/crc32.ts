/** crc32.s in plain JavaScript: table-driven CRC-32 (IEEE 802.3, reflected) of a 4 KiB buffer. */
export const LEN = 4096;

function table(): Int32Array {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
}

function crc(t: Int32Array, buf: Uint8Array, len: number): number {
  let c = -1;
  for (let i = 0; i < len; i++) c = t[(c ^ buf[i]) & 255] ^ (c >>> 8);
  return ~c;
}

/** CRC-32 of the buffer (byte i = i*7+3), int32; the table is rebuilt each pass as in the guest. */
export function crc32(reps: number): number {
  const buf = new Uint8Array(LEN);
  for (let i = 0; i < LEN; i++) buf[i] = (i * 7 + 3) & 255;
  let c = 0;
  for (let r = 0; r < reps; r++) {
    const t = table();
    if (crc(t, new TextEncoder().encode('123456789'), 9) !== (0xcbf43926 | 0)) return 0;
    c = crc(t, buf, LEN);
  }
  return c;
}
