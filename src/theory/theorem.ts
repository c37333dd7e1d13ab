/**
 * Theorem 1 by experiment on one program: bare, under CP, and under CP on a machine whose profile
 * leaves some sensitive instruction unprivileged. The verdict comes from what ran, not only from
 * whether the outputs matched: a leaky instruction that executed directly in problem state under
 * CP acted on the real machine's state, unseen by CP, whatever the outputs say afterwards.
 */
import { BY_MNEMONIC, ISA, type Mnemonic } from '../cpu/isa.ts';
import { demoteProfile, type Profile } from '../cpu/profiles.ts';
import type { ObjectImage } from '../guest/object.ts';
import { runGuest, sameRun, type RunReport } from './experiment.ts';

/**
 * - 'equivalent': the leaky instructions never ran directly under CP, and the runs agree;
 * - 'equivalent-by-luck': they ran directly (CP lost control) yet the outputs happen to agree;
 * - 'diverged': the outputs differ.
 */
export type Verdict = 'equivalent' | 'equivalent-by-luck' | 'diverged';

export interface TheoremReport {
  /** Sensitive but unprivileged in the ISA table (none: the table keeps theorem 1). */
  sensitiveUnprivileged: string[];
  /** bare, under CP, under CP on the broken machine, [under CP hybrid on the broken machine]. */
  runs: RunReport[];
  equivalentAsBuilt: boolean;
  equivalentWhenBroken: boolean;
  verdict: Verdict;
  /** The program bare on the broken machine: what CP on it should reproduce. */
  bareOnProfile: RunReport;
  /** The hybrid run agrees with the bare one (null: not run). */
  hybridEquivalent: boolean | null;
  /** The broken machine's profile. */
  profile: string;
}

export function verdictOf(bare: RunReport, broken: RunReport): Verdict {
  if (!sameRun(bare, broken)) return 'diverged';
  return broken.directTotal > 0 ? 'equivalent-by-luck' : 'equivalent';
}

/** The experiment on a profile (a leaky one, or `demote` for one instruction). */
export function theoremOnProfile(image: ObjectImage, profile: Profile, hybrid = false): TheoremReport {
  const sensitiveUnprivileged = ISA.filter((d) => d.sensitive !== 'innocuous' && !d.privileged).map((d) => d.mnemonic);
  const bare = runGuest(image, { mode: 'bare' });
  const cp = runGuest(image, { mode: 'vm' });
  const broken = runGuest(image, { mode: 'vm', profile, label: `under CP, ${profile.name}` });
  // The reference for the broken machine is the same hardware, bare (its problem-state code leaks too).
  const bareOnProfile = runGuest(image, { mode: 'bare', profile, label: `bare machine, ${profile.name}` });
  const runs = [bare, cp, broken];
  if (hybrid) runs.push(runGuest(image, { mode: 'vm', profile, hybrid: true, label: `under CP --hybrid, ${profile.name}` }));
  return {
    sensitiveUnprivileged, runs, bareOnProfile, profile: profile.name,
    equivalentAsBuilt: sameRun(bare, cp),
    equivalentWhenBroken: sameRun(bareOnProfile, broken),
    verdict: verdictOf(bareOnProfile, broken),
    hybridEquivalent: hybrid ? sameRun(bareOnProfile, runs[3]) : null,
  };
}

/** `tinycp theorem --demote M`: one privileged instruction made to run directly in problem state. */
export function theorem(image: ObjectImage, demote: string): TheoremReport | string {
  const def = BY_MNEMONIC.get(demote.toUpperCase());
  if (!def || !def.privileged) return `${demote} is not a privileged instruction of the ISA table`;
  return theoremOnProfile(image, demoteProfile(def.mnemonic as Mnemonic));
}
