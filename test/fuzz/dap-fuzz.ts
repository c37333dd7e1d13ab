/**
 * DAP fuzzing: random request sequences with random argument types, from a seeded PRNG (the same
 * seed sends the same requests), against an in-process `tinycp dap` server over a socket, beside
 * a second, well-behaved session that must keep working throughout. Also sent: malformed frames,
 * non-JSON bodies, envelopes with the wrong types, oversized messages, and launches of host files
 * whose contents must never come back in a message.
 *
 * Counted: requests sent; server deaths (an uncaught exception or unhandled rejection while the
 * fuzz runs, the server no longer listening, or the sentinel session failing); internal errors
 * (exceptions the adapter caught: bugs, though not deaths); leaks (a message that quotes a
 * secret file); requests left without an answer.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { listenDap } from '../../src/dap/server.ts';
import { Framer, MAX_MESSAGE_BYTES } from '../../src/dap/transport.ts';
import { Rng } from './generator.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const TRAPS = join(ROOT, 'programs/debug/traps.s');
const ECHO = join(ROOT, 'programs/debug/echo.s');
const SECRET = 'SECRET-7f3a9c';

export type Msg = Record<string, any>;

/** A raw DAP client: frames, sends, and matches responses to requests. */
export class Client {
  private seq = 1;
  private waiting = new Map<number, (m: Msg) => void>();
  readonly messages: Msg[] = [];
  closed = false;
  private closeWaiters: (() => void)[] = [];
  constructor(private readonly sock: Socket, onMessage: (m: Msg) => void = () => {}) {
    const framer = new Framer(64 << 20, (text) => {
      const m = JSON.parse(text) as Msg;
      onMessage(m);
      if (m.type === 'response') { const w = this.waiting.get(m.request_seq); if (w) { this.waiting.delete(m.request_seq); w(m); } }
    }, () => {}, () => {});
    sock.on('data', (c: Buffer) => framer.push(c));
    sock.on('error', () => {});
    sock.on('close', () => {
      this.closed = true;
      for (const w of this.waiting.values()) w({ type: 'response', success: false, message: 'connection closed', closed: true });
      this.waiting.clear();
      for (const c of this.closeWaiters.splice(0)) c();
    });
  }
  static open(port: number, onMessage?: (m: Msg) => void): Promise<Client> {
    return new Promise((res, rej) => { const s = connect(port, '127.0.0.1', () => res(new Client(s, onMessage))); s.once('error', rej); });
  }
  /** Drop the connection at once (cleanup after a failure). */
  destroy(): void { this.sock.destroy(); }
  raw(bytes: string | Buffer): void { if (!this.closed) this.sock.write(bytes); }
  frame(body: string): void { this.raw(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`); }
  /** Send a request; resolves with its response (or a synthetic failure if the connection closes). */
  request(command: unknown, args?: unknown): Promise<Msg> {
    const seq = this.seq++;
    const p = new Promise<Msg>((res) => {
      // A safety net, not a timing assertion: a request left unanswered this long is a finding.
      const timer = setTimeout(() => { this.waiting.delete(seq); res({ type: 'response', success: false, timeout: true, command }); }, 20_000);
      this.waiting.set(seq, (m) => { clearTimeout(timer); res(m); });
    });
    if (this.closed) { this.waiting.delete(seq); return Promise.resolve({ success: false, closed: true }); }
    this.frame(JSON.stringify({ seq, type: 'request', command, ...(args === undefined ? {} : { arguments: args }) }));
    return p;
  }
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((res) => { this.closeWaiters.push(res); this.sock.end(); });
  }
}

const COMMANDS = ['initialize', 'launch', 'configurationDone', 'setBreakpoints', 'setInstructionBreakpoints', 'setExceptionBreakpoints',
  'continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'pause', 'threads', 'stackTrace', 'scopes', 'variables',
  'setVariable', 'evaluate', 'readMemory', 'writeMemory', 'disassemble', 'exceptionInfo', 'attach', 'restart', 'terminate', 'source',
  'goto', 'completions', 'nonsense', 'disconnect'];
const MOVING = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'evaluate', 'launch', 'configurationDone']);
const EXPRESSIONS = ['D G5', 'DISPLAY G', 'STEP', 'STEP 3', 'STEP 100000', 'STEP 999999999999', 'STEP -1', 'BEGIN', 'B 200', 'BEGIN nowhere', 'BACK', 'BACK 5',
  'BACK 99999999', 'BACK TRAP', 'DISPLAY 200.20', 'D 0.FFFFFFF', 'WATCH 2B0.4',
  'WATCH OFF', 'TRACE SVC', 'TRACE ALL RUN', 'TRACE END', 'ADSTOP 208', 'ADSTOP OFF',
  'IPL', 'QUERY TIME', 'QUERY COUNTERS', 'SYSTEM RESET', 'EXTERNAL', 'INPUT hello',
  'HELP', 'STORE G5 1', 'STORE 200 00', 'LOGOFF', '#CP QUERY VIRTUAL', '', '{_stack}'];
const ADDRESSES = ['0x200', '0x2B0', '0', '512', '0xFFFFFF', '0x1000000', '0xFFFFFFFF', '-1', 'abc', '', ' 0x10 ', '1e9', '0x'];
const KEYS = ['program', 'mode', 'stopOnEntry', 'input', 'source', 'path', 'name', 'breakpoints', 'line', 'filters', 'threadId', 'granularity',
  'memoryReference', 'offset', 'count', 'instructionCount', 'instructionOffset', 'data',
  'expression', 'context', 'variablesReference', 'value', 'token', '__proto__', 'constructor'];

/** Any JSON value, small or hostile. */
function junk(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 2 ? 8 : 11)) {
    case 0: return null;
    case 1: return r.chance(0.5);
    case 2: return r.range(-5, 70);
    case 3: return r.pick([2 ** 31, -(2 ** 31), 2 ** 53 + 2, 1e308, -1e-300, 0.5, 100_000_000, 4294967295, -0]);
    case 4: return r.pick(['', 'x', 'bare', 'vm', 'instruction', 'svc', '0x200', '{_stack}', '\u0000\u2028', 'R5', 'CR0', "X'12'"]);
    case 5: return 'A'.repeat(r.pick([100, 5000, 70_000]));
    case 6: return r.pick(ADDRESSES);
    case 7: return r.pick(EXPRESSIONS);
    case 8: return Array.from({ length: r.int(4) }, () => junk(r, depth + 1));
    case 9: case 10: {
      const o: Record<string, unknown> = {};
      // Own properties even for '__proto__' (as JSON.parse makes them on the server's side).
      for (let i = r.int(4); i > 0; i--) Object.defineProperty(
        o, r.pick(KEYS), { value: junk(r, depth + 1), enumerable: true, writable: true, configurable: true },
      );
      return o;
    }
  }
  return undefined;
}

/** Arguments for `command`: mostly of the right shape with random values, sometimes anything. */
function argsFor(r: Rng, command: string, files: string[]): unknown {
  if (r.chance(0.25)) return r.chance(0.2) ? undefined : junk(r);
  const maybe = <T>(v: T) => (r.chance(0.15) ? junk(r) : v);
  switch (command) {
    case 'launch': return { program: maybe(r.pick([
      TRAPS, TRAPS, ECHO, ...files, '/dev/zero', '/dev/null', ROOT, 'missing.s', '',
    ])), mode: maybe(r.pick(['bare', 'vm'])),
      stopOnEntry: maybe(r.chance(0.7)), input: maybe(r.chance(0.5) ? ['hello'] : undefined) };
    case 'setBreakpoints': return {
      source: maybe({ path: maybe(r.pick([TRAPS, ECHO, 'x.s'])) }),
      breakpoints: maybe(Array.from({ length: r.int(4) }, () => ({ line: maybe(r.range(-2, 60)) }))),
    };
    case 'setInstructionBreakpoints': return { breakpoints: maybe(Array.from(
      { length: r.int(3) },
      () => ({ instructionReference: maybe(r.pick(ADDRESSES)), offset: maybe(r.range(-8, 8)) }),
    )) };
    case 'setExceptionBreakpoints': return { filters: maybe(Array.from(
      { length: r.int(4) },
      () => maybe(r.pick(['svc', 'diag', 'priv', 'program', 'io', 'external', 'toString'])),
    )) };
    case 'next': case 'stepIn': case 'stepOut': case 'stepBack': return {
      threadId: maybe(1), granularity: maybe(r.pick(['line', 'instruction', 'statement'])),
    };
    case 'variables': return { variablesReference: maybe(r.range(0, 7)) };
    case 'setVariable': return {
      variablesReference: maybe(r.range(0, 5)), name: maybe(r.pick(['R5', 'CR0', 'R16', 'PSW', 'R1'])),
      value: maybe(r.pick(['1', "X'FF'", '0xFFFFFFFF', 'banana', '-1'])),
    };
    case 'evaluate': return { expression: maybe(r.pick(EXPRESSIONS)), context: maybe('repl') };
    case 'readMemory': return {
      memoryReference: maybe(r.pick(ADDRESSES)), count: maybe(r.pick([0, 4, 256, 65536, 65537, 1e8])),
      offset: maybe(r.range(-16, 16)),
    };
    case 'writeMemory': return {
      memoryReference: maybe(r.pick(ADDRESSES)), data: maybe(r.pick(['AQID', '', '!!', 'A'.repeat(1000)])),
      offset: maybe(r.range(-4, 4)),
    };
    case 'disassemble': return {
      memoryReference: maybe(r.pick(ADDRESSES)),
      instructionCount: maybe(r.pick([1, 3, 100, 4096, 4097, 1e8])),
      instructionOffset: maybe(r.range(-50, 50)), offset: maybe(r.range(-8, 8)),
    };
    case 'initialize': return { adapterID: 'tinycp', pathFormat: maybe('path'), linesStartAt1: maybe(true) };
    default: return { threadId: 1 };
  }
}

/** A malformed or hostile frame (the connection may be closed by the server afterwards). */
function hostileFrame(r: Rng, c: Client): 'skip' | void {
  switch (r.int(7)) {
    case 0: c.frame('this is not json'); break;
    case 1: c.frame(JSON.stringify(junk(r))); break;
    case 2: { // a number seq is made negative so its answer cannot be taken for the next request's
      const seq = junk(r);
      c.frame(JSON.stringify({ seq: typeof seq === 'number' ? -1 - Math.abs(seq) : seq, type: 'request', command: junk(r), arguments: junk(r) }));
      break;
    }
    case 3: c.raw(`Content-Length: ${MAX_MESSAGE_BYTES + 1 + r.int(1e9)}\r\n\r\n{"seq":1`); return 'skip'; // refused; the rest is skipped
    case 4: c.raw('Content-Length: banana\r\n\r\n{}'); break;
    case 5: c.raw('X'.repeat(2000)); break;
    case 6: c.raw(`Content-Type: x\r\nContent-Length: 2\r\n\r\n{}`); break;
  }
}

export interface DapFuzzResult { requests: number; sessions: number; deaths: number;
  internalErrors: number; leaks: number; sentinelFailures: number; unanswered: number; seconds: number;
  /** Successful answers per command (how deep the fuzz got), and stops reported. */
  succeeded: Record<string, number>; stops: number; notes: string[] }

/** Fuzz `requests` requests from `seed`; `onTick` is told the progress every 1,000 requests. */
export async function runDapFuzz(seed: number, requests: number, onTick?: (done: number) => void): Promise<DapFuzzResult> {
  const t0 = performance.now();
  const rng = new Rng(seed);
  const notes: string[] = [];
  const res: DapFuzzResult = {
    requests: 0, sessions: 0, deaths: 0, internalErrors: 0, leaks: 0, sentinelFailures: 0, unanswered: 0,
    seconds: 0, succeeded: {}, stops: 0, notes,
  };
  const note = (s: string) => { if (notes.length < 20) notes.push(s); };
  const dir = mkdtempSync(join(tmpdir(), 'tinycp-dapfuzz-'));
  const files = [join(dir, 'secret.txt'), join(dir, 'secret.json'), join(dir, 'binary.s'), join(dir, 'fmt.obj'), dir];
  writeFileSync(files[0], `${SECRET} password=hunter2\n`);
  writeFileSync(files[1], JSON.stringify({ format: SECRET, entry: SECRET }));
  writeFileSync(files[2], Buffer.from([0, 1, 2, 0xff, 0xfe, ...Buffer.from(SECRET), 0]));
  writeFileSync(files[3], JSON.stringify({ format: 'tinycp-object', version: 1, entry: 0, segments: [{ address: 0, hex: SECRET }] }));
  const onUncaught = (e: unknown) => { res.deaths++; note(`uncaught: ${e instanceof Error ? e.stack : String(e)}`); };
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  let server: Server | null = null;
  const open: Client[] = [];
  const connectTo = async (port: number, onMessage?: (m: Msg) => void) => { const c = await Client.open(port, onMessage); open.push(c); return c; };
  const check = (m: Msg) => {
    if (m.type === 'response' && m.success) res.succeeded[m.command] = (res.succeeded[m.command] ?? 0) + 1;
    if (m.type === 'event' && m.event === 'stopped') res.stops++;
    const text = JSON.stringify(m);
    if (text.includes(SECRET) || text.includes('hunter2')) { res.leaks++; note(`leak: ${text.slice(0, 200)}`); }
    if (/at .*\.(ts|js):\d+:\d+/.test(text)) { res.leaks++; note(`stack trace: ${text.slice(0, 200)}`); }
  };
  try {
    server = await listenDap(
      0,
      { onInternalError: (e) => { res.internalErrors++; note(`internal: ${e instanceof Error ? e.stack?.split('\n').slice(0, 3).join(' | ') : String(e)}`); } },
    );
    const port = (server.address() as { port: number }).port;
    // The sentinel: a well-behaved session that must keep answering correctly.
    const sentinel = await connectTo(port);
    await sentinel.request('initialize', { adapterID: 'tinycp', pathFormat: 'path' });
    const sl = await sentinel.request('launch', { program: TRAPS, mode: 'vm', stopOnEntry: true });
    await sentinel.request('configurationDone');
    if (!sl.success) res.sentinelFailures++;
    let sentinelStep = 0;
    const probeSentinel = async () => {
      const st = await sentinel.request('stackTrace', { threadId: 1 });
      const ev = await sentinel.request('evaluate', { expression: (sentinelStep++ % 2) ? 'STEP 7' : 'BACK 7', context: 'repl' });
      const mem = await sentinel.request('readMemory', { memoryReference: '0x200', count: 4 });
      if (!st.success || !ev.success || !mem.success || Buffer.from(mem.body.data, 'base64').length !== 4) {
        res.sentinelFailures++; note(`sentinel: ${JSON.stringify([st.message, ev.message, mem.message])}`);
      }
    };

    let c: Client | null = null;
    let sinceOpen = 0;
    while (res.requests < requests) {
      if (!c || c.closed || sinceOpen > 60 + rng.int(200)) {
        if (c) await c.close();
        c = await connectTo(port, check);
        res.sessions++;
        sinceOpen = 0;
        if (rng.chance(0.8)) { // most sessions start properly, so the deeper states are reached
          await c.request('initialize', { adapterID: 'tinycp', pathFormat: 'path' });
          await c.request('launch', { program: rng.pick([TRAPS, ECHO]), mode: rng.pick(['bare', 'vm']), stopOnEntry: true });
          res.requests += 2;
          if (rng.chance(0.8)) { await c.request('configurationDone'); res.requests++; }
        }
      }
      if (rng.chance(0.02)) {
        if (hostileFrame(rng, c) === 'skip') { await c.close(); res.requests++; continue; } // the server now skips what follows: start over
        const t = await c.request('threads'); // ordering: everything before it was handled
        res.requests += 2;
        if (!t.success && !t.closed) { res.unanswered++; note(`threads after a hostile frame: ${t.message}`); }
        continue;
      }
      const command = rng.chance(0.03) ? junk(rng) : rng.pick(COMMANDS);
      const name = typeof command === 'string' ? command : '';
      const args = argsFor(rng, name, files);
      const pending = c.request(command, args);
      res.requests++; sinceOpen++;
      // A run answers when it stops: pause it (usually) so the fuzz moves on.
      if (MOVING.has(name) && rng.chance(0.7)) { void c.request('pause'); res.requests++; }
      const m = await pending;
      if (m.timeout) { res.unanswered++; note(`no answer to ${name.slice(0, 40)} ${JSON.stringify(args)?.slice(0, 100)}`); await c.request('pause'); }
      if (res.requests % 50 < 1) await probeSentinel();
      if (onTick && res.requests % 1000 < 2) onTick(res.requests);
    }
    if (c) await c.close();
    await probeSentinel();
    await sentinel.close();
    if (!server.listening) { res.deaths++; note('the server stopped listening'); }
    // A fresh session still works end to end.
    const fresh = await connectTo(port);
    const fl = await fresh.request('launch', { program: TRAPS, stopOnEntry: true });
    if (!fl.success) { res.sentinelFailures++; note(`fresh launch: ${fl.message}`); }
    await fresh.close();
  } finally {
    for (const c of open) c.destroy(); // server.close waits for every connection to end
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    if (server) await new Promise((r) => server!.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
  res.seconds = Number(((performance.now() - t0) / 1000).toFixed(2));
  return res;
}
