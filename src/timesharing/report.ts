/**
 * What the time-sharing system says about its VMs: the short state of each (QUERY NAMES, the
 * end-of-run table) and the end-of-run table itself.
 */
import { percentText } from '../monitor/narrate.ts';
import type { VirtualMachine } from '../monitor/vm.ts';
import { hex } from '../cpu/hex.ts';

/** A row of the end-of-run table. */
export interface VmReport {
  user: string; state: string; instructions: number; direct: number; handled: number;
  entries: Record<string, number>; cpEntries: number; efficiency: number; storageK: number; realK: number;
  /** The virtual-machine assist's hit ratio (PoO 2.9: instructions it completed / all that left direct execution), null when it is off. */
  assistHitRatio: number | null;
}

/** Short state of a VM for tables and QUERY NAMES. */
export function stateText(vm: VirtualMachine): string {
  if (vm.state !== 'stopped' || !vm.stop) return vm.state;
  const s = vm.stop;
  if (s.reason === 'disabled-wait') return s.code === 0 ? 'ended' : `wait ${hex(s.code, 0)}`;
  if (s.reason === 'halt') return s.code === 0 ? 'passed' : `failed ${s.code}`;
  return s.reason;
}

/** The end-of-run table: instructions, CP entries by cause, efficiency, the assist's hit ratio, per VM. */
export function formatReport(rows: readonly VmReport[]): string {
  const causes = ['privileged', 'diagnose', 'svc', 'program', 'translation', 'external', 'io'];
  const head = ['user', 'state', 'instructions', 'cp entries', ...causes, 'efficiency', 'assist hits', 'real K'];
  const body = rows.map((r) => [r.user, r.state, String(r.instructions), String(r.cpEntries), ...causes.map((c) => String(r.entries[c] ?? 0)),
    percentText(r.efficiency, 2), r.assistHitRatio === null ? 'off' : percentText(r.assistHitRatio, 2), r.realK.toFixed(0)]);
  const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ').trimEnd();
  return [fmt(head), width.map((w) => '-'.repeat(w)).join('  '), ...body.map(fmt)].join('\n') + '\n';
}
