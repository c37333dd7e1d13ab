/**
 * The cost table (src/theory/costs.ts): the exact figures per operation. Bare and CP figures
 * follow from the programs by reasoning (a system call is SVC, CLI, JE, LPSW, BRCT: 5
 * instructions, 2 of them trap to CP); minicp's are its instruction counts, checked so that a
 * change to minicp's cost shows up here.
 */
import { describe, expect, it } from 'vitest';
import { costTable, type Technique } from '../src/theory/costs.ts';

describe('theorem costs', () => {
  const t = costTable({ techniques: ['bare', 'cp', 'hybrid', 'minicp-1', 'minicp-2', 'minicp-3'] });
  const at = (op: string, tech: Technique) => t.rows.find((r) => r.operation === op)!.costs[tech];

  it('bare: instructions per operation; CP: the same guest instructions, and one entry per sensitive instruction', () => {
    const expected: Record<string, [number, number]> = {
      'call/return': [3, 0], 'system call': [5, 2], 'mask change': [2, 1], 'control-register load': [2, 1],
      'I/O start': [3, 2], 'page fault': [8, 7], 'page-table update': [3, 2],
    };
    for (const [op, [instr, entries]] of Object.entries(expected)) {
      expect(at(op, 'bare').instructions, op).toBe(instr);
      expect(at(op, 'bare').cpEntries, op).toBe(0);
      expect(at(op, 'cp').instructions, op).toBe(instr); // equivalence: the guest does the same work
      expect(at(op, 'cp').cpEntries, op).toBe(entries);
    }
  });

  it('hybrid: the same CP entries, plus every supervisor-state instruction interpreted; problem-state code runs free', () => {
    expect(at('call/return', 'hybrid').interpreted).toBe(3); // all supervisor state
    expect(at('system call', 'hybrid').interpreted).toBe(3); // CLI, JE, LPSW in the handler; SVC and BRCT run in problem state
    for (const r of t.rows) expect(r.costs.hybrid.cpEntries, r.operation).toBe(r.costs.cp.cpEntries);
  });

  it('minicp: each level multiplies the cost of a trap (trap amplification); the innocuous baseline costs nothing extra', () => {
    for (const d of ['minicp-1', 'minicp-2', 'minicp-3'] as const) expect(at('call/return', d).instructions).toBe(3);
    const deep = (op: string) => (['minicp-1', 'minicp-2', 'minicp-3'] as const).map((d) => at(op, d).instructions);
    expect(deep('mask change')).toEqual([181, 1313, 10381]);
    expect(deep('system call')).toEqual([360, 2614, 20740]);
    for (const r of t.rows) {
      if (r.operation === 'call/return') continue;
      expect(r.costs['minicp-2'].instructions, r.operation).toBeGreaterThan(3 * r.costs['minicp-1'].instructions);
      expect(r.costs['minicp-3'].instructions, r.operation).toBeGreaterThan(3 * r.costs['minicp-2'].instructions);
    }
  });

  it('paravirtual: a mask change by hypercall is one CP entry (DIAGNOSE), the same guest instructions; other rows have none', () => {
    const m = t.rows.find((r) => r.operation === 'mask change')!.paravirtual!;
    expect(m.cpEntries).toBe(1);
    expect(m.instructions).toBe(2);
    for (const r of t.rows) if (r.operation !== 'mask change') expect(r.paravirtual).toBeNull();
  });

  it('the assist: the CPU completes the system call, mask change, CR load and I/O start itself (0 CP entries); PTLB stays with CP', () => {
    const a = (op: string) => t.rows.find((r) => r.operation === op)!.assist!;
    expect([a('system call').cpEntries, a('system call').assisted]).toEqual([0, 2]);
    expect([a('mask change').cpEntries, a('mask change').assisted]).toEqual([0, 1]);
    expect([a('control-register load').cpEntries, a('control-register load').assisted]).toEqual([0, 1]);
    expect([a('I/O start').cpEntries, a('I/O start').assisted]).toEqual([0, 2]); // SIO and TIO: SIE's I/O assist
    expect(a('page-table update').cpEntries).toBe(2);
  });

  it('measures nothing unless asked', () => {
    for (const r of t.rows) expect(r.costs.bare.ns).toBeNull();
  });
}, 300_000);
