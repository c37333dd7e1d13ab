/**
 * What a logged-on VM costs CP before it needs it (issue 11, `bytes_per_idle_vm`): no shadow
 * table of its own until its guest's first translation (the shared empty one meanwhile, never
 * written), assist counters made on first use and 32-bit until they widen, exact throughout. And
 * that nothing of this changes what a guest sees: a shadow table allocated mid-run is the real
 * CPU's TLB at once, snapshots and relocation carry it, the shared table stays empty.
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OP } from '../src/cpu/isa.ts';
import { AssistCounters, PROGRAM_SLOT } from '../src/cpu/assist.ts';
import { PSW_DAT, STE_INVALID, TLB_ENTRIES, TLB_VALID } from '../src/cpu/arch.ts';
import { makeStorage } from '../src/cpu/storage.ts';
import { isSharedShadow, VirtualMachine, type ShadowHost } from '../src/monitor/vm.ts';
import { buildFile } from '../src/host/build.ts';
import { Session } from '../src/session/session.ts';
import { restoreSnapshot, takeSnapshot } from '../src/debug/snapshot.ts';
import { adoptVm, captureVm, releaseVm } from '../src/lab/relocate.ts';
import { bootSystem, DEMO, workDir } from './system-helpers.ts';

const ROOT = resolve(import.meta.dirname, '..');
const MTOS = join(ROOT, 'programs/mtos/mtos.s');
const TLBMISS = join(ROOT, 'programs/tlbmiss.s');

/** A guest's view of the shared empty table: all entries invalid. */
const empty = (t: Int32Array) => t.every((e) => e === 0);

