/**
 * bin/tinycp.mjs runs the bundle built at install (dist/cli/, scripts/build.mjs) while it is fresh,
 * otherwise the TypeScript sources through tsx (also with TINYCP_TSX=1): either way the command
 * does the same thing. Generous timeouts: spawned processes on a loaded machine.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const run = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['bin/tinycp.mjs', 'run', 'programs/hello.s'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });

describe('bin/tinycp.mjs', () => {
  it('gives the same result from the sources (TINYCP_TSX=1) as by default (the bundle when fresh)', () => {
    const src = run({ TINYCP_TSX: '1' }), dflt = run({});
    expect(src.status, src.stderr).toBe(0);
    expect(dflt.status, dflt.stderr).toBe(0);
    expect(src.stdout).toContain('Hello, world');
    expect(dflt.stdout).toBe(src.stdout);
  }, 120_000);

  it('reports bad input the same way from either', () => {
    const a = spawnSync(process.execPath, ['bin/tinycp.mjs', 'run', 'no/such/file.s'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TINYCP_TSX: '1' }, timeout: 60_000 });
    const b = spawnSync(process.execPath, ['bin/tinycp.mjs', 'run', 'no/such/file.s'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(a.status).toBe(3);
    expect(b.status).toBe(3);
    expect(b.stderr).toBe(a.stderr);
  }, 120_000);
});
