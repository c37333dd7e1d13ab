/**
 * The DAP wire format (`Content-Length: n\r\n\r\n` then n bytes of JSON) between one client and
 * one session, with limits: a header longer than 1 KiB or without a valid Content-Length ends the
 * connection (the stream cannot be resynchronised); a body over the size limit is refused before
 * it is buffered (its bytes are counted and dropped, and the client is told); a message that is
 * not a JSON request is answered with an error. The bytes of a message are kept as a list of
 * chunks and joined once, so parsing is linear in the message size. A client that does not read
 * its output (more than 16 MiB pending) is disconnected rather than letting the server's memory
 * grow. Nothing a client sends here can throw out of the connection's event handlers.
 */
import type { Readable, Writable } from 'node:stream';
import { OutputEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { TinycpDebugSession } from './adapter.ts';

/** Largest message body accepted (the largest real request, writeMemory's data, is capped far below). */
export const MAX_MESSAGE_BYTES = 1 << 20;
const MAX_HEADER_BYTES = 1024;
/** Output queued for a client that does not read it, before the client is disconnected. */
const MAX_PENDING_OUTPUT = 16 << 20;
const CRLF2 = Buffer.from('\r\n\r\n');

/** Splits a byte stream into message bodies. */
export class Framer {
  private head: Buffer = Buffer.alloc(0);
  private body: Buffer[] = [];
  private have = 0;
  private need = -1;
  private skip = 0;
  private dead = false;

  constructor(
    private readonly limit: number,
    private readonly onMessage: (text: string) => void,
    private readonly onRefused: (bytes: number) => void,
    private readonly onBroken: (why: string) => void,
  ) {}

  push(chunk: Buffer): void {
    let c = chunk;
    while (c.length > 0 && !this.dead) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, c.length);
        this.skip -= n; c = c.subarray(n);
        continue;
      }
      if (this.need >= 0) {
        const n = Math.min(this.need - this.have, c.length);
        this.body.push(c.subarray(0, n)); this.have += n; c = c.subarray(n);
        if (this.have === this.need) {
          const text = Buffer.concat(this.body, this.have).toString('utf8');
          this.body = []; this.have = 0; this.need = -1;
          this.onMessage(text);
        }
        continue;
      }
      // A header: look only at its first MAX_HEADER_BYTES + 4 bytes, never the whole chunk.
      const old = this.head.length;
      const probe = old ? Buffer.concat([this.head, c.subarray(0, MAX_HEADER_BYTES + 4)]) : c.subarray(0, MAX_HEADER_BYTES + 4);
      const end = probe.indexOf(CRLF2);
      if (end < 0) {
        if (probe.length > MAX_HEADER_BYTES) { this.broken('a message header longer than 1 KiB'); return; }
        this.head = Buffer.from(probe);
        return;
      }
      this.head = Buffer.alloc(0);
      c = c.subarray(end + 4 - old);
      let length = -1;
      for (const line of probe.toString('latin1', 0, end).split('\r\n')) {
        const m = /^content-length:\s*(\S*)\s*$/i.exec(line);
        if (m) length = /^\d{1,10}$/.test(m[1]) ? Number(m[1]) : -2;
      }
      if (length < 0) { this.broken(length === -2 ? 'a Content-Length that is not a number' : 'a message header without Content-Length'); return; }
      if (length > this.limit) { this.skip = length; this.onRefused(length); continue; }
      if (length > 0) this.need = length;
    }
  }

  private broken(why: string): void { this.dead = true; this.onBroken(why); }
}

/** What a connection reports (the fuzz harness and tests count these). */
export interface ConnectionHooks {
  /** The connection ended (client closed, protocol broken, or the session failed). */
  onClose?: () => void;
}

/**
 * Connect a session to a byte stream: frame its input, write its output, and end only this
 * connection when anything about it goes wrong.
 */
export function attachSession(session: TinycpDebugSession, input: Readable, output: Writable & { destroy?: () => void }, hooks: ConnectionHooks = {}): void {
  let closed = false;
  const write = (msg: DebugProtocol.ProtocolMessage) => {
    if (closed) return;
    const json = JSON.stringify(msg);
    output.write(`Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`, 'utf8');
    if (output.writableLength > MAX_PENDING_OUTPUT) close();
  };
  const close = () => {
    if (closed) return;
    closed = true;
    session.end();
    input.removeAllListeners('data');
    try { output.end(); } catch { /* already gone */ }
    if (output.destroy && output !== (process.stdout as Writable)) output.destroy();
    hooks.onClose?.();
  };
  const notice = (text: string) => write(new OutputEvent(`tinycp dap: ${text}\n`, 'stderr') as DebugProtocol.ProtocolMessage);
  session.onDidSendMessage((m) => write(m as DebugProtocol.ProtocolMessage));
  session.onEnd = close;
  const framer = new Framer(MAX_MESSAGE_BYTES, (text) => {
    let msg: unknown;
    try { msg = JSON.parse(text); } catch { notice('a message that is not JSON was ignored'); return; }
    session.receive(msg);
  }, (n) => notice(`a message of ${n} bytes was refused (the limit is ${MAX_MESSAGE_BYTES})`), (why) => {
    notice(`${why}: the connection is closed`);
    close();
  });
  input.on('data', (chunk: Buffer | string) => framer.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
  input.on('error', close);
  input.on('close', close);
  input.on('end', close);
  output.on('error', close);
}
