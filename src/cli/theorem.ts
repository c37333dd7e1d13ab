/**
 * `tinycp theorem`: Popek & Goldberg's theorems by experiment (docs/teaching.md, labs 4, 8-11).
 *
 * - `tinycp theorem [program] [--demote M | --profile P] [--hybrid]`: theorem 1 shown true by
 *   breaking it: the program bare and under CP, then under CP on a machine where sensitive
 *   instructions leak (x86's POPF problem); `--hybrid` adds the hybrid VMM of theorem 3.
 * - `tinycp theorem classify [--profile P] [--json]`: which instructions are privileged and which
 *   sensitive, decided by running them (src/theory/classify.ts), and the theorems' verdicts.
 * - `tinycp theorem counterexamples [--profile P] [--json]`: a program per violation that runs
 *   differently bare and under CP, with the first divergence narrated.
 * - `tinycp theorem costs [--json]`: the cost of each sensitive operation under each technique.
 */
import { BY_MNEMONIC, type Mnemonic } from '../cpu/isa.ts';
import { demoteProfile, leakyMnemonics, profileByName, type Profile } from '../cpu/profiles.ts';
import { buildFile } from '../host/build.ts';
import { classify, type Classification } from '../theory/classify.ts';
import type { RunReport } from '../theory/experiment.ts';
import { theoremOnProfile, type TheoremReport } from '../theory/theorem.ts';

export { theorem, type TheoremReport } from '../theory/theorem.ts';

export interface TheoremOptions { demote?: string; profile?: string; hybrid?: boolean; json?: boolean }

const say = (s: string) => console.log(s);

/** The profile the options name: `--profile`, or `--demote M` (default SSM) as a one-instruction profile. */
function chosenProfile(o: TheoremOptions): Profile | string {
  if (o.profile !== undefined && o.demote !== undefined) return 'choose one of --profile and --demote';
  if (o.profile !== undefined) { const p = profileByName(o.profile); return 'error' in p ? p.error : p; }
  const m = (o.demote ?? 'SSM').toUpperCase();
  const def = BY_MNEMONIC.get(m);
  if (!def || !def.privileged) return `${o.demote} is not a privileged instruction of the ISA table`;
  return demoteProfile(def.mnemonic as Mnemonic);
}

function runLine(x: RunReport): string {
  const direct = Object.entries(x.direct).map(([m, n]) => `${m} ${n}`).join(', ');
  return `   ${x.label.padEnd(34)} ${x.outcome}; ${x.state}${x.cpEntries !== null ? `; ${x.cpEntries} CP entries` : ''}` +
    `${x.hybridSteps ? `; ${x.hybridSteps} instructions interpreted` : ''}${direct ? `; ran directly: ${direct}` : ''}`;
}

export function verdictText(r: TheoremReport, names: string): string {
  const broken = r.runs[2];
  const ran = Object.keys(broken.direct).join(', ') || names;
  switch (r.verdict) {
    case 'equivalent': return `still equivalent: ${names} never ran directly under CP (0 direct executions): this program does not depend on ${names}.`;
    case 'equivalent-by-luck':
      return `outputs agree, but NOT by construction: ${ran} ran directly ${broken.directTotal} time(s) on the real CPU in problem state,`
        + ` against the real machine's state, and CP never saw it. This program happens not to notice; theorem 1's condition is broken all the same.`;
    case 'diverged':
      return `NOT equivalent: ${ran} executed directly on the real CPU in problem state (${broken.directTotal} time(s)). It acted on the real`
        + ` machine's state instead of the virtual machine's, CP never saw it, and from there the guest's run diverged.`;
  }
}

