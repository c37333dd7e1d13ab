/**
 * Issue 9: the assembler's work is bounded before it is done. A nested `.rept` used to reach the
 * line limit only after 23 s and 1.1 GB; now an expansion that would pass the limit is refused at
 * its `.rept` (or macro invocation), with file:line:col, before anything is expanded. These tests
 * count lines processed (the listing records), not time.
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../src/guest/index.ts';

const lines = (...l: string[]) => l.map((x) => `        ${x}`).join('\n') + '\n';

describe('.rept expansion is bounded before it starts', () => {
  it('refuses a nested .rept at the inner .rept, having processed almost nothing', () => {
    const r = assemble(lines('.rept 65536', '.rept 65536', '.byte 0', '.endr', '.endr'), { file: 'n.s' });
    expect(r.ok).toBe(false);
    const e = r.diagnostics.filter((d) => d.severity === 'error');
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ file: 'n.s', line: 2, col: 15 });
    expect(e[0].message).toMatch(/would expand the program to more than \d+ lines \(the enclosing \.rept makes it 65536 times\)/);
    expect(r.lines.length).toBeLessThan(10);
  });

  it('refuses a macro whose expansions the enclosing .rept multiplies past the limit', () => {
    const body = Array.from({ length: 20 }, () => '.byte 0');
    const r = assemble(lines('.macro BIG', ...body, '.endm', '.rept 65536', 'BIG', '.endr'), { file: 'm.s' });
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.col}`)).toEqual(['24:9']);
    expect(r.lines.length).toBeLessThan(100);
  });

  it('a .rept guarded by a conditional inside the enclosing .rept is counted once, and still runs', () => {
    // `*` is 0 only on the first pass of the outer .rept: the inner one runs once.
    const r = assemble(lines('.org 0', '.rept 3', '.if * == 0', '.rept 60000', '.byte 1', '.endr', '.endif', '.byte 2', '.endr'), { file: 'c.s' });
    expect(r.diagnostics).toEqual([]);
    expect(r.segments.reduce((a, s) => a + s.bytes.length, 0)).toBe(60003);
  });

  it('the largest .rept table still assembles, and one repeat frame is reused (no copies)', () => {
    const r = assemble(lines('.rept 65536', '.byte 7', '.endr'), { file: 't.s' });
    expect(r.ok).toBe(true);
    expect(r.segments[0].bytes.length).toBe(65536);
    expect(r.segments[0].bytes.every((b) => b === 7)).toBe(true);
  });

  it('nested .rept within the limit repeat exactly', () => {
    const r = assemble(lines('.rept 3', '.byte 1', '.rept 2', '.byte 2', '.endr', '.endr'), { file: 'k.s' });
    expect(Array.from(r.segments[0].bytes)).toEqual([1, 2, 2, 1, 2, 2, 1, 2, 2]);
  });

  it('a macro fan-out stops at the line limit with one error', () => {
    const fan = (name: string, inner: string) => ['.macro ' + name, ...Array.from({ length: 8 }, () => inner), '.endm'];
    const src = lines(
      ...fan('MG', '.byte 0'), ...fan('MF', 'MG'), ...fan('ME', 'MF'), ...fan('MD', 'ME'), ...fan('MC', 'MD'),
      ...fan('MB', 'MC'), ...fan('MA', 'MB'), 'MA',
    );
    const r = assemble(src, { file: 'f.s' });
    const e = r.diagnostics.filter((d) => d.severity === 'error');
    expect(e).toHaveLength(1);
    expect(e[0].message).toMatch(/more than \d+ lines/);
    expect(r.lines.length).toBeLessThanOrEqual(330_000);
  }, 60_000);
});
