/**
 * The DAP server stays up for every client (issue 9, section 1): requests before launch and after
 * a failed launch, arguments of the wrong type or size, oversized and malformed messages, host
 * files that are not programs, runs that would block the server, the optional token, and a brief
 * seeded fuzz of random request sequences beside a second session that must keep working.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listenDap } from '../src/dap/server.ts';
import { MAX_MESSAGE_BYTES } from '../src/dap/transport.ts';
import { Client, runDapFuzz } from './fuzz/dap-fuzz.ts';
import { TRAPS } from './debug-helpers.ts';

let dir: string;
let server: Server;
let port: number;
const clients: Client[] = [];
const internal: unknown[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tinycp-dap-robust-'));
  writeFileSync(join(dir, 'spin.s'), '        .org  0\n        .psw  0, start\n        .org  0x200\nstart:  AHI   R5,1\n        BRC   15,start\n');
  writeFileSync(join(dir, 'notes.txt'), 'TOP-SECRET line one\nroot:x:0:0\n');
  writeFileSync(join(dir, 'blob.s'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0x53, 0x45, 0x43, 0x52, 0x45, 0x54]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  if (server) await new Promise((r) => server.close(r));
  expect(internal).toEqual([]);
});

async function open(opts: { token?: string } = {}): Promise<Client> {
  if (!server?.listening) {
    server = await listenDap(0, { ...opts, onInternalError: (e) => internal.push(e) });
    port = (server.address() as { port: number }).port;
  }
  const c = await Client.open(port);
  clients.push(c);
  return c;
}

/** A session stopped at the entry of `program`. */
async function launched(program = TRAPS): Promise<Client> {
  const c = await open();
  expect((await c.request('launch', { program, stopOnEntry: true })).success).toBe(true);
  await c.request('configurationDone');
  return c;
}

