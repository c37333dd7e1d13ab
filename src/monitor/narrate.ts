/**
 * Trap events as text a student can follow: what the guest did, why the real CPU stopped, what
 * CP decided and why, and what changed in the virtual PSW. The data is in events.ts; this is
 * only its rendering (the CLI's --trace and the debugger's stop descriptions use it).
 */
import { PGM_ADDRESSING, PGM_NAMES, PGM_PAGE, PGM_SEGMENT, PSW_CC, PSW_DAT, PSW_EXT, PSW_IO, PSW_PROBLEM, PSW_WAIT } from '../cpu/arch.ts';
import type { PswData, TrapEvent } from './events.ts';
import { hex } from '../cpu/hex.ts';


/** A detail value as an operator reads it: numbers above 9 in hex (clock values keep all 64 bits' worth of digits). */
export function detailValue(v: unknown): string {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || (v >= 0 && v <= 9)) return String(v);
    return "X'" + (v >= 0 ? v.toString(16) : (v >>> 0).toString(16)).toUpperCase() + "'";
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return '[' + v.map(detailValue).join(', ') + ']';
  return JSON.stringify(v);
}

/** The first word of an instruction's text: its mnemonic. */
function mnemonicOf(e: TrapEvent): string { return e.instruction?.text.split(' ')[0] ?? 'it'; }

/** The guest virtual address a translation event is about (recorded on every path). */
function virtualOf(e: TrapEvent): number {
  const v = e.details.failingAddress ?? e.details.virtual;
  return typeof v === 'number' ? v : 0;
}

/** Why CP reflected a translation exception the guest's own tables raised, by its code. */
function translationReason(e: TrapEvent): string {
  const va = hex(virtualOf(e), 6);
  switch (e.code) {
    case PGM_PAGE:
      return `the guest's own page table marks the page of X'${va}' invalid: a page-translation exception the guest must see, so CP reflects it to the guest OS's handler (OSTEP: the VMM passes the miss to the OS, which fixes its page table and returns; the retry will miss again and find the new mapping).`;
    case PGM_SEGMENT:
      return `the guest's own segment table has no valid entry for the segment of X'${va}' (or the segment lies beyond the table's length): a segment-translation exception the guest must see, so CP reflects it to the guest's program new PSW; only the guest can make the segment valid, and the instruction is nullified so a retry after that can succeed.`;
    case PGM_ADDRESSING:
      return `a table entry the guest's own tables name for X'${va}' lies outside the guest's storage: an addressing exception, reflected exactly as the bare machine delivers it; the guest's tables are wrong, and no retry succeeds until the guest fixes them.`;
    default:
      return `the guest's own tables refuse X'${va}': ${pgmPhrase(e.code)} the guest must see, so CP reflects it.`;
  }
}

/**
 * Why CP did what it did, in one sentence, rendered from the event's structured fields. CP
 * calls this only while someone listens (prose is never built in the trap path otherwise).
 */
export function reasonFor(e: TrapEvent): string {
  const m = mnemonicOf(e);
  switch (e.action) {
    case 'emulated':
      if (e.details.hybrid) {
        return `${m} is sensitive and the guest is in virtual supervisor state, so CP performed it on the virtual machine's state`
          + ' (the hybrid monitor, theorem 3: whether the machine would have trapped does not matter).';
      }
      return `${m} is sensitive, so it is privileged (Popek & Goldberg's theorem 1); the guest is in virtual supervisor state, so CP performed it on the virtual machine's state.`;
    case 'hypercall': case 'halt':
      return `DIAGNOSE in virtual supervisor state is a request to CP (a hypercall): CP performed function X'${hex(e.code, 1)}'.`;
    case 'shadow-fill': {
      const va = virtualOf(e), frame = Number(e.details.frame ?? 0);
      return `the shadow table had no entry for page X'${hex(va >>> 12, 1)}'${e.instruction === null ? ' (instruction fetch)' : ''}; the guest's own tables map it to frame X'${hex(frame >>> 12, 1)}', so CP copied the mapping into the shadow table and retried: the retry hits, and the guest never knows (OSTEP: the VMM installs the real mapping in the TLB).`;
    }
    case 'reflected':
      switch (e.cause) {
        case 'svc': return 'SUPERVISOR CALL is not privileged: it interrupts in any state, so CP reflects it to the guest\'s SVC new PSW.';
        case 'privileged-problem': return `${m} is privileged and the guest is in virtual problem state: the bare machine would refuse it, so CP reflects a privileged-operation exception.`;
        case 'privileged': case 'diagnose': return `${m}'s operand raised ${pgmPhrase(e.code)} while CP emulated it: reflected to the guest.`;
        case 'translation': return translationReason(e);
        default: return `${pgmPhrase(e.code)} is the guest's own: CP reflects it exactly as the bare machine would deliver it.`;
      }
    case 'injected':
      return e.cause === 'external'
        ? `external interruption X'${hex(e.code, 1)}' is pending in the VM's virtual time and the virtual PSW enables it: CP presents it.`
        : `device X'${hex(e.code, 3)}' finished its channel program and the virtual PSW enables I/O: CP presents the interruption with the CSW.`;
    case 'wait':
      return 'enabled wait with nothing scheduled: the VM costs nothing until input or a CP command arrives.';
    default:
      return '';
  }
}

