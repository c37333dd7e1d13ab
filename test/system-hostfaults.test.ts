/**
 * Issue 9, section 3: a host I/O error caused on behalf of one VM stops at most that VM, with its
 * reason; CP's own logging failing never ends CP. Faults are injected: a printer file and a log
 * file that cannot be written (each is a folder), a terminal sink that throws, a spool that
 * refuses a deck, a disk store whose write throws ENOSPC.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CMD_SEEK, CMD_SENSE, CMD_WRITE, LC_CAW, LC_CSW, UNIT_CHECK } from '../src/cpu/arch.ts';
import { MemoryBlockStore } from '../src/cpu/io/blockstore.ts';
import { Channel } from '../src/cpu/io/channel.ts';
import { Disk3310 } from '../src/cpu/io/disk.ts';
import { SENSE_EQUIPMENT_CHECK } from '../src/cpu/io/types.ts';
import { Printer1403 } from '../src/cpu/io/unitrecord.ts';
import { loadWord, makeStorage, storeWord } from '../src/cpu/storage.ts';
import { parseDirectory } from '../src/timesharing/directory.ts';
import { TimeSharingSystem } from '../src/timesharing/time-sharing-system.ts';
import { DEMO, workDir } from './system-helpers.ts';

const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/** Prints one line on its printer, says DONE on its console, ends with wait code 0. */
const PRINTS = `        .include "tinycp.inc"
        .org 0
        .psw 0, start
        .org 0x200
start:  LA    R1,ccw
        ST    R1,LC_CAW
        SIO   0x00E
        SAY   done,4
        EXIT
        .align 8
ccw:    .ccw  CMD_WRITE, line, 0, 5
line:   .ascii "HELLO"
        .align 4
done:   .ascii "DONE"
`;

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('host faults stay inside one VM', () => {
  it('a printer file and a log that cannot be written, and a terminal that throws: CP goes on', () => {
    const dir = workDir({ 'prints.s': PRINTS });
    dirs.push(dir);
    const text = `USER A PW 64K AUTOLOG\n  SPOOL 00E PRINTER\n  IPL ${join(dir, 'prints.s')}\nUSER B PW 128K AUTOLOG\n  IPL ${join(DEMO, 'compute.s')}\n`;
    const file = join(dir, 'user.direct');
    writeFileSync(file, text);
    const p = parseDirectory(text, file);
    if (!p.ok) throw new Error(p.errors.join('\n'));
    mkdirSync(join(dir, 'logs', 'A.log'), { recursive: true }); // EISDIR on the first log write
    mkdirSync(join(dir, 'spool', 'A.printer'), { recursive: true }); // EISDIR on the first print line
    let thrown = 0;
    const sys = new TimeSharingSystem(p.directory, {
      spoolDir: join(dir, 'spool'), logDir: join(dir, 'logs'), imageDir: dir, quantum: 10_000,
      out: () => { thrown++; throw enospc(); },
    });
    sys.boot();
    expect(sys.runUntilQuiet(50_000_000)).toBe('idle');
    expect(thrown).toBeGreaterThan(0);
    const a = sys.users.get('A')!;
    expect(a.vm.stop).toMatchObject({ reason: 'disabled-wait', code: 0 }); // the guest went on after the equipment check
    expect(sys.mux.linesOf('A')).toContain('DONE');
    expect(Array.from((a.channel.device(0x00e) as Printer1403).sense())).toEqual([SENSE_EQUIPMENT_CHECK]);
    expect(sys.mux.transcript.filter((l) => l.startsWith('CP: A: LOG WRITE FAILED (EISDIR)'))).toHaveLength(1);
    expect(sys.users.get('B')!.vm.stop).toMatchObject({ reason: 'disabled-wait', code: 0 });
    expect(sys.mux.linesOf('B')).toContain('PASS         8:      6542 PRIMES BELOW 65536');
    sys.shutdown();
  });

  it('a spool that refuses a deck: CLOSE says so, the deck stays open, CP goes on', () => {
    const dir = workDir({ 'prints.s': PRINTS });
    dirs.push(dir);
    const text = `USER A PW 64K AUTOLOG\n  SPOOL 00D PUNCH\n  IPL ${join(dir, 'prints.s')}\n`;
    const p = parseDirectory(text, join(dir, 'user.direct'));
    if (!p.ok) throw new Error(p.errors.join('\n'));
    const sys = new TimeSharingSystem(p.directory, { spoolDir: join(dir, 'spool'), logDir: null, imageDir: dir });
    sys.boot();
    const a = sys.users.get('A')!;
    a.punch!.cards.push(new Uint8Array(80).fill(0x41));
    sys.spool.enqueue = () => { throw enospc(); };
    expect(sys.closePunch(a, null)).toMatch(/^SPOOL WRITE FAILED \(ENOSPC\): PUN FILE NOT CLOSED/);
    expect(a.punch!.cards).toHaveLength(1);
    sys.type(a, '#CP CLOSE PUNCH');
    expect(a.punch!.cards).toHaveLength(1);
    sys.shutdown(); // logoff cannot close the deck either: said, not thrown
    expect(sys.mux.transcript.some((l) => l.includes('THE OPEN DECK IS LOST AT LOGOFF'))).toBe(true);
  });

  it('a CP service that throws for one VM stops that VM alone, with the reason', () => {
    const dir = workDir({ 'prints.s': PRINTS });
    dirs.push(dir);
    const text = `USER A PW 64K AUTOLOG\n  IPL ${join(dir, 'prints.s')}\nUSER B PW 64K AUTOLOG\n  IPL ${join(dir, 'prints.s')}\n`;
    const p = parseDirectory(text, join(dir, 'user.direct'));
    if (!p.ok) throw new Error(p.errors.join('\n'));
    const sys = new TimeSharingSystem(p.directory, { spoolDir: join(dir, 'spool'), logDir: null, imageDir: dir });
    sys.boot();
    const a = sys.users.get('A')!;
    sys.cp.command = () => { throw enospc(); };
    sys.type(a, '#CP QUERY TIME');
    expect(a.vm.stop).toMatchObject({ reason: 'check-stop' });
    expect(a.vm.stop!.detail).toContain('ENOSPC');
    expect(sys.mux.transcript.some((l) => l.startsWith('CP: A: HOST ERROR: ENOSPC'))).toBe(true);
    sys.runUntilQuiet(1_000_000);
    expect(sys.users.get('B')!.vm.stop).toMatchObject({ reason: 'disabled-wait', code: 0 });
    sys.shutdown();
  });

  it('a disk whose host write fails with ENOSPC: unit check, sense EQUIPMENT CHECK, the reason kept', () => {
    class FullStore extends MemoryBlockStore { override write(): void { throw enospc(); } }
    const disk = new Disk3310(new FullStore(8));
    const ch = new Channel();
    ch.attach(0x191, disk);
    const mem = makeStorage(64 * 1024);
    storeWord(mem, 0x100, (CMD_SEEK << 24) | 0x1000);
    storeWord(mem, 0x104, (0x40 << 24) | 4); // command chain
    storeWord(mem, 0x108, (CMD_WRITE << 24) | 0x2000);
    storeWord(mem, 0x10c, 512);
    storeWord(mem, LC_CAW, 0x100);
    expect(ch.startIO(0x191, mem, 0)).toBe(0);
    expect(ch.takeInterrupt(mem, Infinity)).toBe(0x191);
    expect((loadWord(mem, LC_CSW + 4) >>> 24) & UNIT_CHECK).toBe(UNIT_CHECK);
    expect(disk.lastHostError).toContain('ENOSPC');
    expect(disk.command(CMD_SENSE, null, 1).data).toEqual(Uint8Array.of(SENSE_EQUIPMENT_CHECK));
  });
});
