/**
 * Text the debugger shows: register and storage displays in VM/370's layout, PSWs with the
 * changed digits marked, and the narration of a trap stop (monitor/narrate.ts plus the source
 * line, the real PSW and the counters).
 */
import { PGM_NAMES } from '../cpu/arch.ts';
import { detailValue, narrate, oldPswLine, pswChange, pswState, pswText } from '../monitor/narrate.ts';
import type { TrapEvent, PswData } from '../monitor/events.ts';
import type { DebugEvent } from './events.ts';
import { classesOf } from './events.ts';
import type { SourceLoc } from './source.ts';

import { hex } from '../cpu/hex.ts';
export { hex } from '../cpu/hex.ts';
export { registerLines, dumpLines } from '../monitor/display.ts';

/** Two PSWs, one above the other, with a caret under every hex digit that changed. */
export function pswDiffLines(label: string, before: PswData, after: PswData): string[] {
  const a = pswText(before), b = pswText(after);
  const marks = [...b].map((ch, i) => (ch !== a[i] && ch !== ' ' ? '^' : ' ')).join('').trimEnd();
  const pad = ' '.repeat(label.length);
  const lines = [`${label} before ${a}`, `${pad} after  ${b}   ${pswChange(before, after)}`];
  if (marks) lines.push(`${pad}        ${marks}`);
  return lines;
}

/** One line: the instruction at an address, with its source line. */
export function instructionLine(address: number, text: string, loc: SourceLoc | undefined): string {
  const src = loc ? `   ${shortFile(loc.file)}:${loc.line}: ${loc.text}` : '';
  return `${hex(address, 6)}  ${text.padEnd(22)}${src}`;
}

export function shortFile(f: string): string { return f.split(/[\\/]/).pop() ?? f; }

/** A one-line trace entry (TRACE ... RUN output). */
export function traceLine(e: DebugEvent, loc: SourceLoc | undefined): string {
  const at = e.instruction ? ` ${hex(e.instruction.address, 6)} ${e.instruction.text}` : '';
  const src = loc ? ` (${shortFile(loc.file)}:${loc.line})` : '';
  const cls = classesOf(e).join('/') || e.cause.toUpperCase();
  return `*** ${cls} t=${e.time}${at}${src} -> ${e.action}${e.cause === 'ccw' ? ` ${e.reason}` : ''}`;
}

/** What a bare-machine, CCW or instruction event means, in the words monitor/narrate.ts uses for CP's. */
function localNarration(e: DebugEvent): string[] {
  const where = e.instruction ? ` at ${hex(e.instruction.address, 6)}: ${e.instruction.text}` : '';
  const lines = [`i=${e.step} t=${e.time} ${e.vm}${where}`];
  const pgm = e.cause !== 'svc' && e.cause !== 'external' && e.cause !== 'io'; // translation, privileged... are program interruptions too
  if (pgm && e.action === 'delivered') lines.push(`  a ${PGM_NAMES[e.code] ?? 'program'} exception (code X'${hex(e.code, 2)}').`);
  lines.push(`  ${e.action}: ${e.reason}`);
  if (e.action === 'delivered') lines.push(oldPswLine(e));
  const d = Object.entries(e.details);
  if (d.length) lines.push(`  details: ${d.map(([k, v]) => `${k}=${detailValue(v)}`).join(' ')}`);
  return lines;
}

/** The full narration of a trap stop. */
export function stopNarration(e: DebugEvent, loc: SourceLoc | undefined, counters: string): string[] {
  const lines: string[] = [];
  if (e.origin === 'cp') {
    // The debugger numbers events by the instructions executed (i=n); #n is CP's event number.
    const text = narrate(e as unknown as TrapEvent, `i=${e.step}`).split('\n');
    lines.push(...text.filter((l) => !l.startsWith('  vPSW ')));
  } else {
    lines.push(...localNarration(e));
  }
  if (loc) lines.splice(1, 0, `  source: ${shortFile(loc.file)}:${loc.line}: ${loc.text}`);
  lines.push(...pswDiffLines(e.origin === 'cp' ? '  virtual PSW' : '  PSW', e.before, e.after).map((l) => l));
  lines.push(`  ${e.origin === 'cp' ? 'virtual PSW now: ' : 'PSW now: '}${pswState(e.after)}`);
  if (e.real) lines.push(`  real PSW ${pswText(e.real)} (${pswState(e.real)}${e.origin === 'cp' ? ': the guest always runs in real problem state with real interruptions masked' : ''})`);
  lines.push(`  counters: ${counters}`);
  return lines;
}
