/**
 * The counters behind `--stats` and the debugger's counter line (the facade's `statsObject`,
 * `statsText`, `countersLine`). CP statistics: CP entries by cause, instructions run directly vs.
 * handled by CP, and efficiency, Popek & Goldberg's third property measured (the fraction of
 * guest instructions that ran with no CP involvement). The bare machine's: instructions,
 * interruptions by class, TLB misses.
 */
import { INT_CLASS_NAMES } from '../cpu/arch.ts';
import type { CPU } from '../cpu/cpu.ts';
import { percentText } from '../monitor/narrate.ts';
import type { VirtualMachine } from '../monitor/vm.ts';
import type { Outcome } from './machine.ts';

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
    // Per instruction, as Hercules lists ECPS:VM's statistics: which ones the CPU completed, which reached CP.
    ...(Object.keys(s.assist.by_instruction).length ? [['  by instruction', 'completed / passed'] as [string, string]] : []),
    ...Object.entries(s.assist.by_instruction).map(([k, v]) => [`    ${k}`, `${v.completed} / ${v.passed}`] as [string, string]),
  ];
  const w = Math.max(22, ...rows.map(([k]) => k.length));
  return `CP statistics for ${s.vm}:\n` + rows.map(([k, v]) => `  ${k.padEnd(w)} ${String(v).padStart(14)}`).join('\n') + '\n';
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
  const rows: [string, number][] = [
    ['instructions', s.instructions], ...Object.entries(s.interruptions).map(([k, v]) => [`  ${k} interruptions`, v] as [string, number]),
    ['TLB misses', s.tlb_misses],
  ];
  return "Bare machine statistics:\n" + rows.map(([k, v]) => `  ${k.padEnd(30)} ${String(v).padStart(14)}`).join('\n') + '\n';
}

/** The counters of the machine a session runs the program on: CP's for a VM, the CPU's when bare. */
export function machineStatsObject(s: { vm: VirtualMachine | null; cpu: CPU }, outcome?: Outcome): Record<string, unknown> {
  return s.vm ? statsObject(s.vm, outcome) : bareStatsObject(s.cpu, outcome);
}

/** The same for a person. */
export function machineStatsText(s: { vm: VirtualMachine | null; cpu: CPU }): string {
  return s.vm ? statsText(s.vm) : bareStatsText(s.cpu);
}

/** The counters in one line (the debugger's stop descriptions). */
export function machineCountersLine(s: { vm: VirtualMachine | null; cpu: CPU }): string {
  if (s.vm) {
    const c = s.vm.counters;
    const e = Object.entries(c.entries).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
    return `direct ${c.direct}, handled ${c.handled}, efficiency ${percentText(c.efficiency, 2)}; CP entries: ${e}`;
  }
  const c = s.cpu.counters;
  const ints = [...c.interruptions].map((n, i) => (n ? `${INT_CLASS_NAMES[i]} ${n}` : '')).filter(Boolean).join(', ') || 'none';
  return `instructions ${c.instructions}; interruptions: ${ints}`;
}

/** A number that changes whenever an interruption or CP (not the program's own instruction) may have written storage. */
export function machineTrapSignal(s: { vm: VirtualMachine | null; cpu: CPU }): number {
  if (s.vm) return s.vm.counters.handled + s.vm.counters.emulated + s.vm.counters.reflected;
  const n = s.cpu.counters.interruptions;
  let t = 0;
  for (let i = 0; i < n.length; i++) t += n[i];
  return t;
}

/** The counters as named rows (the DAP adapter's Counters scope). */
export function machineCounterRows(s: { vm: VirtualMachine | null; cpu: CPU }): [name: string, value: string][] {
  const out: [string, string][] = [];
  if (s.vm) {
    const c = s.vm.counters;
    out.push(['direct', String(c.direct)], ['handled', String(c.handled)], ['emulated', String(c.emulated)],
      ['reflected', String(c.reflected)], ['shadow fills', String(c.shadowFills)], ['efficiency', percentText(c.efficiency, 2)]);
    for (const [k, n] of Object.entries(c.entries)) out.push([`CP entries: ${k}`, String(n)]);
  } else {
    const c = s.cpu.counters;
    out.push(['instructions', String(c.instructions)], ['TLB misses', String(c.tlbMisses)]);
    INT_CLASS_NAMES.forEach((k, i) => out.push([`interruptions: ${k}`, String(c.interruptions[i])]));
  }
  return out;
}
