/**
 * The trap dispatcher (VM/370's DMKPRG / DMKPRV; RVirt's `strap()`): one exhaustive switch over
 * what stopped the real CPU while a guest ran. Every arm says what CP does and why:
 *
 * - a privileged instruction in *virtual supervisor* state: the guest is entitled to it, so CP
 *   emulates it against the virtual state and resumes after it (Popek & Goldberg: every
 *   sensitive instruction is privileged, so every sensitive instruction arrives here);
 * - a privileged instruction in *virtual problem* state: the bare machine would take a
 *   privileged-operation exception, so CP reflects exactly that into the guest;
 * - an SVC or any other program interruption: reflected, as the bare machine would deliver it;
 * - a translation miss: the shadow table lacks the page; CP walks the guest's tables and either
 *   fills the shadow entry and retries (invisible to the guest), or reflects the guest's own fault.
 */
import { INT_PROGRAM, INT_SVC, pgmNullifies, PGM_PRIVILEGED, PSW_PROBLEM } from '../cpu/arch.ts';
import type { Interception } from '../cpu/cpu.ts';
import { walkTables } from '../cpu/dat.ts';
import { PROGRAM_SLOT } from '../cpu/assist.ts';
import { H_HALT, H_JUMP, H_NEXT } from '../cpu/handlers.ts';
import { OP } from '../cpu/isa.ts';
import { emulate } from './emulate.ts';
import { reflect } from './reflect.ts';
import { storedInterruption, type TrapCause, type TrapEvent } from './events.ts';
import type { VirtualMachine } from './vm.ts';
import type { ControlProgram } from './cp.ts';

function assertNever(x: never): never { throw new Error(`unhandled interception kind ${String(x)}`); }

/**
 * Handle one interception of `vm`. Returns true when the trapped instruction counts as executed.
 * (Each arm is a call: kept small, this and the privileged-instruction path fit in what V8 inlines
 * into CP's trap entry, cp.ts `intercepted`; a trap costs tens of nanoseconds.)
 */
export function handleTrap(cp: ControlProgram, vm: VirtualMachine, ic: Interception): boolean {
  const ev = cp.tracing ? cp.beginEvent(vm, ic) : null;
  switch (ic.kind) { // the commonest first (a privileged instruction, a program interruption)
    case 'program':
      return ic.code === PGM_PRIVILEGED ? privileged(cp, vm, ic, ev) : programInterruption(cp, vm, ic, ev);
    case 'svc':
      return supervisorCall(cp, vm, ic, ev);
    case 'translation':
      return translationMiss(cp, vm, ic, ev);
    default:
      return assertNever(ic.kind);
  }
}

/** A program interruption other than privileged operation: the guest's own, reflected. */
function programInterruption(cp: CP, vm: VirtualMachine, ic: Interception, ev: TrapEvent | null): boolean {
  vm.counters.entries.program++;
  vm.assistCounters.passed[PROGRAM_SLOT]++;
  return finishReflect(cp, vm, ev, 'program', INT_PROGRAM, ic.code, pgmNullifies(ic.code) ? ic.address : (ic.address + 4) & 0xffffff,
    ic.failAddress);
}

/** SUPERVISOR CALL: reflected. */
function supervisorCall(cp: CP, vm: VirtualMachine, ic: Interception, ev: TrapEvent | null): boolean {
  vm.counters.entries.svc++;
  vm.assistCounters.passed[OP.SVC]++;
  return finishReflect(cp, vm, ev, 'svc', INT_SVC, ic.code, (ic.address + 4) & 0xffffff, -1);
}

