/**
 * `tinycp theorem [program] [--demote MNEMONIC]`: Popek & Goldberg's first theorem, shown true by
 * breaking it. (1) The ISA table: every sensitive instruction is privileged. (2) The program runs
 * bare and under CP: same outcome, same guest-visible state. (3) The same run under CP on a
 * machine where one sensitive instruction is *not* privileged (x86's POPF problem): the
 * instruction no longer traps, CP never sees it, and the guest's behaviour diverges.
 */
import { BY_MNEMONIC, ISA } from '../cpu/isa.ts';
import { buildFile } from '../host/build.ts';
import { Session, type Mode } from '../session/session.ts';
import type { ObjectImage } from '../guest/object.ts';

export interface TheoremRun { label: string; outcome: string; success: boolean; cpEntries: number | null; state: string }
export interface TheoremReport { sensitiveUnprivileged: string[]; runs: TheoremRun[]; equivalentAsBuilt: boolean; equivalentWhenBroken: boolean }

const BUDGET = 1_000_000;

function runOnce(image: ObjectImage, mode: Mode, label: string, demoted: number | null): TheoremRun {
  const lines: string[] = [];
  const s = new Session(image, { mode, console: (l) => lines.push(l) });
  if (demoted !== null) {
    const u = new Uint8Array(256);
    u[demoted] = 1;
    s.cpu.unprivileged = u; // the real CPU CP runs on now breaks theorem 1 for this opcode
  }
  const r = s.run(BUDGET);
  const g = s.guestState();
  const state = `PSW ${(g.psw[0] >>> 0).toString(16).padStart(8, '0')} ${g.psw[1].toString(16).padStart(8, '0')}, R2 ${g.gpr[2]}, time ${g.time}`;
  return { label, outcome: r.message, success: r.success, cpEntries: s.virtual ? s.cpEntries : null, state };
}

/** The three steps, as data (the test reads this; the command prints it). */
export function theorem(image: ObjectImage, demote: string): TheoremReport | string {
  const def = BY_MNEMONIC.get(demote.toUpperCase());
  if (!def || !def.privileged) return `${demote} is not a privileged instruction of the ISA table`;
  const sensitiveUnprivileged = ISA.filter((d) => d.sensitive !== 'innocuous' && !d.privileged).map((d) => d.mnemonic);
  const bare = runOnce(image, 'bare', 'bare machine', null);
  const cp = runOnce(image, 'vm', 'under CP', null);
  const broken = runOnce(image, 'vm', `under CP, ${def.mnemonic} unprivileged`, def.opcode);
  return {
    sensitiveUnprivileged,
    runs: [bare, cp, broken],
    equivalentAsBuilt: bare.outcome === cp.outcome && bare.state === cp.state,
    equivalentWhenBroken: bare.outcome === broken.outcome && bare.state === broken.state,
  };
}

export function theoremCommand(file: string, demote: string): number {
  const b = buildFile(file);
  if (!b.ok) { for (const e of b.errors) console.error(e); return 3; }
  const r = theorem(b.image, demote);
  if (typeof r === 'string') { console.error(`tinycp: ${r}`); return 3; }
  const say = (s: string) => console.log(s);
  say(`Popek & Goldberg, theorem 1: a VMM can be built if every sensitive instruction is privileged.`);
  say(`1. The ISA table: ${r.sensitiveUnprivileged.length === 0 ? 'every sensitive instruction is privileged.' : 'sensitive but unprivileged: ' + r.sensitiveUnprivileged.join(' ')}`);
  say(`2. ${file}, bare and under CP:`);
  for (const x of r.runs.slice(0, 2)) say(`   ${x.label.padEnd(34)} ${x.outcome}; ${x.state}${x.cpEntries !== null ? `; ${x.cpEntries} CP entries` : ''}`);
  say(`   ${r.equivalentAsBuilt ? 'equivalent: CP saw every sensitive instruction and emulated it.' : 'NOT equivalent (a bug: please report it).'}`);
  const x = r.runs[2];
  say(`3. The same, on a machine where ${demote.toUpperCase()} is not privileged (like x86's POPF):`);
  say(`   ${x.label.padEnd(34)} ${x.outcome}; ${x.state}; ${x.cpEntries} CP entries`);
  say(`   ${r.equivalentWhenBroken ? 'still equivalent: this program does not depend on that instruction.'
    : `NOT equivalent: ${demote.toUpperCase()} executed directly on the real CPU in problem state. It acted on the real machine's state instead of the virtual machine's, CP never saw it, and from there the guest's run diverged.`}`);
  return r.equivalentAsBuilt ? 0 : 1;
}
