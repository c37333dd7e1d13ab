/**
 * Reading host files on behalf of a user, on Node: program sources, `.include` files, object
 * files, user directories, IPL programs and reader card files all come through `readHostFile`.
 * Kept apart from index.ts so the toolchain itself stays browser-safe.
 *
 * A name on a command line or in a directory can be anything: `/dev/zero` never ends, a FIFO
 * blocks its reader until a writer comes, a 10 GB file would fill the heap. So a file is opened
 * without blocking, refused unless it is a regular file, and refused when it is larger than the
 * limit of its kind (README, "Files tinycp reads"). Errors are one named reason, never a throw.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';

const MiB = 1024 * 1024;

/** The largest file of each kind tinycp reads for a user (bytes). */
export const HOST_FILE_LIMITS = {
  /** An assembly source or `.include` file. */
  source: 16 * MiB,
  /** A tinycp object file (16 MiB of storage as hex, plus symbols and source map). */
  object: 64 * MiB,
  /** A user directory (`tinycp system`). */
  directory: 16 * MiB,
  /** A deck of reader cards (`tinycp run --reader`): 200,000 cards or so. */
  cards: 16 * MiB,
  /** Console input piped to `tinycp run` on stdin. */
  input: 16 * MiB,
} as const;

export type HostFileKind = keyof typeof HOST_FILE_LIMITS;

const KIND_NAMES: Record<HostFileKind, string> = {
  source: 'a source file', object: 'an object file', directory: 'a directory', cards: 'a card file', input: 'console input',
};

export type HostRead = { ok: true; bytes: Buffer } | { ok: false; error: string; code?: string };

function fileType(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a plain file';
}

const mib = (n: number) => `${n / MiB} MiB`;

/**
 * Read a whole regular file of at most the limit of `kind`. The reason on failure is
 * `path: cannot read: why` (ENOENT, EACCES ..., "not a regular file (a FIFO)", "larger than ...").
 */
export function readHostFile(path: string, kind: HostFileKind): HostRead {
  const limit = HOST_FILE_LIMITS[kind];
  const fail = (why: string, code?: string): HostRead => ({ ok: false, error: `${path}: cannot read: ${why}`, code });
  let fd: number;
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
  try { fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0)); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code ?? String(e), code);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return fail(`not a regular file (${fileType(st)})`, 'ENOTREG');
    if (st.size > limit) return fail(`${st.size} bytes, larger than the ${mib(limit)} limit for ${KIND_NAMES[kind]}`, 'EFBIG');
    // The file may grow while it is read: read at most limit + 1 bytes, and refuse if that many came.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(Math.max(st.size - total + 1, 65536), limit + 1 - total, MiB));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > limit) return fail(`larger than the ${mib(limit)} limit for ${KIND_NAMES[kind]}`, 'EFBIG');
    }
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code ?? String(e), code);
  } finally {
    closeSync(fd);
  }
}

/** `readHostFile` as UTF-8 text. */
export function readHostText(path: string, kind: HostFileKind): { ok: true; text: string } | { ok: false; error: string; code?: string } {
  const r = readHostFile(path, kind);
  return r.ok ? { ok: true, text: r.bytes.toString('utf8') } : r;
}

/**
 * Read an included file relative to the file that includes it: undefined when it does not exist
 * (the caller may look elsewhere); a file that exists but cannot be read throws its reason,
 * which the assembler reports at the `.include` line.
 */
export function nodeReadFile(path: string, fromFile: string): string | undefined {
  const r = readHostText(resolve(dirname(fromFile), path), 'source');
  if (r.ok) return r.text;
  if (r.code === 'ENOENT' || r.code === 'ENOTDIR') return undefined;
  throw new Error(r.error);
}
