/**
 * Instruction-set profiles (PoO 4.3.1): the same machine with a different answer to "what does a
 * privileged instruction do in problem state?". The default profile is the architecture: every
 * sensitive instruction is privileged (it traps in problem state), so Popek & Goldberg's first
 * theorem holds and CP can be built by trap-and-emulate. The leaky profiles are thought
 * experiments modelled on real history, where some sensitive instructions do *not* trap:
 *
 * - `leaky-read`: reading control state is unprivileged, as x86's SGDT / SIDT / SMSW read the
 *   descriptor-table registers and CR0 from ring 3. STORE CONTROL and LOAD REAL ADDRESS run in
 *   problem state against the REAL machine's control registers and tables: under CP those are
 *   CP's, not the guest's.
 * - `leaky-popf`: a mode change silently does less in problem state, as x86's POPF ignores the
 *   interrupt flag in ring 3 instead of trapping (and PUSHF reveals the real one). SSM, STNSM and
 *   STOSM do not trap in problem state: they change only the unprivileged bits of the system mask
 *   (there are none) and STNSM / STOSM still store the real mask.
 *
 * A profile is data: for each leaky mnemonic, what it does in problem state. The CPU's privilege
 * check (cpu.ts) consults `CPU.leaky`, a flat opcode-indexed handler table built from it here; a
 * null table is the architecture. Nothing else in the emulator knows about profiles.
 */
import { PSW_SYSTEM_MASK } from './arch.ts';
import type { CPU } from './cpu.ts';
import { failed, H_NEXT, xlate } from './access.ts';
import { eaRS } from './general.ts';
import { HANDLERS, type Handler } from './handlers.ts';
import { BY_MNEMONIC, OP, type Mnemonic } from './isa.ts';

/**
 * What a leaky instruction does in problem state instead of trapping:
 * - 'direct': exactly what it does in supervisor state, against the real machine's state;
 * - 'quiet-mask': the system-mask change is ignored (PoO 4.10.6-7 bits 0-7 are all privileged),
 *   the operand is still accessed, and STNSM / STOSM still store the real system mask.
 */
export type LeakKind = 'direct' | 'quiet-mask';

/** One profile: its name, a line of history, and the leaky instructions with what each does. */
export interface Profile {
  readonly name: string;
  readonly doc: string;
  readonly leaks: Readonly<Partial<Record<Mnemonic, LeakKind>>>;
}

/** The profiles, by name. `default` is the architecture (no leaks). */
export const PROFILES: Readonly<Record<string, Profile>> = {
  default: { name: 'default', doc: 'the architecture: every sensitive instruction is privileged (PoO 4.3)', leaks: {} },
  'leaky-read': {
    name: 'leaky-read',
    doc: "reading control state is unprivileged (x86's SGDT, SIDT, SMSW): STCTL and LRA read the real machine's control registers and tables in problem state",
    leaks: { STCTL: 'direct', LRA: 'direct' },
  },
  'leaky-popf': {
    name: 'leaky-popf',
    doc: "a mode change does less in problem state instead of trapping (x86's POPF ignores IF, PUSHF shows the real one):"
      + ' SSM, STNSM, STOSM leave the system mask alone',
    leaks: { SSM: 'quiet-mask', STNSM: 'quiet-mask', STOSM: 'quiet-mask' },
  },
};

/** The profile names, for `--profile` help and errors. */
export const PROFILE_NAMES: readonly string[] = Object.keys(PROFILES);

/** A profile by name, or an error naming the choices. */
export function profileByName(name: string): Profile | { error: string } {
  const p = Object.hasOwn(PROFILES, name) ? PROFILES[name] : undefined;
  return p ?? { error: `unknown profile '${name}' (choose one of ${PROFILE_NAMES.join(', ')})` };
}

/** A one-off profile that makes one privileged instruction run directly in problem state (`tinycp theorem --demote`). */
export function demoteProfile(mnemonic: Mnemonic): Profile {
  return { name: `demote-${mnemonic}`, doc: `${mnemonic} runs directly in problem state`, leaks: { [mnemonic]: 'direct' } };
}

/** The leaky mnemonics of a profile, in table order. */
export function leakyMnemonics(p: Profile): Mnemonic[] {
  return (Object.keys(p.leaks) as Mnemonic[]).sort((a, b) => BY_MNEMONIC.get(a)!.opcode - BY_MNEMONIC.get(b)!.opcode);
}

/**
 * SSM / STNSM / STOSM in problem state under 'quiet-mask' (x86's POPF in ring 3): the operand is
 * accessed as usual, so access exceptions still happen; STNSM and STOSM store the real system
 * mask (PUSHF); the mask itself is left unchanged, and nothing traps.
 */
function quietMask(cpu: CPU, w: number): number {
  const ssm = w >>> 24 === OP.SSM;
  const a = xlate(cpu, eaRS(cpu, w), !ssm); if (a < 0) return failed(cpu);
  if (ssm) return H_NEXT;
  const i = a >>> 2, sh = 24 - ((a & 3) << 3);
  cpu.mem[i] = (cpu.mem[i] & ~(0xff << sh)) | (((cpu.flags & PSW_SYSTEM_MASK) >>> 24) << sh);
  return H_NEXT;
}

/**
 * The CPU's table for a profile: opcode -> what that privileged instruction does in problem state
 * (undefined: it traps, as the architecture says). Null for a profile with no leaks.
 */
export function leakTable(p: Profile, counts?: Float64Array): (Handler | undefined)[] | null {
  const ms = leakyMnemonics(p);
  if (ms.length === 0) return null;
  const t: (Handler | undefined)[] = new Array(256).fill(undefined);
  for (const m of ms) {
    const op = BY_MNEMONIC.get(m)!.opcode;
    const h = p.leaks[m] === 'quiet-mask' ? quietMask : HANDLERS[op]!;
    // Counting is off the hot loop: a leaky instruction always leaves it for the slow path.
    t[op] = counts ? (cpu, w) => { counts[op]++; return h(cpu, w); } : h;
  }
  return t;
}

/**
 * Give `cpu` the profile's problem-state behaviour. With `counts` (256 entries, by opcode), each
 * execution of a leaky instruction in problem state is counted: under CP, every one of them ran
 * directly on the real CPU, unseen by CP (`tinycp theorem` bases its verdict on this).
 */
export function applyProfile(cpu: CPU, p: Profile, counts?: Float64Array): void { cpu.leaky = leakTable(p, counts); }
