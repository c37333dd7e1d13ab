import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workDir } from './system-helpers.ts';

const ROOT = resolve(import.meta.dirname, '..');

describe('tinycp demo', () => {
  it('runs to completion on its own and ends with the per-VM table', () => {
    const work = workDir();
    const r = spawnSync(process.execPath, ['bin/tinycp.mjs', 'demo', '--work', work], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const head = /^user\s+state\s+instructions\s+cp entries\s+privileged\s+diagnose\s+svc\s+program\s+translation\s+external\s+io\s+efficiency/;
    const table = lines.findIndex((l) => head.test(l));
    expect(table).toBeGreaterThan(0);
    // Before the table, every line is a console line prefixed by its user (or CP's own).
    for (const l of lines.slice(0, table - 1)) expect(l).toMatch(/^[A-Z0-9]{1,8}: /);
    const rows = lines.slice(table + 2, -1).map((l) => l.split(/\s+/));
    const users = rows.map((r) => r[0]);
    expect(users.length).toBeGreaterThanOrEqual(4);
    // Every VM but the deliberately crashing one ended normally.
    for (const row of rows) expect(row[1]).toBe(row[0] === 'WILD' ? 'interruption-loop' : 'ended');
    expect(lines.at(-1)).toMatch(/every VM is idle or stopped/);
  });
});
