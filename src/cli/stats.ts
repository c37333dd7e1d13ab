/**
 * CP statistics for --stats: CP entries by cause, instructions run directly vs. handled by CP,
 * and efficiency, Popek & Goldberg's third property measured (the fraction of guest instructions
 * that ran with no CP involvement).
 */
import type { VirtualMachine } from '../monitor/vm.ts';
import type { Outcome } from '../system/session.ts';

export function statsObject(vm: VirtualMachine, outcome?: Outcome) {
  const c = vm.counters;
  return {
    vm: vm.name,
    instructions: c.direct + c.handled,
    direct: c.direct,
    handled: c.handled,
    emulated: c.emulated,
    reflected: c.reflected,
    shadow_fills: c.shadowFills,
    cp_entries: c.totalEntries,
    entries: { ...c.entries },
    efficiency: c.efficiency,
    ...(outcome ? { outcome: { state: outcome.state, reason: outcome.reason, code: outcome.code, success: outcome.success } } : {}),
  };
}

export function statsText(vm: VirtualMachine): string {
  const s = statsObject(vm);
  const rows: [string, number | string][] = [
    ['guest instructions', s.instructions], ['  run directly', s.direct], ['  handled by CP', s.handled],
    ['CP entries', s.cp_entries], ...Object.entries(s.entries).map(([k, v]) => [`  ${k}`, v] as [string, number]),
    ['shadow-table fills', s.shadow_fills], ['efficiency', `${(s.efficiency * 100).toFixed(4)}%`],
  ];
  return `CP statistics for ${s.vm}:\n` + rows.map(([k, v]) => `  ${k.padEnd(22)} ${String(v).padStart(14)}`).join('\n') + '\n';
}
