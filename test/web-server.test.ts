/**
 * `tinycp web`'s static server: it serves the built site's files and nothing else (no path
 * traversal, encoded or not, no directories, no methods but GET and HEAD), on 127.0.0.1.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveSite } from '../src/cli/web.ts';

/** One raw request (the path is sent as given, not normalised by a URL parser). */
function get(url: string, path: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  const u = new URL(url);
  return new Promise((ok, fail) => {
    const req = request({ host: u.hostname, port: u.port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => ok({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('the playground server', () => {
  let dir = '', url = '', close = () => {};
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tinycp-web-'));
    const site = join(dir, 'site');
    mkdirSync(join(site, 'assets'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(site, 'assets', 'a.js'), 'export {}');
    writeFileSync(join(dir, 'secret.txt'), 'secret');
    symlinkSync(join(dir, 'secret.txt'), join(site, 'link.txt'));
    const s = await serveSite(site);
    url = s.url;
    close = () => s.server.close();
  });
  afterAll(() => { close(); rmSync(dir, { recursive: true, force: true }); });

  it('listens on 127.0.0.1 and serves the page and its assets with their types', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await get(url, '/');
    expect(index).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(index.body).toContain('<title>t</title>');
    expect((await get(url, '/assets/a.js?v=1')).type).toMatch(/^text\/javascript/);
    expect((await get(url, '/', 'HEAD')).status).toBe(200);
  });

  it('serves nothing outside the site folder and nothing but files', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/link.txt', '/assets', '/nope.html', '/%00', '/%E0%A4%A']) {
      const r = await get(url, p);
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('secret');
    }
    expect((await get(url, '/', 'POST')).status).toBe(405);
  });
});

describe('tinycp web', () => {
  it('is a command with --help that names the address it serves on', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['bin/tinycp.mjs', 'web', '--help'], { cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/127\.0\.0\.1/);
    expect(r.stdout).toMatch(/--port/);
  }, 60_000);
});
