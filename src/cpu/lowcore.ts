/**
 * The interruption mechanism of PoO 5.1: store the current PSW as the class's old PSW, store the
 * interruption code, load the class's new PSW. This is the whole mechanism; a guest OS installs its
 * handlers by writing new PSWs. The real CPU delivers with these functions on real storage, and
 * CP's `reflect` uses the very same functions on a guest's storage.
 */
import { ADDRESS_MASK, CODE_LOC, INT_CLASS_NAMES, INT_PROGRAM, INTERRUPTION_LOOP_LIMIT, LC_TRANS_ADDR, NEW_PSW, OLD_PSW, PSW_CC, PSW_CC_SHIFT, PSW_RESERVED } from './arch.ts';
import { hex } from './hex.ts';

/** A PSW held as its two words; the condition code lives inside `flags` (bits 18-19). */
export interface Psw { flags: number; ia: number }

/** Store a PSW at a doubleword of storage (caller guarantees it is in bounds). */
export function storePsw(mem: Int32Array, addr: number, flags: number, cc: number, ia: number): void {
  mem[addr >>> 2] = (flags & ~PSW_CC) | ((cc & 3) << PSW_CC_SHIFT);
  mem[(addr >>> 2) + 1] = ia & ADDRESS_MASK;
}

/** True when a PSW's format is valid (PoO 2.2): reserved bits zero, word-aligned 24-bit address. */
export function pswValid(flags: number, ia: number): boolean {
  return (flags & PSW_RESERVED) === 0 && (ia & ~ADDRESS_MASK) === 0 && (ia & 3) === 0;
}

/**
 * Perform an interruption (PoO 5.1) on `mem`: old PSW (flags, cc, ia) and code stored, new PSW
 * loaded into `out`. `failAddr` >= 0 is stored as the translation-exception address. Returns false
 * when the new PSW is invalid: the machine enters the check-stop state rather than loop forever.
 */
export function interrupt(mem: Int32Array, cls: number, code: number, flags: number, cc: number, ia: number,
  failAddr: number, out: Psw): boolean {
  storePsw(mem, OLD_PSW[cls], flags, cc, ia);
  const loc = CODE_LOC[cls];
  if (loc >= 0) mem[loc >>> 2] = code;
  if (cls === INT_PROGRAM && failAddr >= 0) mem[LC_TRANS_ADDR >>> 2] = failAddr;
  const n = NEW_PSW[cls] >>> 2;
  out.flags = mem[n];
  out.ia = mem[n + 1];
  return pswValid(out.flags, out.ia);
}

/**
 * The causes that stop the machine (PoO 5.9, 5.2.1, Appendix A): an invalid IPL PSW, an invalid
 * new PSW met by an interruption, an interruption loop. One name and one sentence per cause, used
 * by the bare machine and by CP, so the two report the same reason in the same words.
 */
export type CheckstopCause = 'ipl-psw' | 'new-psw' | 'interruption-loop';


/** The one-line reason for `cause`; `cls` is the interruption class, (flags, ia) the offending PSW. */
export function checkstopMessage(cause: CheckstopCause, cls: number, flags: number, ia: number): string {
  switch (cause) {
    case 'ipl-psw': return `check-stop: the IPL PSW at X'000' is invalid (${hex(flags)} ${hex(ia)})`;
    case 'new-psw': return `check-stop: the ${INT_CLASS_NAMES[cls]} new PSW at X'${hex(NEW_PSW[cls], 3)}' is invalid (${hex(flags)} ${hex(ia)})`;
    case 'interruption-loop': return `interruption loop: ${INTERRUPTION_LOOP_LIMIT + 1} interruptions in a row with no instruction completed`;
  }
}