describe('tinycp dap: every request is checked', () => {
  it('refuses requests that need a program before launch, and after a failed launch; threads is empty', async () => {
    const c = await open();
    for (const cmd of ['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'pause', 'evaluate', 'disassemble', 'readMemory',
      'writeMemory', 'setVariable', 'variables', 'scopes', 'stackTrace']) {
      const r = await c.request(cmd, { threadId: 1, expression: 'D G', memoryReference: '0x200', count: 4, instructionCount: 1 });
      expect(r.success, cmd).toBe(false);
      expect(r.message).toMatch(/no program is loaded/);
    }
    expect((await c.request('threads')).body.threads).toEqual([]);
    const bad = await c.request('launch', { program: 42 });
    expect(bad.message).toBe("'program' must be a string");
    expect((await c.request('launch', null)).message).toMatch(/arguments must be an object/);
    expect((await c.request('launch', { program: join(dir, 'missing.s') })).message).toMatch(/no such file/);
    expect((await c.request('continue', { threadId: 1 })).message).toMatch(/no program is loaded/);
    // The session is still usable: a good launch now succeeds.
    expect((await c.request('launch', { program: TRAPS, stopOnEntry: true })).success).toBe(true);
    expect((await c.request('launch', { program: TRAPS })).message).toMatch(/already launched/);
  });

  it('answers wrong argument types and sizes with a DAP error naming the field, never a stack', async () => {
    await open();
    const c = await launched();
    const cases: [string, unknown, RegExp][] = [
      ['setBreakpoints', {}, /'source'/],
      ['setBreakpoints', { source: { path: TRAPS }, breakpoints: 'x' }, /'breakpoints' must be an array/],
      ['setBreakpoints', { source: { path: TRAPS }, breakpoints: [{ line: 'ten' }] }, /'line' must be an integer/],
      ['evaluate', { expression: 42 }, /'expression' must be a string/],
      ['evaluate', { expression: { toString: 1 } }, /'expression' must be a string/],
      ['disassemble', { memoryReference: '0x200', instructionCount: 1e8 }, /'instructionCount' must be an integer from 0 to 4096/],
      ['readMemory', { memoryReference: '0x200', count: 1e9 }, /'count' must be an integer from 0 to 65536/],
      ['readMemory', { memoryReference: 'banana', count: 4 }, /'memoryReference' must be an address/],
      ['setVariable', { variablesReference: 1, name: 'R1', value: null }, /'value' must be a string/],
      ['setVariable', { variablesReference: 1, name: '{_stack}', value: '1' }, /only general and control registers/],
      ['writeMemory', { memoryReference: '0x200', data: '!!' }, /base64/],
      ['stepIn', { threadId: 1, granularity: 7 }, /'granularity' must be one of/],
      ['variables', { variablesReference: -1 }, /'variablesReference'/],
      ['setInstructionBreakpoints', { breakpoints: [null] }, /breakpoint 0 must be an object/],
      ['nonsense', {}, /unrecognized request/],
    ];
    for (const [cmd, args, want] of cases) {
      const r = await c.request(cmd, args);
      expect(r.success, cmd).toBe(false);
      expect(r.message, cmd).toMatch(want);
      expect(JSON.stringify(r)).not.toMatch(/\.ts:\d+|at [A-Za-z.]+ \(/);
    }
    expect((await c.request('stackTrace', { threadId: 1 })).success).toBe(true);
  });

  it('never echoes a host file that is not a program', async () => {
    const c = await open();
    const txt = await c.request('launch', { program: join(dir, 'notes.txt') });
    expect(txt.message).toMatch(/not an assembly source \(\.s, \.asm\) or a tinycp object file/);
    expect(txt.message).not.toMatch(/SECRET|root/);
    const bin = await c.request('launch', { program: join(dir, 'blob.s') });
    expect(bin.message).toMatch(/binary data/);
    expect(bin.message).not.toMatch(/SECRET|ELF/);
    expect((await c.request('launch', { program: dir })).message).toMatch(/not a regular file/);
    expect((await c.request('launch', { program: '/dev/zero' })).message).toMatch(/not a regular file/);
  });
});

describe('tinycp dap: messages and work are bounded', () => {
  it('refuses an oversized message without buffering it and goes on with the next one', async () => {
    const c = await open();
    const big = MAX_MESSAGE_BYTES * 16;
    c.raw(`Content-Length: ${big}\r\n\r\n`);
    const chunk = Buffer.alloc(1 << 20, 0x20);
    for (let sent = 0; sent < big; sent += chunk.length) c.raw(chunk);
    const t = await c.request('threads');
    expect(t.success).toBe(true);
  });

  it('closes only the connection whose framing is broken', async () => {
    const a = await open();
    const b = await launched();
    a.raw('Content-Length: lots\r\n\r\n{}');
    expect((await a.request('threads')).success).toBe(false); // closed by the server
    expect(a.closed).toBe(true);
    expect((await b.request('stackTrace', { threadId: 1 })).success).toBe(true);
  });

  it('runs in slices: a session that runs forever does not stop another, and pause stops it', async () => {
    await open();
    const spinner = await launched(join(dir, 'spin.s'));
    expect((await spinner.request('continue', { threadId: 1 })).success).toBe(true);
    // While it runs: requests that move it are refused; another session is served meanwhile.
    expect((await spinner.request('next', { threadId: 1 })).message).toMatch(/running: pause it first/);
    const other = await launched();
    for (let i = 0; i < 5; i++) expect((await other.request('evaluate', { expression: 'STEP 1' })).success).toBe(true);
    // STEP n far beyond one slice runs in slices too, and answers when paused.
    const step = other.request('evaluate', { expression: 'STEP 999999999' });
    expect((await other.request('pause', { threadId: 1 })).success).toBe(true);
    expect((await step).success).toBe(true);
    expect((await spinner.request('pause', { threadId: 1 })).success).toBe(true);
    expect((await spinner.request('evaluate', { expression: 'D G5' })).body.result).toMatch(/^GPR 5 = /);
  });
});

describe('tinycp dap: the token', () => {
  it('refuses every request but initialize and launch until the launch carries the token; a wrong token closes the connection', async () => {
    const c = await open({ token: 's3cret' });
    expect((await c.request('initialize', { adapterID: 'x', pathFormat: 'path' })).success).toBe(true);
    expect((await c.request('threads')).message).toMatch(/requires a token/);
    expect((await c.request('launch', { program: TRAPS })).message).toMatch(/requires a token/);
    expect((await c.request('launch', { program: TRAPS, token: 's3cret', stopOnEntry: true })).success).toBe(true);
    expect((await c.request('threads')).body.threads).toHaveLength(1);
    const wrong = await Client.open(port);
    clients.push(wrong);
    expect((await wrong.request('launch', { program: TRAPS, token: 'guess' })).message).toMatch(/wrong token/);
    expect((await wrong.request('threads')).success).toBe(false);
    expect(wrong.closed).toBe(true);
  });
});

describe('tinycp dap fuzz (brief; npm run fuzz -- --dap runs it long)', () => {
  it('random request sequences and argument types: no server death, the second session keeps working, nothing leaks', async () => {
    const r = await runDapFuzz(20261130, 3000);
    expect(r.notes).toEqual([]);
    expect({ deaths: r.deaths, internal: r.internalErrors, leaks: r.leaks, sentinel: r.sentinelFailures, unanswered: r.unanswered })
      .toEqual({ deaths: 0, internal: 0, leaks: 0, sentinel: 0, unanswered: 0 });
    // It went deep: programs launched, the guest moved and stopped, state was read.
    expect(r.succeeded.launch).toBeGreaterThan(20);
    expect(r.stops).toBeGreaterThan(50);
    expect(r.succeeded.stackTrace).toBeGreaterThan(10);
  }, 60_000);
});
