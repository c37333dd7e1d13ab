/**
 * One guest program run on a machine of a given instruction-set profile, bare or under CP (plain
 * trap-and-emulate, or the hybrid VMM of theorem 3), reduced to what the theorems compare: the
 * outcome, the guest-visible end state, console output, and how often a leaky instruction ran
 * directly on the real CPU in problem state (under CP: unseen by CP).
 */
import { ISA } from '../cpu/isa.ts';
import { PROFILES, type Profile } from '../cpu/profiles.ts';
import type { ObjectImage } from '../guest/object.ts';
import { Session, type Mode } from '../session/session.ts';

/** Instructions a theorem run may take (every example ends far sooner). */
export const THEOREM_BUDGET = 1_000_000;

export interface RunSpec { mode: Mode; profile?: Profile; hybrid?: boolean; label?: string; budget?: number; storage?: number }

export interface RunReport {
  label: string;
  outcome: string;
  success: boolean;
  /** CP entries (null: bare). */
  cpEntries: number | null;
  /** Registers, PSW and time at the end, as one line. */
  state: string;
  console: string[];
  /** Problem-state executions of the profile's leaky instructions, by mnemonic (under CP: direct, unseen by CP). */
  direct: Record<string, number>;
  /** Total of `direct`. */
  directTotal: number;
  /** Hybrid: instructions CP looked at in virtual supervisor state (0 otherwise). */
  hybridSteps: number;
  /** Guest instructions executed. */
  instructions: number;
}

/** Run `image` as `spec` says. */
export function runGuest(image: Pick<ObjectImage, 'segments' | 'entry'>, spec: RunSpec): RunReport {
  const lines: string[] = [];
  const counts = new Float64Array(256);
  const profile = spec.profile ?? PROFILES.default;
  // Plain trap-and-emulate: the assist (PoO 2.9) would complete some traps in the CPU; the theorems are about CP.
  const s = new Session(image, {
    mode: spec.mode, console: (l) => lines.push(l), profile, leakCounts: counts, hybrid: spec.hybrid, storage: spec.storage, assist: false,
  });
  const r = s.run(spec.budget ?? THEOREM_BUDGET);
  const g = s.guestState();
  const hex = (v: number) => (v >>> 0).toString(16).padStart(8, '0');
  const direct: Record<string, number> = {};
  let directTotal = 0;
  for (const d of ISA) if (counts[d.opcode] > 0) { direct[d.mnemonic] = counts[d.opcode]; directTotal += counts[d.opcode]; }
  return {
    label: spec.label ?? (spec.mode === 'bare' ? 'bare machine' : spec.hybrid ? 'under CP, hybrid' : 'under CP'),
    outcome: r.message, success: r.success, cpEntries: s.vm ? s.vm.counters.totalEntries : null,
    state: `PSW ${hex(g.psw[0])} ${hex(g.psw[1])}, R2 ${g.gpr[2]}, time ${g.time}`,
    console: lines, direct, directTotal, hybridSteps: s.cp ? s.cp.hybridSteps : 0, instructions: s.instructions,
  };
}

/** Two runs agree: same outcome, same end state, same console output. */
export function sameRun(a: RunReport, b: RunReport): boolean {
  return a.outcome === b.outcome && a.state === b.state && a.console.join('\n') === b.console.join('\n');
}
