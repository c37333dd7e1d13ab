/**
 * CP statistics for --stats: CP entries by cause, instructions run directly vs. handled by CP,
 * and efficiency, Popek & Goldberg's third property measured (the fraction of guest instructions
 * that ran with no CP involvement).
 */
import { INT_CLASS_NAMES, NEW_PSW, OLD_PSW, PGM_NAMES } from '../cpu/arch.ts';
import type { CPU } from '../cpu/cpu.ts';
import { pswState } from '../monitor/narrate.ts';
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

/** The bare machine's statistics: instructions, interruptions by class, TLB misses. */
export function bareStatsObject(cpu: CPU, outcome?: Outcome) {
  const c = cpu.counters;
  return {
    machine: 'bare',
    instructions: c.instructions,
    interruptions: Object.fromEntries(INT_CLASS_NAMES.map((n, i) => [n, c.interruptions[i]])),
    tlb_misses: c.tlbMisses,
    ...(outcome ? { outcome: { state: outcome.state, reason: outcome.reason, code: outcome.code, success: outcome.success } } : {}),
  };
}

export function bareStatsText(cpu: CPU): string {
  const s = bareStatsObject(cpu);
  const rows: [string, number][] = [['instructions', s.instructions], ...Object.entries(s.interruptions).map(([k, v]) => [`  ${k} interruptions`, v] as [string, number]), ['TLB misses', s.tlb_misses]];
  return "Bare machine statistics:\n" + rows.map(([k, v]) => `  ${k.padEnd(30)} ${String(v).padStart(14)}`).join('\n') + '\n';
}

const hex = (v: number, n: number) => (v >>> 0).toString(16).toUpperCase().padStart(n, '0');

/**
 * One interruption the bare machine delivers (called before the new PSW is loaded): as data for
 * --trace-json and as a line for --trace. The old PSW has just been stored; the new one is in
 * low storage.
 */
export function bareInterruption(mem: Int32Array, cls: number, code: number, oldIa: number, time: number) {
  const o = OLD_PSW[cls] >>> 2, n = NEW_PSW[cls] >>> 2;
  const oldPsw = { flags: mem[o] | 0, ia: mem[o + 1] }, newPsw = { flags: mem[n] | 0, ia: mem[n + 1] };
  const name = INT_CLASS_NAMES[cls];
  const what = name === 'program' ? ` (${PGM_NAMES[code] ?? 'unknown'})` : '';
  const text = `t=${time} ${name} interruption, code X'${hex(code, 4)}'${what}: old PSW ${hex(oldPsw.flags, 8)} ${hex(oldPsw.ia, 8)} stored at X'${hex(OLD_PSW[cls], 3)}'; ` +
    `new PSW ${hex(newPsw.flags, 8)} ${hex(newPsw.ia, 8)} (${pswState({ flags: newPsw.flags, cc: 0, ia: newPsw.ia })})`;
  return { text, data: { time, class: name, code, oldIa, oldPsw, newPsw } };
}
