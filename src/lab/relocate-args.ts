/** The command-line forms of live relocation (no imports: the CLI parses them at start-up). */

export interface RelocateTarget { user: string; port: number; at: number }

/** Parse `USER:PORT@N` (N: CP real instruction count at which to move). Null when malformed. */
export function parseRelocate(v: string): RelocateTarget | null {
  const m = /^([A-Za-z0-9]{1,8}):(\d{1,5})@(\d{1,15})$/.exec(v.replace(/_/g, ''));
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) return null;
  return { user: m[1].toUpperCase(), port: Number(m[2]), at: Number(m[3]) };
}

/** Parse a port to listen on: 0 (any free port) to 65535. Null when malformed. */
export function parsePort(v: string): number | null {
  return /^\d{1,5}$/.test(v) && Number(v) <= 65535 ? Number(v) : null;
}