describe('shadow tables are allocated at the first translation', () => {
  it('idle CMS users have none, DAT guests have their own, and the shared one stays empty', () => {
    const dir = workDir();
    const sys = bootSystem(dir, [
      `USER CMS1 X 64K AUTOLOG\nIPL ${join(DEMO, 'minicms.s')}\n`,
      `USER MTOS X 256K AUTOLOG\nIPL ${MTOS}\n`,
      `USER CMS2 X 64K AUTOLOG\nIPL ${join(DEMO, 'minicms.s')}\n`,
      `USER TLB X 256K AUTOLOG\nIPL ${TLBMISS}\n`,
    ].join(''), { quantum: 777 });
    expect(sys.runUntilQuiet(50_000_000)).toBe('idle');
    const vm = (n: string) => sys.users.get(n)!.vm;
    for (const n of ['CMS1', 'CMS2']) {
      expect(vm(n).state, n).toBe('idle');
      expect(vm(n).hasShadow, n).toBe(false);
      expect(isSharedShadow(vm(n).shadow), n).toBe(true);
      // What CP holds beyond the storage: registers and the assist counters, no 16 KiB table.
      expect(vm(n).overheadBytes, n).toBeLessThan(4096);
    }
    expect(vm('CMS1').shadow).toBe(vm('CMS2').shadow);
    expect(empty(vm('CMS1').shadow)).toBe(true);
    for (const n of ['MTOS', 'TLB']) {
      expect(vm(n).hasShadow, n).toBe(true);
      expect(vm(n).counters.shadowFills, n).toBeGreaterThan(0);
      expect(vm(n).overheadBytes, n).toBeGreaterThan(TLB_ENTRIES * 4);
    }
    expect(vm('MTOS').shadow).not.toBe(vm('TLB').shadow);
    expect(sys.mux.linesOf('MTOS').some((l) => l.includes('all tasks ended'))).toBe(true);
    sys.shutdown();
  });

  it('a translation made for a running VM allocates its table and points the real CPU\'s TLB at it', () => {
    const mem = makeStorage(64 * 1024);
    // Segment table at X'1000' (one segment) -> page table at X'2000': page 3 -> frame 5.
    mem[0x1000 >>> 2] = 0x2000;
    for (let p = 0; p < 256; p++) mem[(0x2000 >>> 2) + p] = 0x400; // invalid
    mem[(0x2000 >>> 2) + 3] = 0x5000;
    const vm = new VirtualMachine('T', mem);
    const other = new VirtualMachine('U', makeStorage(64 * 1024));
    vm.cr[1] = 0x1000; vm.flags |= PSW_DAT;
    vm.purgeTlb(); // nothing to purge: still no table
    expect(vm.hasShadow).toBe(false);
    const cpu = { tlb: vm.shadow }; // the real CPU, running `vm`
    const host: ShadowHost = { shadowAllocated: (v) => { if (v === vm) cpu.tlb = v.shadow; } };
    vm.host = host; other.host = host;
    expect(vm.translate(0x3010, false)).toBe(0x5010);
    expect(vm.hasShadow).toBe(true);
    expect(cpu.tlb).toBe(vm.shadow);
    expect(vm.shadow[3] & TLB_VALID).toBe(TLB_VALID);
    // A VM the CPU is not running never moves the CPU's TLB.
    other.cr[1] = 0x1000; other.flags |= PSW_DAT;
    other.mem.set(mem.subarray(0, 0x3000 >>> 2));
    expect(other.translate(0x3010, false)).toBe(0x5010);
    expect(cpu.tlb).toBe(vm.shadow);
    expect(other.shadow).not.toBe(vm.shadow);
    expect(isSharedShadow(other.shadow)).toBe(false);
    // A faulting walk fills nothing and allocates nothing.
    const third = new VirtualMachine('V', makeStorage(64 * 1024));
    third.cr[1] = 0x1000; third.flags |= PSW_DAT; third.mem[0x1000 >>> 2] = STE_INVALID;
    expect(third.translate(0x3010, false)).toBe(-1);
    expect(third.hasShadow).toBe(false);
  });

  it('snapshots put the table back: before the first translation (none) and after (its entries)', () => {
    const b = buildFile(TLBMISS);
    if (!b.ok) throw new Error(b.errors.join('\n'));
    const s = new Session(b.image, { mode: 'vm', console: () => {} });
    const vm = s.vm!;
    const start = takeSnapshot(s);
    expect(vm.hasShadow).toBe(false);
    const first = s.run(5_000_000);
    expect(vm.hasShadow).toBe(true);
    const entries = vm.shadow.slice(), table = vm.shadow;
    expect(empty(entries)).toBe(false);
    const end = takeSnapshot(s);
    restoreSnapshot(s, start);
    expect(vm.shadow).toBe(table); // emptied in place: the real CPU may hold it as its TLB
    expect(empty(vm.shadow)).toBe(true);
    const again = s.run(5_000_000);
    expect(again).toEqual(first);
    expect(vm.shadow).toEqual(entries);
    restoreSnapshot(s, end);
    expect(vm.shadow).toEqual(entries);
    // A fresh session restored from a table-less snapshot stays table-less, and the shared table empty.
    const t = new Session(b.image, { mode: 'vm', console: () => {} });
    restoreSnapshot(t, takeSnapshot(t));
    expect(t.vm!.hasShadow).toBe(false);
    expect(empty(t.vm!.shadow)).toBe(true);
  });

  it('relocation carries the table (or its absence) and the guest goes on as if it never moved', () => {
    const dir = workDir();
    const src = `USER MTOS X 256K AUTOLOG\nIPL ${MTOS}\nUSER CMS X 64K AUTOLOG\nIPL ${join(DEMO, 'minicms.s')}\n`;
    const still = bootSystem(join(dir), src, { quantum: 5_000 });
    expect(still.runUntilQuiet(50_000_000)).toBe('idle');
    const home = bootSystem(workDir(), src, { quantum: 5_000 });
    home.run(25_000);
    const m = home.users.get('MTOS')!, c = home.users.get('CMS')!;
    expect(m.vm.hasShadow).toBe(true);
    const entries = m.vm.shadow.slice();
    const away = bootSystem(workDir(), src.replace(/ AUTOLOG/g, ''), { quantum: 5_000 });
    for (const u of [m, c]) {
      const img = structuredClone(captureVm(u));
      expect(adoptVm(away, img)).toBeNull();
      releaseVm(home, u, 'away');
    }
    expect(away.users.get('MTOS')!.vm.shadow).toEqual(entries);
    expect(away.users.get('CMS')!.vm.hasShadow).toBe(false);
    expect(away.runUntilQuiet(50_000_000)).toBe('idle');
    const guest = (sys: typeof still, u: string) => sys.mux.linesOf(u).filter((l) => l.startsWith('MTOS:'));
    expect(guest(home, 'MTOS').concat(guest(away, 'MTOS'))).toEqual(guest(still, 'MTOS'));
    expect(guest(still, 'MTOS').length).toBeGreaterThan(5);
    for (const sys of [still, home, away]) sys.shutdown();
  });
});

describe('assist counters', () => {
  it('are made on first use, 32-bit until they widen, and exact across the widening', () => {
    const a = new AssistCounters(40);
    expect(a.total).toEqual({ completed: 0, passed: 0 });
    expect(a.hitRatio).toBe(1);
    expect(a.byInstruction()).toEqual({});
    expect(a.byteLength).toBe(0); // reading made nothing
    for (let i = 0; i < 30; i++) a.completed[OP.LPSW]++;
    expect(a.completed).toBeInstanceOf(Uint32Array);
    expect(a.byteLength).toBe(2 * 4 * (PROGRAM_SLOT + 1));
    for (let i = 0; i < 25; i++) a.passed[i % 2 === 0 ? OP.SIO : PROGRAM_SLOT]++;
    expect(a.completed).toBeInstanceOf(Float64Array);
    expect(a.byteLength).toBe(2 * 8 * (PROGRAM_SLOT + 1));
    for (let i = 0; i < 5; i++) a.completed[OP.SVC]++;
    expect(a.total).toEqual({ completed: 35, passed: 25 });
    expect(a.byInstruction()).toEqual({
      LPSW: { completed: 30, passed: 0 }, SIO: { completed: 0, passed: 13 }, SVC: { completed: 5, passed: 0 },
      'program interruption': { completed: 0, passed: 12 },
    });
    expect(a.hitRatio).toBeCloseTo(35 / 60, 12);
  });
});
