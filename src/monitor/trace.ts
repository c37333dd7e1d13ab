/**
 * CP's TRACE facility (VM/370's CP TRACE command): which trap events of a virtual machine to
 * log (RUN) or to stop the VM on (NORUN), by VM/370's classes, optionally for one code. The class
 * rules and the operand parser live here, in CP, because CP owns TRACE; the debugger
 * (src/debug) and the time-sharing console's `#CP TRACE` both use them.
 */
import { PGM_PRIVILEGED } from '../cpu/arch.ts';
import { BY_OPCODE } from '../cpu/isa.ts';
import type { ControlProgram } from './cp.ts';
import type { TrapEvent } from './events.ts';
import { narrate } from './narrate.ts';
import { hexOperand } from './operator.ts';
import type { VirtualMachine } from './vm.ts';
import { hex } from '../cpu/hex.ts';

/** VM/370's TRACE classes (plus TRANSLATION for shadow-table activity). */
export const TRACE_CLASSES = ['SVC', 'PRIV', 'PROGRAM', 'EXTERNAL', 'IO', 'DIAG', 'CCW', 'INSTRUCTION', 'TRANSLATION', 'ALL'] as const;
export type TraceClass = (typeof TRACE_CLASSES)[number];

/** Shortest abbreviation of each TRACE class (as VM/370 allowed them). */
export const TRACE_ABBREV: Readonly<Record<TraceClass, number>> = {
  SVC: 3, PRIV: 4, PROGRAM: 4, EXTERNAL: 3, IO: 2, DIAG: 4, CCW: 3, INSTRUCTION: 4, TRANSLATION: 5, ALL: 3,
};

/** What a rule looks at: CP's trap events, and the debugger's events of the same shape. */
export interface Traceable {
  cause: string;
  action: string;
  code: number;
  instruction: { word: number } | null;
}

/** One TRACE setting. */
export interface TraceRule {
  cls: TraceClass;
  /** Only this code (SVC number, program code, DIAGNOSE code, opcode for PRIV/INSTRUCTION, device for IO, command for CCW). */
  code: number | null;
  /** true: log and go on (RUN); false: stop (NORUN, the default as in VM/370). */
  run: boolean;
  /** Who set it ('dap': the adapter's exception filters), so front ends can replace their own. */
  tag?: string;
}

/** Trace classes an event belongs to (ALL matches every class but INSTRUCTION). */
export function classesOf(e: Traceable): TraceClass[] {
  const io = e.instruction !== null && BY_OPCODE[e.instruction.word >>> 24]?.cls === 'io'; // SIO, TIO, HIO: the table says
  switch (e.cause) {
    case 'svc': return ['SVC'];
    case 'privileged': return io ? ['PRIV', 'IO'] : ['PRIV'];
    case 'privileged-problem': return ['PRIV', 'PROGRAM'];
    case 'diagnose': return ['DIAG'];
    case 'program':
      if (e.action === 'halt' || e.action === 'wait') return [];
      return e.code === PGM_PRIVILEGED ? ['PROGRAM', 'PRIV'] : ['PROGRAM'];
    case 'translation': return e.action === 'reflected' || e.action === 'delivered' ? ['PROGRAM', 'TRANSLATION'] : ['TRANSLATION'];
    case 'external': return ['EXTERNAL'];
    case 'io': return ['IO'];
    case 'ccw': return ['CCW'];
    case 'instruction': return ['INSTRUCTION'];
    default: return [];
  }
}

/** The code a rule's filter compares with: the opcode for PRIV/INSTRUCTION, else the event code. */
function filterCode(rule: TraceRule, e: Traceable): number {
  if ((rule.cls === 'PRIV' || rule.cls === 'INSTRUCTION') && e.instruction) return e.instruction.word >>> 24;
  return e.code;
}

/** Does `rule` select `e`? */
export function ruleMatches(rule: TraceRule, e: Traceable): boolean {
  const inClass = rule.cls === 'ALL' ? e.cause !== 'instruction' : classesOf(e).includes(rule.cls);
  return inClass && (rule.code === null || filterCode(rule, e) === rule.code);
}

/** A TRACE class from a word or its abbreviation. */
export function findTraceClass(word: string): TraceClass | undefined {
  const w = word.toUpperCase();
  if (w === 'I/O') return 'IO';
  return TRACE_CLASSES.find((c) => w.length >= TRACE_ABBREV[c] && c.startsWith(w)) ?? TRACE_CLASSES.find((c) => c === w);
}

/**
 * Apply `TRACE operands` to a rule list: `class... [code] [RUN|NORUN|OFF]` or `END`. Returns
 * the new list and the response, or the reason the operands are refused (nothing changes then).
 * SVC codes are decimal, as SVC numbers are written; the other codes are hex.
 */
