/**
 * Complete machine snapshots of a Session: storage, the CPU (or the VM and CP's bookkeeping),
 * clocks, TLB or shadow table, counters, the channel and its devices (console input queue and
 * transcript included), and the session's outcome. Restoring one makes the machine
 * indistinguishable from the moment it was taken, which is what reverse execution needs:
 * execution is deterministic, so snapshot + replay reproduces any earlier instant exactly.
 *
 * Storage is kept as 4 KiB pages; a page equal to the same page of the previous snapshot is
 * shared, not copied, so a series of snapshots of a program that touches little storage costs
 * little memory.
 */
import type { ClocksState } from '../cpu/clocks.ts';
import type { CPU } from '../cpu/cpu.ts';
import type { Session, Outcome } from '../session/session.ts';
import { isSharedShadow, type CpEntries, type VmState, type VmStop } from '../monitor/vm.ts';

/** Words per storage page (4 KiB). */
const PAGE_WORDS = 1024;

interface CpuPart {
  gpr: Int32Array; cr: Int32Array; flags: number; cc: number; ia: number; now: number;
  clocks: ClocksState; tlb: Int32Array; checkstop: boolean; haltCode: number;
  checkstopReason: CPU['checkstopReason']; checkstopDetail: string; intStreak: number;
  instructions: number; interruptions: Float64Array; tlbMisses: number;
}

interface VmPart {
  gpr: Int32Array; cr: Int32Array; flags: number; cc: number; ia: number; now: number;
  clocks: ClocksState; shadow: Int32Array; state: VmState; stop: VmStop | null; intStreak: number;
  counters: { direct: number; handled: number; emulated: number; reflected: number; shadowFills: number; entries: CpEntries };
}

/** One complete machine state. Treat as opaque; `restoreSnapshot` puts it back. */
export interface Snapshot {
  pages: Int32Array[];
  cpu: CpuPart;
  vm: VmPart | null;
  cp: { seq: number; realTime: number } | null;
  channel: unknown;
  interrupts: number;
  outcome: Outcome;
}

/** Take a snapshot; pages equal to `prev`'s are shared with it. */
export function takeSnapshot(s: Session, prev: Snapshot | null = null): Snapshot {
  const mem = s.mem;
  const pages: Int32Array[] = [];
  for (let p = 0, i = 0; i < mem.length; p++, i += PAGE_WORDS) {
    const old = prev?.pages[p];
    if (old && samePage(mem, i, old)) pages.push(old);
    else pages.push(mem.slice(i, i + PAGE_WORDS));
  }
  const c = s.cpu;
  const cpu: CpuPart = {
    gpr: c.gpr.slice(), cr: c.cr.slice(), flags: c.flags, cc: c.cc, ia: c.ia, now: c.now, clocks: c.clocks.save(),
    // The shared empty shadow table (a VM with no table of its own) is never written: kept, not copied.
    tlb: isSharedShadow(c.tlb) ? c.tlb : c.tlb.slice(), checkstop: c.checkstop, haltCode: c.haltCode, instructions: c.counters.instructions,
    checkstopReason: c.checkstopReason, checkstopDetail: c.checkstopDetail, intStreak: c.intStreak,
    interruptions: c.counters.interruptions.slice(), tlbMisses: c.counters.tlbMisses,
  };
  let vm: VmPart | null = null;
  if (s.vm) {
    const v = s.vm, k = v.counters;
    vm = {
      gpr: v.gpr.slice(), cr: v.cr.slice(), flags: v.flags, cc: v.cc, ia: v.ia, now: v.now, clocks: v.clocks.save(),
      shadow: v.hasShadow ? v.shadow.slice() : v.shadow, state: v.state, stop: v.stop ? { ...v.stop } : null, intStreak: v.intStreak,
      counters: { direct: k.direct, handled: k.handled, emulated: k.emulated, reflected: k.reflected, shadowFills: k.shadowFills, entries: { ...k.entries } },
    };
  }
  return {
    pages, cpu, vm,
    cp: s.cp ? { seq: s.cp.seq, realTime: s.cp.realTime } : null,
    channel: structuredClone(s.devices.channel.save()),
    interrupts: s.interrupts.length,
    outcome: { ...s.outcome },
  };
}

function samePage(mem: Int32Array, at: number, page: Int32Array): boolean {
  for (let j = 0; j < page.length; j++) if (mem[at + j] !== page[j]) return false;
  return true;
}

/** Put a snapshot back into the same session it was taken from. */
export function restoreSnapshot(s: Session, snap: Snapshot): void {
  for (let p = 0; p < snap.pages.length; p++) s.mem.set(snap.pages[p], p * PAGE_WORDS);
  const c = s.cpu, k = snap.cpu;
  // Under CP the CPU's register and TLB arrays are the VM's while it runs: restore the CPU's
  // copy first, then the VM's, so the VM's values win where the arrays are one and the same.
  c.gpr.set(k.gpr); c.cr.set(k.cr); c.flags = k.flags; c.cc = k.cc; c.ia = k.ia; c.now = k.now;
  // The CPU's TLB may be the shared empty shadow table of a VM with none of its own: never written.
  c.clocks.restore(k.clocks); if (!isSharedShadow(c.tlb)) c.tlb.set(k.tlb); c.checkstop = k.checkstop; c.haltCode = k.haltCode;
  c.checkstopReason = k.checkstopReason; c.checkstopDetail = k.checkstopDetail; c.intStreak = k.intStreak;
  c.counters.instructions = k.instructions; c.counters.interruptions.set(k.interruptions); c.counters.tlbMisses = k.tlbMisses;
  if (s.vm && snap.vm) {
    const v = s.vm, m = snap.vm;
    v.gpr.set(m.gpr); v.cr.set(m.cr); v.flags = m.flags; v.cc = m.cc; v.ia = m.ia; v.now = m.now;
    v.clocks.restore(m.clocks); v.restoreShadow(m.shadow); v.state = m.state; v.stop = m.stop ? { ...m.stop } : null;
    v.intStreak = m.intStreak;
    Object.assign(v.counters, { ...m.counters, entries: { ...m.counters.entries } });
  }
  if (s.cp && snap.cp) { s.cp.seq = snap.cp.seq; s.cp.realTime = snap.cp.realTime; }
  s.devices.channel.restore(structuredClone(snap.channel));
  s.interrupts.length = Math.min(s.interrupts.length, snap.interrupts);
  s.outcome = { ...snap.outcome };
}

