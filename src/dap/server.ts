/**
 * `tinycp dap`: serve the Debug Adapter Protocol on stdio, or with `--port N` on 127.0.0.1 only
 * (one session per connection). Nothing else may write to stdout in stdio mode: it is the
 * protocol channel.
 */
import { createServer, type Server } from 'node:net';
import { TinycpDebugSession } from './adapter.ts';

/** Listen on 127.0.0.1:`port` (0: any free port); resolves to the listening server. */
export function listenDap(port: number): Promise<Server> {
  const server = createServer((socket) => {
    const s = new TinycpDebugSession();
    s.setRunAsServer(true);
    s.start(socket, socket);
  });
  return new Promise((res, rej) => { server.once('error', rej); server.listen(port, '127.0.0.1', () => res(server)); });
}

/** Serve DAP on stdio, or on a TCP port of 127.0.0.1. */
export async function serveDap(port?: number): Promise<void> {
  if (port !== undefined) {
    const server = await listenDap(port);
    const a = server.address();
    process.stderr.write(`tinycp dap: listening on 127.0.0.1:${typeof a === 'object' && a ? a.port : port}\n`);
    await new Promise<void>((res) => server.once('close', () => res()));
    return;
  }
  const s = new TinycpDebugSession();
  s.start(process.stdin, process.stdout);
  await new Promise<void>((res) => process.stdin.once('close', () => res()));
}
