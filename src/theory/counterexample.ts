/**
 * Counter-examples to theorem 1 (PoO 4.3.1): for each sensitive instruction a profile leaves
 * unprivileged, a small guest program, generated from a template for that instruction, whose
 * supervisor code depends on the instruction doing its job. Bare on the leaky machine it ends
 * with code 0; under CP on the same machine the instruction runs directly in real problem state,
 * acts on (or reads) the real machine's state instead of the virtual machine's, and the program
 * ends otherwise. The two machines are then stepped in lockstep, one guest instruction at a time,
 * and the first instruction after which the guest-visible states differ is narrated, with CP's
 * last trap event before it (the session's event stream, src/monitor/events.ts).
 */
import { BY_MNEMONIC, type Mnemonic } from '../cpu/isa.ts';
import { leakyMnemonics, type Profile } from '../cpu/profiles.ts';
import { disassemble } from '../guest/disasm.ts';
import type { ObjectImage } from '../guest/object.ts';
import type { TrapEvent } from '../monitor/events.ts';
import { buildSource } from '../host/build.ts';
import { Session } from '../session/session.ts';

const HEAD = `        .include "tinycp.inc"
        .org  0
`;

/**
 * One template per instruction that a profile can leave unprivileged: the program's comment says
 * what it checks. Each ends with EXIT (code 0) when the instruction did its job, EXIT 8 otherwise.
 */
const TEMPLATES: Partial<Record<Mnemonic, string>> = {
  STCTL: `* Counter-example for STCTL: load control register 3, read it back.
        .psw  0, start
        .org  0x200
start:  LCTL  3,3,value               ; CR3 = X'12345678' (privileged: CP sets the virtual CR3)
        STCTL 3,3,back                ; read CR3 back: leaky, it reads the REAL CR3 under CP
        L     R2,back
        C     R2,value
        JNE   differ
        EXIT
differ: EXIT  8
        .align 4
value:  .word 0x12345678
back:   .word 0
`,
  LRA: `* Counter-example for LRA: map virtual page 1 to real X'5000', ask where virtual X'1000' is.
        .psw  0, start
        .org  0x200
start:  LCTL  1,1,cr1                 ; CR1: our segment table (privileged: CP sets the virtual CR1)
        LRA   R2,0x1000               ; leaky: under CP it walks the REAL tables, CP's
        JNZ   differ
        C     R2,expect
        JNE   differ
        EXIT
differ: EXIT  8
        .align 4
cr1:    .word segtab                  ; one segment
expect: .word 0x5000
        .align 64
segtab: .word pagetab
        .align 64
pagetab: .word 0x400, 0x5000          ; page 0 invalid, page 1 at real X'5000'
`,
  SSM: `* Counter-example for SSM: enable external interruptions and wait for the CPU timer.
        .psw  0, start
        .org  LC_EXTERNAL_NEW
        .psw  0, tick
        .org  0x200
start:  SPT   ten                     ; CPU timer: 10 instructions from now
        SSM   extmask                 ; enable external interruptions: leaky, a no-op under CP
        LHI   R2,1000
wait:   BRCT  R2,wait                 ; the timer interrupts this loop ...
        EXIT  8                       ; ... unless the mask never came on
tick:   EXIT
extmask: .byte PSW_EXT >> 24
        .align 8
ten:    .word 0, 10
`,
  STNSM: `* Counter-example for STNSM: store the system mask (external interruptions are enabled).
        .psw  PSW_EXT, start
        .org  0x200
start:  STNSM saved,0xFF              ; store the mask, keep it: leaky, stores the REAL mask under CP
        CLI   saved,PSW_EXT >> 24
        JNE   differ
        EXIT
differ: EXIT  8
saved:  .byte 0
`,
  STOSM: `* Counter-example for STOSM: store the system mask (external interruptions are enabled).
        .psw  PSW_EXT, start
        .org  0x200
start:  STOSM saved,0                 ; store the mask, keep it: leaky, stores the REAL mask under CP
        CLI   saved,PSW_EXT >> 24
        JNE   differ
        EXIT
differ: EXIT  8
saved:  .byte 0
`,
};

/** The counter-example's source for `m`, or null when there is no template for it. */
export function counterexampleSource(m: Mnemonic): string | null {
  const t = TEMPLATES[m];
  return t ? HEAD + t : null;
}

export interface Divergence {
  /** Guest instructions executed before the divergent one. */
  step: number;
  address: number;
  instruction: string;
  /** What differs, bare vs CP, one line each. */
  differences: string[];
  /** CP's last trap event before the divergence, narrated in one line (null: none yet). */
  lastCpEvent: string | null;
  /** Direct (problem-state) executions of the leaky instruction under CP up to here. */
  direct: number;
}

export interface CounterExample {
  mnemonic: string;
  profile: string;
  source: string;
  bare: string;
  cp: string;
  hybrid: string;
  /** Bare and CP ended differently (the counter-example works). */
  diverges: boolean;
  divergence: Divergence | null;
}

