/**
 * Checks for DAP request arguments. A client is untrusted input like a guest: every field is
 * checked for type and range before the adapter uses it, and a bad one is answered with a DAP
 * error response naming the field, never with an exception. Text from the client that goes into
 * an error message is cut short, so a message never carries a client's megabytes back.
 */

/** A request the adapter refuses, with the reason for the client (not an `Error`: no bug here). */
export class BadRequest {
  constructor(readonly reason: string, readonly id = 3010) {}
}

export type Args = Record<string, unknown>;

/** Client text quoted in a message: at most 60 characters, control characters shown as '?'. */
export function quote(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  // eslint-disable-next-line no-control-regex
  const t = s.slice(0, 60).replace(/[\u0000-\u001f\u007f]/g, '?');
  return `'${t}${s.length > 60 ? '...' : ''}'`;
}

/** The arguments object of a request (absent: empty). */
export function argsOf(v: unknown): Args {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new BadRequest('the request\'s arguments must be an object');
  return v as Args;
}

export function optString(a: Args, key: string, max = 4096): string | undefined {
  const v = a[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new BadRequest(`'${key}' must be a string`);
  if (v.length > max) throw new BadRequest(`'${key}' is longer than ${max} characters`);
  return v;
}

export function reqString(a: Args, key: string, max = 4096): string {
  const v = optString(a, key, max);
  if (v === undefined) throw new BadRequest(`'${key}' is required`);
  return v;
}

export function optBool(a: Args, key: string): boolean | undefined {
  const v = a[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new BadRequest(`'${key}' must be true or false`);
  return v;
}

export function optInt(a: Args, key: string, min: number, max: number): number | undefined {
  const v = a[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) throw new BadRequest(`'${key}' must be an integer from ${min} to ${max}`);
  return v;
}

export function reqInt(a: Args, key: string, min: number, max: number): number {
  const v = optInt(a, key, min, max);
  if (v === undefined) throw new BadRequest(`'${key}' is required`);
  return v;
}

export function optEnum<T extends string>(a: Args, key: string, values: readonly T[]): T | undefined {
  const v = a[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw new BadRequest(`'${key}' must be one of ${values.join(', ')}`);
  return v as T;
}

/** An array of at most `max` elements (absent: empty). */
export function optArray(a: Args, key: string, max: number): unknown[] {
  const v = a[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new BadRequest(`'${key}' must be an array`);
  if (v.length > max) throw new BadRequest(`'${key}' has more than ${max} elements`);
  return v;
}

/** An element of an array that must be an object. */
export function objAt(v: unknown, where: string): Args {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new BadRequest(`${where} must be an object`);
  return v as Args;
}

/** A memory reference: a decimal or 0x-hex address within the 24-bit address space. */
export function address(a: Args, key: string): number {
  const s = reqString(a, key, 32).trim();
  const v = /^(0x[0-9a-f]{1,8}|\d{1,10})$/i.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(v) || v > 0xffffff) throw new BadRequest(`'${key}' must be an address from 0 to 0xFFFFFF (decimal or 0x...), not ${quote(s)}`);
  return v;
}
