/**
 * Every instruction's documented condition-code rule (the ISA table's `cc` column, which is also
 * PoO 4.11) against what execution does. Each instruction runs alone from several machine states
 * (register and storage contents), each with every initial condition code 0-3, bare and under CP:
 * - rule `unchanged`: the condition code after the instruction is the initial one;
 * - any other rule: the condition code is set, so it does not depend on the initial one, and it is
 *   one the rule allows (`psw`: the new PSW's; `setMask`: bits 2-3 of R1; `clock`: 0);
 * - an instruction ended by an interruption (suppressed or nullified, or SVC) leaves the initial
 *   condition code in the old PSW, whatever its rule.
 */
import { describe, expect, it } from 'vitest';
import { DIAG_IDENTIFY, INT_CLASS_NAMES, OLD_PSW, PSW_CC_SHIFT } from '../src/cpu/arch.ts';
import { ISA, type CcRule, type InstrDef } from '../src/cpu/isa.ts';
import { Session, type Mode } from '../src/session/session.ts';

const CODE = 0x1000, DATA = 0x800;
/** The condition codes each rule may produce (PoO 3.4, 4.11). */
const ALLOWED: Record<Exclude<CcRule, 'unchanged'>, number[]> = {
  arith: [0, 1, 2, 3], logicalAdd: [0, 1, 2, 3], logicalSub: [1, 2, 3], compare: [0, 1, 2], logical: [0, 1],
  testMask: [0, 1, 3], swap: [0, 1], testSet: [0, 1], io: [0, 1, 2, 3], lra: [0, 1, 2], diag: [0, 1, 2, 3],
  setMask: [0, 1, 2, 3], psw: [0, 1, 2, 3], clock: [0],
};

/** One machine state: registers and the data doublewords at DATA (a PSW for LPSW, bytes for SSM, TS ...). */
const STATES: { gpr: number[]; data: number[] }[] = [
  { gpr: Array.from({ length: 16 }, (_, i) => i * 0x100), data: [0x00002000, 0x2000, 5, 7] },
  { gpr: Array.from({ length: 16 }, (_, i) => (i & 1 ? -1 : 0x7fffffff) | 0), data: [0x00001000, 0x2000, -1, 0x80000000 | 0] },
  { gpr: new Array(16).fill(0), data: [0, 0x2000, 0, 0] },
  { gpr: Array.from({ length: 16 }, (_, i) => (0x80000000 | (i * 0x1111)) | 0), data: [0xff00ff00 | 0, 0x12345678, 0x12345678, 0x2000] },
  // A dividend pair R2:R3 = 100 and a divisor R4 = 7 that divide without overflow.
  { gpr: [0, 0, 0, 100, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], data: [0x00003000, 0x2000, 9, 9] },
];

/** The instruction word: R1 = 2, R2 / R3 = 4, storage operands at DATA (DIAGNOSE: IDENTIFY), small immediates. */
function encode(d: InstrDef): number {
  const op = d.opcode << 24;
  switch (d.format) {
    case 'RR': return op | (2 << 20) | (4 << 16);
    case 'RR1': return op | (2 << 20);
    case 'RX': return op | (2 << 20) | DATA;
    case 'RS': return op | (2 << 20) | (4 << 16) | (d.mnemonic === 'DIAG' ? DIAG_IDENTIFY : DATA);
    case 'RSH': return op | (2 << 20) | 3;
    case 'RI': case 'RIU': return op | (2 << 20) | 5;
    case 'RIB': return op | (2 << 20) | 1;
    case 'SI': return op | (0x03 << 16) | DATA; // as a system mask (STOSM): I/O and external, valid
    case 'S': return op | DATA;
    case 'I': return op | 5;
    case 'E': return op;
  }
}

function image(w: number, cc: number, data: number[]): { segments: { address: number; bytes: Uint8Array }[]; entry: number } {
  const bytes = (words: number[]) => new Uint8Array(words.flatMap((v) => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]));
  // IPL PSW: supervisor state, everything disabled, the initial CC; every new PSW a disabled wait.
  const low = [cc << PSW_CC_SHIFT, CODE];
  for (let a = 8; a < 0x80; a += 8) low.push(0x00020000, 0xbad0);
  return { entry: CODE, segments: [{ address: 0, bytes: bytes(low) }, { address: DATA, bytes: bytes(data) }, { address: CODE, bytes: bytes([w, 0]) }] };
}

/** Run the instruction once; the condition code it leaves, and whether an interruption ended it. */
function runOnce(d: InstrDef, state: number, cc: number, mode: Mode): { cc: number; interrupted: boolean } {
  const st = STATES[state];
  const s = new Session(image(encode(d), cc, st.data), { mode, storage: 64 * 1024, recordInterrupts: true });
  s.gpr.set(st.gpr);
  s.run(1);
  const i = s.interrupts[0];
  if (i) return { cc: (s.mem[OLD_PSW[(INT_CLASS_NAMES as readonly string[]).indexOf(i.cls)] >>> 2] >>> PSW_CC_SHIFT) & 3, interrupted: true };
  return { cc: (s.guestState().psw[0] >>> PSW_CC_SHIFT) & 3, interrupted: false };
}

describe('each instruction sets the condition code as its documented rule says', () => {
  for (const mode of ['bare', 'vm'] as const) {
    for (const d of ISA) {
      it(`${mode}: ${d.mnemonic} (${d.cc})`, () => {
        let completed = 0;
        for (let state = 0; state < STATES.length; state++) {
          const results = [0, 1, 2, 3].map((cc) => runOnce(d, state, cc, mode));
          for (let cc = 0; cc < 4; cc++) {
            const r = results[cc], where = `state ${state}, initial CC ${cc}`;
            if (r.interrupted || d.cc === 'unchanged') { expect(r.cc, `${where}: CC must be unchanged`).toBe(cc); continue; }
            completed++;
            expect(ALLOWED[d.cc], `${where}: CC ${r.cc} is not one rule '${d.cc}' allows`).toContain(r.cc);
            expect(r.cc, `${where}: a set CC must not depend on the previous one`).toBe(results[0].cc);
            if (d.cc === 'psw') expect(r.cc, where).toBe((STATES[state].data[0] >>> PSW_CC_SHIFT) & 3);
            if (d.cc === 'setMask') expect(r.cc, where).toBe((STATES[state].gpr[2] >>> 28) & 3);
          }
          if (d.cc === 'unchanged' && results.some((r) => !r.interrupted)) completed++;
        }
        // Each instruction must really have run to completion somewhere (SVC always interrupts).
        if (d.mnemonic !== 'SVC') expect(completed, 'no state let the instruction complete').toBeGreaterThan(0);
      });
    }
  }
});