function theoremProgram(file: string, o: TheoremOptions): number {
  const p = chosenProfile(o);
  if (typeof p === 'string') { console.error(`tinycp: ${p}`); return 3; }
  const b = buildFile(file);
  if (!b.ok) { for (const e of b.errors) console.error(e); return 3; }
  const r = theoremOnProfile(b.image, p, !!o.hybrid);
  const names = leakyMnemonics(p).join(', ');
  if (o.json) { say(JSON.stringify({ ...r, runs: r.runs.map(({ console: _c, ...x }) => x), bareOnProfile: undefined })); return r.equivalentAsBuilt ? 0 : 1; }
  say(`Popek & Goldberg, theorem 1: a VMM can be built if every sensitive instruction is privileged.`);
  const table = r.sensitiveUnprivileged.length === 0 ? 'every sensitive instruction is privileged.'
    : 'sensitive but unprivileged: ' + r.sensitiveUnprivileged.join(' ');
  say(`1. The ISA table: ${table}`);
  say(`2. ${file}, bare and under CP:`);
  for (const x of r.runs.slice(0, 2)) say(runLine(x));
  say(`   ${r.equivalentAsBuilt ? 'equivalent: CP saw every sensitive instruction and emulated it.' : 'NOT equivalent (a bug: please report it).'}`);
  say(`3. The same, on a machine where ${names} ${leakyMnemonics(p).length > 1 ? 'are' : 'is'} not privileged (profile ${p.name}: ${p.doc}):`);
  if (!sameLine(r.bareOnProfile, r.runs[0])) say(runLine(r.bareOnProfile));
  say(runLine(r.runs[2]));
  say(`   ${verdictText(r, names)}`);
  if (o.hybrid) {
    const h = r.runs[3];
    say(`4. Theorem 3: the hybrid VMM interprets the guest's supervisor-state code and traps its problem-state code:`);
    say(runLine(h));
    say(`   ${r.hybridEquivalent ? `equivalent: CP looked at ${h.hybridSteps} supervisor-state instructions and emulated the sensitive ones itself.`
      : 'NOT equivalent: a user-sensitive instruction ran directly in problem state (theorem 3 needs those privileged too).'}`);
  }
  return r.equivalentAsBuilt ? 0 : 1;
}

function sameLine(a: RunReport, b: RunReport): boolean { return a.outcome === b.outcome && a.state === b.state; }

/** The classification as a table, with both theorems' verdicts. */
export function classifyText(c: Classification): string[] {
  const out: string[] = [];
  out.push(`Instruction classes on profile '${c.profile}', by experiment (${c.samples} random machine states x 4 runs per instruction):`);
  const by = (k: string) => c.rows.filter((x) => x.cls === k);
  const line = (x: Classification['rows'][number]) => `${x.mnemonic}${x.sensitivity !== 'innocuous' ? ` (${x.sensitivity})` : ''}`;
  out.push(`  privileged (trap in problem state):`);
  out.push(...wrap(by('privileged').map(line)));
  out.push(`  control-sensitive, unprivileged:`);
  out.push(...wrap(by('control-sensitive').map((x) => `${line(x)}: ${x.evidence}`), 1));
  out.push(`  behavior-sensitive, unprivileged:`);
  out.push(...wrap(by('behavior-sensitive').map((x) => `${line(x)}: ${x.evidence}`), 1));
  out.push(`  innocuous: ${by('innocuous').length} instructions`);
  out.push(c.violations.length === 0
    ? 'Theorem 1: every sensitive instruction is privileged: a trap-and-emulate VMM can be built.'
    : `Theorem 1: sensitive but unprivileged: ${c.violations.join(' ')}: trap-and-emulate alone cannot virtualize this machine.`);
  out.push(c.userViolations.length === 0
    ? `Theorem 3: every user-sensitive instruction is privileged: a hybrid VMM can be built${c.violations.length ? ' (tinycp theorem --hybrid)' : ''}.`
    : `Theorem 3: user-sensitive but unprivileged: ${c.userViolations.join(' ')}: not even a hybrid VMM is exact for programs that use them in problem state.`);
  return out;
}

function wrap(items: string[], perLine = 8): string[] {
  if (items.length === 0) return ['    (none)'];
  const out: string[] = [];
  for (let i = 0; i < items.length; i += perLine) out.push('    ' + items.slice(i, i + perLine).join(perLine > 1 ? ' ' : ''));
  return out;
}

function classifyCommand(o: TheoremOptions): number {
  const p = profileByName(o.profile ?? 'default');
  if ('error' in p) { console.error(`tinycp: ${p.error}`); return 3; }
  const c = classify(p);
  if (o.json) say(JSON.stringify({ profile: c.profile, classes: c.classes, violations: c.violations, userViolations: c.userViolations, samples: c.samples }));
  else for (const l of classifyText(c)) say(l);
  return 0;
}

/** `tinycp theorem <program | classify | counterexamples | costs>`. */
export async function theoremCommand(what: string, o: TheoremOptions): Promise<number> {
  switch (what) {
    case 'classify': return classifyCommand(o);
    case 'counterexamples': return (await import('./theorem-more.ts')).counterexamplesCommand(o);
    case 'costs': return (await import('./theorem-more.ts')).costsCommand(o);
    default: return theoremProgram(what, o);
  }
}
