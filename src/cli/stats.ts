/**
 * CP statistics for --stats: CP entries by cause, instructions run directly vs. handled by CP,
 * and efficiency, Popek & Goldberg's third property measured (the fraction of guest instructions
 * that ran with no CP involvement).
 */
import { INT_CLASS_NAMES, PGM_NAMES } from '../cpu/arch.ts';
import type { DebugEvent } from '../debug/events.ts';
import type { CPU } from '../cpu/cpu.ts';
import { percentText, pswState } from '../monitor/narrate.ts';
import type { VirtualMachine } from '../monitor/vm.ts';
import type { Outcome } from '../session/session.ts';
import { hex } from '../cpu/hex.ts';

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
    assist: assistObject(vm),
    ...(outcome ? { outcome: { state: outcome.state, reason: outcome.reason, code: outcome.code, success: outcome.success } } : {}),
  };
}

export function statsText(vm: VirtualMachine): string {
  const s = statsObject(vm);
  const rows: [string, number | string][] = [
    ['guest instructions', s.instructions], ['  run directly', s.direct], ['  handled by CP', s.handled],
    ['CP entries', s.cp_entries], ...Object.entries(s.entries).map(([k, v]) => [`  ${k}`, v] as [string, number]),
    ['shadow-table fills', s.shadow_fills], ['efficiency', percentText(s.efficiency)],
    ['assist', s.assist.enabled ? 'on' : 'off (--no-assist)'], ['  completed by assist', s.assist.completed],
    ['  passed to CP', s.assist.passed], ['  hit ratio', percentText(s.assist.hit_ratio)],
  ];
  return `CP statistics for ${s.vm}:\n` + rows.map(([k, v]) => `  ${k.padEnd(22)} ${String(v).padStart(14)}`).join('\n') + '\n';
}

/**
 * The virtual-machine assist's counters (PoO 2.9), as Hercules reports ECPS:VM's: privileged
 * instructions and SVCs completed by the real CPU itself vs. passed to CP, per instruction.
 */
function assistObject(vm: VirtualMachine) {
  const a = vm.assistCounters, t = a.total;
  return { enabled: vm.assist, completed: t.completed, passed: t.passed, hit_ratio: a.hitRatio, by_instruction: a.byInstruction() };
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


/** One line for an interruption the bare machine delivered (tinycp run --trace, bare). */
export function bareInterruptionLine(e: DebugEvent): string {
  // The interruption class (the event's cause may be finer: translation, privileged...).
  const cls = e.cause === 'svc' || e.cause === 'external' || e.cause === 'io' ? e.cause : 'program';
  const what = cls === 'program' ? ` (${PGM_NAMES[e.code] ?? 'unknown'})` : '';
  const at = e.instruction ? ` at ${hex(e.instruction.address, 6)}: ${e.instruction.text}` : '';
  const fail = typeof e.details.failingAddress === 'number' ? `; failing address X'${hex(e.details.failingAddress, 6)}'` : '';
  return `t=${e.time} ${cls} interruption, code X'${hex(e.code, 4)}'${what}${at}; old PSW ${hex(e.before.flags, 8)} ${hex(e.before.ia, 8)}${fail}; ` +
    `new PSW ${hex(e.after.flags, 8)} ${hex(e.after.ia, 8)} (${pswState(e.after)})`;
}