/** A privileged instruction trapped because the guest runs in real problem state. */
function privileged(cp: CP, vm: VirtualMachine, ic: Interception, ev: TrapEvent | null): boolean {
  const w = ic.word;
  vm.assistCounters.passed[w >>> 24]++;
  if (vm.flags & PSW_PROBLEM) return privilegedInProblemState(cp, vm, ic, ev);
  const isDiag = w >>> 24 === DIAG, entries = vm.counters.entries;
  if (isDiag) entries.diagnose++; else entries.privileged++;
  const r = emulate(cp, vm, w, ev ? ev.details : null);
  if (r !== H_NEXT && r !== H_JUMP && r !== H_HALT) return emulationFailed(cp, vm, ic, ev, isDiag, r);
  if (r !== H_JUMP) vm.ia = (ic.address + 4) & 0xffffff;
  vm.intStreak = 0; // an instruction completed (as the real CPU resets its streak)
  vm.counters.emulated++;
  if (ev) emulatedEvent(cp, vm, ev, isDiag);
  return true;
}

/** The event of an emulated instruction. A halt the DIAGNOSE caused (test result) is emitted by cp.endEvent after it. */
function emulatedEvent(cp: CP, vm: VirtualMachine, ev: TrapEvent, isDiag: boolean): void {
  if (isDiag) cp.endEvent(vm, ev, 'diagnose', Number(ev.details.function ?? 0), 'hypercall');
  else cp.endEvent(vm, ev, 'privileged', 0, 'emulated');
}
const DIAG = OP.DIAG;

/** In virtual problem state the bare machine would take a privileged-operation exception: CP reflects exactly that. */
function privilegedInProblemState(cp: CP, vm: VirtualMachine, ic: Interception, ev: TrapEvent | null): boolean {
  vm.counters.entries.program++;
  return finishReflect(cp, vm, ev, 'privileged-problem', INT_PROGRAM, PGM_PRIVILEGED, (ic.address + 4) & 0xffffff, -1);
}

/** The emulation itself raised a program exception `r` (bad operand): reflect it as the bare machine would. */
function emulationFailed(cp: CP, vm: VirtualMachine, ic: Interception, ev: TrapEvent | null, isDiag: boolean, r: number): boolean {
  vm.counters.entries.program++;
  return finishReflect(cp, vm, ev, isDiag ? 'diagnose' : 'privileged', INT_PROGRAM, r, pgmNullifies(r) ? ic.address : (ic.address + 4) & 0xffffff,
    vm.xaddr);
}
type CP = ControlProgram;

/**
 * A shadow-table miss: OSTEP's TLB-miss flow with CP in the middle. CP walks the guest's own
 * tables (in guest storage, from the virtual CR1): a valid entry is copied into the shadow table
 * and the instruction is retried with no guest-visible effect; an invalid one is the guest's page
 * fault, reflected to the guest's program new PSW with the failing address.
 */
function translationMiss(cp: CP, vm: VirtualMachine, ic: Interception, ev: TrapEvent | null): boolean {
  vm.counters.entries.translation++;
  const va = ic.failAddress;
  const e = walkTables(vm.mem, vm.cr[1], va);
  if (e >= 0) {
    vm.ownShadow()[va >>> 12] = e;
    vm.counters.shadowFills++;
    if (ev) {
      ev.details.virtual = va; ev.details.frame = e & 0xfff000; ev.details.protect = (e & 2) !== 0;
      cp.endEvent(vm, ev, 'translation', 0, 'shadow-fill');
    }
    return false;
  }
  const code = -e;
  if (ev) ev.details.virtual = va; // the address the walk failed for, on this path too
  return finishReflect(cp, vm, ev, 'translation', INT_PROGRAM, code, pgmNullifies(code) ? ic.address : (ic.address + 4) & 0xffffff, va);
}

/**
 * Reflect and record; stop the VM when the reflection cannot be made or loops. The event names
 * the old PSW and failing address as stored in the guest's low storage (PoO 5.1, 5.3.3), read back
 * from there: what the guest's handler sees, and what the bare machine's event says.
 */
function finishReflect(cp: CP, vm: VirtualMachine, ev: TrapEvent | null, cause: TrapCause, cls: number, code: number,
  ia: number, failAddr: number): boolean {
  const why = reflect(vm, cls, code, ia, failAddr);
  if (ev) {
    storedInterruption(vm.mem, cls, code, ev);
    cp.endEvent(vm, ev, cause, code, 'reflected');
  }
  if (why) cp.stopVm(vm, why.reason, 0, why.detail, cause, code);
  return true;
}

