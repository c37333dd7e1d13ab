/**
 * `tinycp dap`: serve the Debug Adapter Protocol on stdio, or with `--port N` on 127.0.0.1 only
 * (one session per connection). Nothing else may write to stdout in stdio mode: it is the
 * protocol channel.
 *
 * Who can connect to the port: any process on this machine (any local user), never another
 * machine. With a token (`--token T` or TINYCP_DAP_TOKEN), a session does nothing until its
 * launch request carries `"token": T`; a wrong token ends that connection. Each connection is its
 * own session: a client that misbehaves, floods or fails ends at most its own connection.
 */
import { createServer, type Server } from 'node:net';
import { TinycpDebugSession } from './adapter.ts';
import { attachSession } from './transport.ts';

/** Most sessions served at once (each holds a machine and its history of snapshots). */
export const MAX_SESSIONS = 16;

export interface DapServerOptions {
  /** Required in each session's launch request (`token`), when set. */
  token?: string;
  /** Told of every internal error (a bug in the adapter or debugger), which ends only its session. */
  onInternalError?: (e: unknown) => void;
}

/** Listen on 127.0.0.1:`port` (0: any free port); resolves to the listening server. */
export function listenDap(port: number, opts: DapServerOptions = {}): Promise<Server> {
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    const s = new TinycpDebugSession({ token: opts.token, onInternalError: opts.onInternalError });
    attachSession(s, socket, socket);
  });
  server.maxConnections = MAX_SESSIONS;
  return new Promise((res, rej) => { server.once('error', rej); server.listen(port, '127.0.0.1', () => res(server)); });
}

/** Serve DAP on stdio, or on a TCP port of 127.0.0.1. */
export async function serveDap(port?: number, token?: string): Promise<void> {
  const onInternalError = (e: unknown) =>
    process.stderr.write(`tinycp dap: internal error (one session ended): ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  if (port !== undefined) {
    const server = await listenDap(port, { token, onInternalError });
    const a = server.address();
    process.stderr.write(`tinycp dap: listening on 127.0.0.1:${typeof a === 'object' && a ? a.port : port}${token ? ' (a token is required)' : ''}\n`);
    await new Promise<void>((res) => server.once('close', () => res()));
    return;
  }
  const s = new TinycpDebugSession({ token, onInternalError });
  await new Promise<void>((res) => attachSession(s, process.stdin, process.stdout, { onClose: res }));
}