const hex = (v: number, n = 8) => (v >>> 0).toString(16).toUpperCase().padStart(n, '0');

/** Step bare and CP in lockstep on `profile`; the first guest instruction after which they differ. */
export function firstDivergence(image: ObjectImage, profile: Profile, maxSteps = 10_000): Divergence | null {
  const counts = new Float64Array(256);
  const storage = 64 * 1024;
  const bare = new Session(image, { mode: 'bare', profile, storage });
  const cp = new Session(image, { mode: 'vm', profile, storage, leakCounts: counts, assist: false });
  let last: TrapEvent | null = null;
  cp.cp!.on((e) => { last = e; });
  for (let step = 0; step < maxSteps; step++) {
    if (bare.outcome.state === 'ended' && cp.outcome.state === 'ended') return null;
    const before = bare.guestState();
    const word = bare.mem[(before.psw[1] & 0xffffff) >>> 2];
    bare.run(1); cp.run(1);
    const a = bare.guestState(), b = cp.guestState();
    const diffs: string[] = [];
    for (let r = 0; r < 16; r++) if (a.gpr[r] !== b.gpr[r]) diffs.push(`R${r}: bare ${hex(a.gpr[r])}, under CP ${hex(b.gpr[r])}`);
    for (let r = 0; r < 16; r++) if (a.cr[r] !== b.cr[r]) diffs.push(`CR${r}: bare ${hex(a.cr[r])}, under CP ${hex(b.cr[r])}`);
    if (a.psw[0] !== b.psw[0] || a.psw[1] !== b.psw[1]) diffs.push(`PSW: bare ${hex(a.psw[0])} ${hex(a.psw[1])}, under CP ${hex(b.psw[0])} ${hex(b.psw[1])}`);
    for (let i = 0; i < bare.mem.length && diffs.length < 8; i++) {
      if (bare.mem[i] !== cp.mem[i]) diffs.push(`storage X'${hex(i * 4, 6)}': bare ${hex(bare.mem[i])}, under CP ${hex(cp.mem[i])}`);
    }
    if (bare.outcome.state !== cp.outcome.state) diffs.push(`bare: ${bare.outcome.message}; under CP: ${cp.outcome.message}`);
    if (diffs.length) {
      const ev = last as TrapEvent | null;
      return {
        step, address: before.psw[1], instruction: disassemble(word, before.psw[1]).text, differences: diffs,
        lastCpEvent: ev ? `#${ev.seq} ${ev.instruction ? ev.instruction.text + ': ' : ''}${ev.cause} ${ev.action}` : null,
        direct: counts.reduce((x, y) => x + y, 0),
      };
    }
  }
  return null;
}

/** The counter-example for one leaky instruction of `profile`. */
export function counterexample(m: Mnemonic, profile: Profile): CounterExample | string {
  const source = counterexampleSource(m);
  if (!source) return `no counter-example template for ${m}`;
  const b = buildSource(source, `counterexample-${m.toLowerCase()}.s`);
  if (!b.ok) throw new Error(`counter-example for ${m} does not assemble: ${b.errors.join('; ')}`);
  const end = (s: Session) => s.run(100_000).message;
  const bare = end(new Session(b.image, { mode: 'bare', profile }));
  const cp = end(new Session(b.image, { mode: 'vm', profile, assist: false }));
  const hybrid = end(new Session(b.image, { mode: 'vm', profile, hybrid: true, assist: false }));
  return { mnemonic: m, profile: profile.name, source, bare, cp, hybrid, diverges: bare !== cp, divergence: firstDivergence(b.image, profile) };
}

/** Counter-examples for every leaky instruction of `profile` (its planted violations). */
export function counterexamples(profile: Profile): (CounterExample | string)[] {
  return leakyMnemonics(profile).map((m) => counterexample(m, profile));
}

/** The narration of one counter-example, for a person. */
export function narrateCounterexample(c: CounterExample): string[] {
  const out = [`${c.mnemonic} on profile ${c.profile}: bare ${c.bare}; under CP ${c.cp}; under CP --hybrid ${c.hybrid}.`];
  const d = c.divergence;
  if (!d) { out.push('  the runs never diverged.'); return out; }
  const def = BY_MNEMONIC.get(c.mnemonic)!;
  out.push(`  first divergence after guest instruction ${d.step + 1}, \`${d.instruction}\` at X'${hex(d.address, 6)}':`);
  for (const x of d.differences) out.push(`    ${x}`);
  out.push(`  ${def.mnemonic} is sensitive (${def.sensitive}) but not privileged on this profile: under CP the guest runs in real`);
  out.push(`  problem state, so it ran directly on the real CPU (${d.direct} direct execution${d.direct === 1 ? '' : 's'}),`
    + ` against the real machine's state, and CP never saw it.`);
  out.push(`  CP's last event before it: ${d.lastCpEvent ?? 'none'}.`);
  return out;
}