export function applyTrace(rules: readonly TraceRule[], args: readonly string[]): { rules: TraceRule[]; message: string } | { error: string } {
  if (args.length === 1 && args[0].length >= 1 && 'END'.startsWith(args[0].toUpperCase())) return { rules: [], message: 'TRACE ENDED' };
  const classes: TraceClass[] = [];
  let code: number | null = null, run = false, off = false;
  for (const a of args) {
    const u = a.toUpperCase();
    const cls = findTraceClass(u);
    if (cls) { classes.push(cls); continue; }
    if (u === 'RUN') { run = true; continue; }
    if (u === 'NORUN') { run = false; continue; }
    if (u === 'OFF') { off = true; continue; }
    const v = classes[0] === 'SVC' && /^\d+$/.test(u) ? Number(u) : hexOperand(u);
    if (v === undefined || classes.length === 0 || code !== null) {
      return { error: `'${a}' is not a trace class (${TRACE_CLASSES.join(' ')}), a code after a class, RUN, NORUN or OFF` };
    }
    code = v;
  }
  if (classes.length === 0) return { error: 'TRACE needs a class: ' + TRACE_CLASSES.join(' ') + ', or END' };
  let out = [...rules];
  if (off) out = out.filter((r) => !classes.includes(r.cls) || (code !== null && r.code !== code));
  else {
    for (const cls of classes) {
      out = out.filter((r) => !(r.cls === cls && r.code === code));
      out.push({ cls, code, run });
    }
  }
  const codeText = code !== null ? ` CODE ${hex(code, 0)}` : '';
  return { rules: out, message: off ? `TRACE ${classes.join(' ')} OFF` : `TRACING ${classes.join(' ')}${codeText} ${run ? 'RUN' : 'NORUN'}` };
}

/** A rule as QUERY TRACE shows it. */
export function ruleText(r: TraceRule): string {
  const code = r.code === null ? '' : ` ${r.cls === 'SVC' ? r.code : "X'" + hex(r.code, 0) + "'"}`;
  return `${r.cls}${code} ${r.run ? 'RUN' : 'NORUN'}`;
}

/* ---- CP's TRACE for a virtual machine (the `#CP TRACE` of the time-sharing console, DIAGNOSE X'08') ---- */


/** One CP's TRACE settings by user ID, and how to remove its trap listener (null: not installed). */
export interface TraceState { rules: Map<string, TraceRule[]>; off: (() => void) | null }

/** A trap event of a traced VM: narrate it on that VM's console; stop the VM for a NORUN rule. */
function onEvent(cp: ControlProgram, e: TrapEvent): void {
  const rules = cp.commands.trace.rules.get(e.vm);
  if (!rules) return;
  const hit = rules.filter((r) => ruleMatches(r, e));
  if (hit.length === 0) return;
  const vm = cp.vm(e.vm);
  if (!vm) return;
  for (const line of narrate(e).split('\n')) vm.consoleWrite?.(`*** ${line}`);
  if (hit.some((r) => !r.run) && vm.state === 'ready') {
    cp.stopVm(vm, 'operator', 0, `TRACE stop after event #${e.seq}; #CP BEGIN resumes`);
  }
}

/** CP TRACE for `vm`: change its rules (the listener runs only while some VM is traced). */
export function traceCommand(cp: ControlProgram, vm: VirtualMachine, args: string[], say: (l: string) => void): boolean {
  const s = cp.commands.trace;
  const current = s.rules.get(vm.name) ?? [];
  if (args.length === 0) { say(current.length ? `TRACE ${current.map(ruleText).join(', ')}` : 'NO TRACE SET'); return true; }
  const r = applyTrace(current, args);
  if ('error' in r) { say(`INVALID OPERAND: ${r.error}`); return false; }
  if (r.rules.length) s.rules.set(vm.name, r.rules); else s.rules.delete(vm.name);
  if (s.rules.size > 0 && !s.off) s.off = cp.on((e) => onEvent(cp, e));
  if (s.rules.size === 0 && s.off) { s.off(); s.off = null; }
  say(r.message);
  return true;
}

/** CP BEGIN: resume a VM that a TRACE NORUN rule or an ADSTOP stopped. */
export function beginCommand(cp: ControlProgram, vm: VirtualMachine, say: (l: string) => void): boolean {
  if (vm.state !== 'stopped' || vm.stop?.reason !== 'operator') { say(`${vm.name} IS NOT STOPPED BY TRACE OR ADSTOP`); return false; }
  vm.state = 'ready'; vm.stop = null;
  vm.adstopArmed = false; // resume at an ADSTOP address without stopping there again at once
  cp.wake(vm);
  return true;
}
