/**
 * Trap events as text a student can follow: what the guest did, why the real CPU stopped, what
 * CP decided and why, and what changed in the virtual PSW. The data is in events.ts; this is
 * only its rendering (the CLI's --trace and the debugger's stop descriptions use it).
 */
import { PGM_NAMES, PSW_CC, PSW_DAT, PSW_EXT, PSW_IO, PSW_PROBLEM, PSW_WAIT } from '../cpu/arch.ts';
import type { PswData, TrapEvent } from './events.ts';

const hex = (v: number, n: number) => (v >>> 0).toString(16).toUpperCase().padStart(n, '0');

/** "a page-translation exception", "an addressing exception": the program exception's name with its article. */
export function pgmPhrase(code: number): string {
  const name = PGM_NAMES[code] ?? 'program';
  return `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name} exception`;
}

/** A PSW as System/370 operators read it: two hex words. */
export function pswText(p: PswData): string { return `${hex(p.flags, 8)} ${hex(p.ia, 8)}`; }

const BITS: [number, string][] = [[PSW_PROBLEM, 'problem state'], [PSW_WAIT, 'wait'], [PSW_DAT, 'DAT'], [PSW_IO, 'I/O mask'], [PSW_EXT, 'external mask']];

/** What changed between two PSWs, in words ("problem state on, I/O mask off, IA 001000"). */
export function pswChange(a: PswData, b: PswData): string {
  const out: string[] = [];
  for (const [bit, name] of BITS) {
    if ((a.flags & bit) !== (b.flags & bit)) out.push(`${name} ${(b.flags & bit) ? 'on' : 'off'}`);
  }
  if ((a.flags & PSW_CC) !== (b.flags & PSW_CC)) out.push(`CC ${b.cc}`);
  if (a.ia !== b.ia) out.push(`IA ${hex(b.ia, 6)}`);
  return out.length ? out.join(', ') : 'unchanged';
}

/** The state a PSW names, e.g. "supervisor, enabled for I/O and external". */
export function pswState(p: PswData): string {
  const st = p.flags & PSW_PROBLEM ? 'problem' : 'supervisor';
  const en = [p.flags & PSW_IO ? 'I/O' : '', p.flags & PSW_EXT ? 'external' : ''].filter(Boolean);
  return `${st} state${p.flags & PSW_WAIT ? ', wait' : ''}${p.flags & PSW_DAT ? ', DAT on' : ''}, ${en.length ? 'enabled for ' + en.join(' and ') : 'disabled'}`;
}

/** Why the real CPU stopped, in one phrase. */
function trapPhrase(e: TrapEvent): string {
  switch (e.cause) {
    case 'privileged': case 'diagnose':
      return `${e.instruction?.text.split(' ')[0] ?? 'it'} is privileged and guests always run in real problem state, so the real CPU stopped with a privileged-operation exception`;
    case 'privileged-problem':
      return `${e.instruction?.text.split(' ')[0] ?? 'it'} is privileged; the real CPU stopped (privileged-operation), and the guest itself is in virtual problem state`;
    case 'svc': return `SVC ${e.code} interrupts in any state; the real CPU stopped because CP intercepts supervisor calls`;
    case 'program': return `${pgmPhrase(e.code)} (code X'${hex(e.code, 2)}')`;
    case 'translation': return `the shadow table (the real TLB while this VM runs) had no entry for X'${hex(Number(e.details.virtual ?? e.details.address ?? 0), 6)}'`;
    case 'external': return `the VM's virtual clock made external interruption X'${hex(e.code, 4)}' pending`;
    case 'io': return `virtual device X'${hex(e.code, 3)}' completed`;
    case 'command': return 'a CP command';
  }
}

/** Several lines narrating one event. */
export function narrate(e: TrapEvent): string {
  const where = e.instruction ? ` at ${hex(e.instruction.address, 6)}: ${e.instruction.text}` : '';
  const head = `#${e.seq} t=${e.time} ${e.vm}${where}`;
  const lines = [head];
  if (e.action !== 'halt' && e.action !== 'wait') lines.push(`  trap: ${trapPhrase(e)}.`);
  lines.push(`  CP ${e.action}: ${e.reason}`);
  if (e.action === 'reflected' || e.action === 'injected') {
    const cls = e.cause === 'svc' ? 'svc' : e.cause === 'external' ? 'external' : e.cause === 'io' ? 'io' : 'program';
    lines.push(`  guest: old PSW stored in its ${cls} old-PSW slot (IA ${hex(e.before.ia, 6)}), code X'${hex(e.code, 4)}'; its ${cls} new PSW loaded.`);
  }
  const d = Object.entries(e.details).filter(([k]) => k !== 'ccws');
  if (d.length) lines.push(`  details: ${d.map(([k, v]) => `${k}=${typeof v === 'number' ? (Number.isInteger(v) && Math.abs(v) > 9 ? "X'" + hex(v, 1) + "'" : String(v)) : JSON.stringify(v)}`).join(' ')}`);
  if (Array.isArray(e.details.ccws)) {
    for (const c of e.details.ccws as Record<string, number>[]) {
      lines.push(`  CCW at ${hex(c.address, 6)}: cmd X'${hex(c.command, 2)}' data ${hex(c.data, 6)} flags X'${hex(c.flags, 2)}' count ${c.count} (inside the guest's storage)`);
    }
  }
  lines.push(`  vPSW ${pswText(e.before)} -> ${pswText(e.after)}: ${pswChange(e.before, e.after)} (${pswState(e.after)})`);
  return lines.join('\n');
}