/** Why the bare machine delivered an interruption itself (its events' `reason`). */
export function deliveredReason(cls: string, code: number): string {
  return `the bare machine has no CP: the CPU stores the old PSW and interruption code X'${hex(code, 4)}' in low storage and loads the ${cls} new PSW.`;
}

/** Why a privileged instruction just runs on the bare machine (`text`: its disassembly). */
export function executedReason(text: string): string {
  return `the bare machine is in supervisor state, so ${text.split(' ')[0]} runs directly on the real machine: nothing traps without a control program.`;
}

/** A CCW the channel used, in one sentence (the debugger's CCW events). */
export function ccwReason(c: { device: number; ccwAddress: number; command: number; dataAddress: number; flags: number; count: number }): string {
  return `device X'${hex(c.device, 3)}' CCW at ${hex(c.ccwAddress, 6)}: command X'${hex(c.command, 2)}' data ${hex(c.dataAddress, 6)} `
    + `flags X'${hex(c.flags, 2)}' count ${c.count}`;
}

/** "a page-translation exception", "an addressing exception": the program exception's name with its article. */
export function pgmPhrase(code: number): string {
  const name = PGM_NAMES[code] ?? 'program';
  return `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name} exception`;
}

/**
 * A fraction as a percentage with at least `min` decimals and as many more as it takes to show
 * that a fraction below 1 is below 100% (0.99999995 is 99.999995%, not 100.0000%), and above 0
 * is above 0%.
 */
export function percentText(f: number, min = 4): string {
  for (let d = min; d < 15; d++) {
    const t = (f * 100).toFixed(d);
    if ((f < 1 && Number(t) >= 100) || (f > 0 && Number(t) <= 0)) continue;
    return `${t}%`;
  }
  return `${(f * 100).toFixed(15)}%`;
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
      if (e.details.hybrid) {
        return `CP's hybrid monitor read ${mnemonicOf(e)} before it could run (the guest is in virtual supervisor state,`
          + ' so CP looks at every instruction) and took it: it is sensitive';
      }
      return `${mnemonicOf(e)} is privileged and guests always run in real problem state, so the real CPU stopped with a privileged-operation exception`;
    case 'privileged-problem':
      return `${mnemonicOf(e)} is privileged; the real CPU stopped (privileged-operation), and the guest itself is in virtual problem state`;
    case 'svc': return `SVC ${e.code} interrupts in any state; the real CPU stopped because CP intercepts supervisor calls`;
    case 'program': return `${pgmPhrase(e.code)} (code X'${hex(e.code, 2)}')`;
    case 'translation': return `the shadow table (the real TLB while this VM runs) had no entry for X'${hex(virtualOf(e), 6)}'${e.action === 'reflected' ? ', and the guest\'s own tables do not map it either' : ''}`;
    case 'external': return `the VM's virtual clock made external interruption X'${hex(e.code, 4)}' pending`;
    case 'io': return `virtual device X'${hex(e.code, 3)}' completed`;
    case 'command': return 'a CP command';
    case 'wait': return 'the guest loaded a wait PSW';
    case 'stop': return 'the virtual machine check-stopped';
  }
}

/**
 * The line saying what the guest's low storage now holds after a reflected, injected or
 * delivered interruption: `before` is the old PSW exactly as stored (events.ts), and a
 * translation exception's failing address is the one stored at X'90'.
 */
export function oldPswLine(e: { cause: string; code: number; before: PswData; details: TrapEvent['details'] }): string {
  const cls = e.cause === 'svc' ? 'svc' : e.cause === 'external' ? 'external' : e.cause === 'io' ? 'io' : 'program';
  const fail = typeof e.details.failingAddress === 'number' ? `, failing address X'${hex(e.details.failingAddress, 6)}' at X'90'` : '';
  return `  guest: old PSW ${pswText(e.before)} stored in its ${cls} old-PSW slot (IA ${hex(e.before.ia, 6)}), code X'${hex(e.code, 4)}'${fail}; its ${cls} new PSW loaded.`;
}

/**
 * Several lines narrating one event. `#n` is always the event's number (CP's count of events);
 * a front end that numbers by something else passes its own `label` (the debugger: `i=n`, the
 * instructions executed).
 */
export function narrate(e: TrapEvent, label = `#${e.seq}`): string {
  const where = e.instruction ? ` at ${hex(e.instruction.address, 6)}: ${e.instruction.text}` : '';
  const head = `${label} t=${e.time} ${e.vm}${where}`;
  const lines = [head];
  if (e.action !== 'halt' && e.action !== 'wait') lines.push(`  trap: ${trapPhrase(e)}.`);
  lines.push(`  CP ${e.action}: ${e.reason}`);
  if (e.action === 'reflected' || e.action === 'injected') lines.push(oldPswLine(e));
  const d = Object.entries(e.details).filter(([k]) => k !== 'ccws');
  if (d.length) lines.push(`  details: ${d.map(([k, v]) => `${k}=${detailValue(v)}`).join(' ')}`);
  if (Array.isArray(e.details.ccws)) {
    for (const c of e.details.ccws as Record<string, number>[]) {
      lines.push(`  CCW at ${hex(c.address, 6)}: cmd X'${hex(c.command, 2)}' data ${hex(c.data, 6)} flags X'${hex(c.flags, 2)}' count ${c.count} (inside the guest's storage)`);
    }
  }
  lines.push(`  vPSW ${pswText(e.before)} -> ${pswText(e.after)}: ${pswChange(e.before, e.after)} (${pswState(e.after)})`);
  return lines.join('\n');
}
