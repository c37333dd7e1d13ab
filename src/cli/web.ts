/**
 * `tinycp web`: the browser playground. Builds the static site (web/, Vite) when it is missing,
 * then serves it on 127.0.0.1 at a free port and prints the URL. The server is a plain static
 * file server: GET and HEAD only, files under the site folder only (no path traversal, no
 * directory listings, no symlinks out), so nothing but the built page is ever exposed.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Where `npm run build:web` writes the site. */
export const SITE_DIR = join(REPO, 'dist', 'web');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.map': 'application/json', '.woff2': 'font/woff2', '.ico': 'image/x-icon',
};

/** Newest modification time of the files the site is built from (web/, src/, programs/). */
function newestSource(): number {
  let t = 0;
  for (const dir of ['web', 'src', 'programs']) {
    for (const f of readdirSync(join(REPO, dir), { recursive: true, encoding: 'utf8' })) t = Math.max(t, statSync(join(REPO, dir, f)).mtimeMs);
  }
  return t;
}

/** True when the site is missing or older than its sources. */
export function siteIsStale(): boolean {
  const index = join(SITE_DIR, 'index.html');
  return !existsSync(index) || statSync(index).mtimeMs < newestSource();
}

/** Build the site with Vite (a dev dependency). Returns an error message, or null when built. */
export function buildSite(log: (s: string) => void = (s) => process.stderr.write(s + '\n')): string | null {
  let vite: string;
  // The package exports no bin path: find it from its package.json.
  try { vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js'); } catch {
    return 'the site is not built and Vite is not installed: run `npm install` (with dev dependencies), then `npm run build:web`';
  }
  log('tinycp web: building the site (npm run build:web) ...');
  const r = spawnSync(
    process.execPath, [vite, 'build', '--config', join(REPO, 'web', 'vite.config.ts')],
    { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (r.status !== 0 || !existsSync(join(SITE_DIR, 'index.html'))) return `the build failed (exit ${r.status ?? r.signal})`;
  return null;
}

/**
 * The file under `root` that a request path names, or null when it names nothing there: the
 * path is decoded, resolved against the root, and must stay inside it after symlinks are followed.
 */
export function resolveUnder(root: string, urlPath: string): string | null {
  let p: string;
  try { p = decodeURIComponent(urlPath.split('?')[0].split('#')[0]); } catch { return null; }
  if (p.includes('\0') || p.includes('\\')) return null;
  if (p.endsWith('/')) p += 'index.html';
  const realRoot = realpathSync(root);
  const file = resolve(realRoot, '.' + (p.startsWith('/') ? p : '/' + p));
  if (file !== realRoot && !file.startsWith(realRoot + sep)) return null;
  try {
    const real = realpathSync(file);
    if (!real.startsWith(realRoot + sep) || !statSync(real).isFile()) return null;
    return real;
  } catch { return null; }
}

/** Serve `root` on `host:port` (0: a free port). Resolves once listening. */
export function serveSite(root: string, host = '127.0.0.1', port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { Allow: 'GET, HEAD' }).end(); return; }
    const file = resolveUnder(root, req.url ?? '/');
    if (!file) { res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n'); return; }
    res.writeHead(
      200,
      { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': statSync(file).size, 'Cache-Control': 'no-cache' },
    );
    if (req.method === 'HEAD') { res.end(); return; }
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const a = server.address();
      const p = typeof a === 'object' && a ? a.port : port;
      ok({ server, url: `http://${host}:${p}/` });
    });
  });
}

export interface WebOptions { port: number; host: string; build: boolean }

/** `tinycp web`: build if needed (or when asked), serve, print the URL. Resolves when the server closes. */
export async function webCommand(o: WebOptions): Promise<number> {
  if (o.build || siteIsStale()) {
    const err = buildSite();
    const built = existsSync(join(SITE_DIR, 'index.html'));
    if (err && (o.build || !built)) { process.stderr.write(`tinycp web: ${err}\n`); return 3; }
    if (err) process.stderr.write(`tinycp web: ${err}; serving the site built before\n`);
  }
  let served: { server: Server; url: string };
  try { served = await serveSite(SITE_DIR, o.host, o.port); } catch (e) {
    process.stderr.write(`tinycp web: cannot listen on ${o.host}:${o.port}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return 3;
  }
  process.stdout.write(`tinycp web: the playground is at ${served.url}\nOpen that address in a browser. Ctrl-C stops the server.\n`);
  await new Promise<void>((done) => {
    // A browser keeps its connections open: close them too, or Ctrl-C would wait for them to time out.
    const stop = () => { served.server.close(() => done()); served.server.closeAllConnections(); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
