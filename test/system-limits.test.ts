/**
 * What CP keeps for a guest is bounded per user (issue 9 §2), and minidisk durability is a
 * directory option (§3): OPTION FSYNC flushes every write.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CMD_SEEK, CMD_SENSE, CMD_WRITE, DEV_PUNCH, UNIT_CHECK } from '../src/cpu/arch.ts';
import { MemoryBlockStore } from '../src/cpu/io/blockstore.ts';
import { SENSE_INTERVENTION, textToBytes } from '../src/cpu/io/types.ts';
import { DEFAULT_LIMITS, parseDirectory } from '../src/timesharing/directory.ts';
import { TimeSharingSystem } from '../src/timesharing/time-sharing-system.ts';
import { bootSystem, workDir } from './system-helpers.ts';
import { prelude } from './guest-helpers.ts';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
const fresh = (files: Record<string, string> = {}) => { const d = workDir(files); dirs.push(d); return d; };

/** A guest that writes a 200-byte console line by DIAGNOSE X'10' forever. */
const CHATTY = `${prelude()}        .org  0x200
start:  LARL  R2,msg
        LHI   R3,200
loop:   DIAG  R2,R3,DIAG_CONSOLE_WRITE
        J     loop
        .align 4
msg:    .space 200, 0xC1
`;

describe('per-user output limits', () => {
  it('a guest writing its console forever: the transcript stops at CONSBYTES and the log at LOGBYTES, told once', () => {
    const d = fresh({ 'chatty.s': CHATTY });
    const sys = bootSystem(d, 'USER CHATTY PW 64K AUTOLOG\n  IPL chatty.s\n  OPTION CONSBYTES 8K LOGBYTES 16K\nUSER QUIET PW 64K\n');
    sys.run(50_000);
    const kept = sys.mux.linesOf('CHATTY');
    expect(kept.join('').length).toBeLessThan(8 * 1024 + 200);
    expect(kept.filter((l) => l.startsWith('CONSOLE LIMIT REACHED'))).toHaveLength(1);
    expect(sys.mux.transcript).toContain('CP: CHATTY: LOG LIMIT REACHED (16384 BYTES, LOGBYTES): FURTHER LINES ARE NOT LOGGED');
    sys.run(50_000); // more output: nothing more kept, no second notice
    expect(sys.mux.linesOf('CHATTY').length).toBe(kept.length);
    sys.shutdown();
    const log = join(d, 'logs', 'CHATTY.log');
    expect(statSync(log).size).toBeLessThan(16 * 1024 + 200);
    expect(readFileSync(log, 'latin1').trimEnd().split('\n').at(-1)).toMatch(/^LOG LIMIT REACHED/);
  });

  it('an open punch deck stops at SPOOLBYTES: WRITE ends in unit check, sense INTERVENTION REQUIRED', () => {
    const sys = bootSystem(fresh(), 'USER P PW 64K AUTOLOG\n  SPOOL 00D PUNCH\n  OPTION SPOOLBYTES 8K\n');
    const punch = sys.users.get('P')!.channel.device(DEV_PUNCH)!;
    const statuses: number[] = [];
    for (let i = 0; i < 1000; i++) statuses.push(punch.command(CMD_WRITE, textToBytes(`CARD ${i}`), 80).status);
    const accepted = statuses.findIndex((s) => (s & UNIT_CHECK) !== 0);
    expect(accepted).toBe(Math.floor(8192 / 80));
    expect(statuses.slice(accepted).every((s) => (s & UNIT_CHECK) !== 0)).toBe(true);
    expect(punch.command(CMD_SENSE, null, 1).data).toEqual(Uint8Array.of(SENSE_INTERVENTION));
    expect(sys.users.get('P')!.punch!.cards.length).toBe(accepted);
    expect(sys.mux.linesOf('P').filter((l) => l.startsWith('SPOOL SPACE FULL'))).toHaveLength(1);
    expect(sys.mux.transcript.some((l) => l.startsWith('CP: P: SPOOL SPACE FULL'))).toBe(true);
    // Closing the deck does not free room: the closed file still counts until it is read or purged.
    sys.closePunch(sys.users.get('P')!, null);
    expect(punch.command(CMD_WRITE, textToBytes('MORE'), 80).status & UNIT_CHECK).toBe(UNIT_CHECK);
    sys.spool.purge(sys.spool.files[0].id);
    expect(punch.command(CMD_WRITE, textToBytes('MORE'), 80).status & UNIT_CHECK).toBe(0);
    sys.shutdown();
  });

  it('closed spool files stop at SPOOLFILES: CLOSE is refused and the deck stays open', () => {
    const sys = bootSystem(fresh(), 'USER P PW 64K AUTOLOG\n  SPOOL 00D PUNCH\n  OPTION SPOOLFILES 2\n');
    const u = sys.users.get('P')!;
    const punch = u.channel.device(DEV_PUNCH)!;
    for (let i = 0; i < 3; i++) {
      punch.command(CMD_WRITE, textToBytes(`DECK ${i}`), 80);
      expect(sys.cp.command(u.vm, 'CLOSE PUNCH')).toBe(0);
    }
    expect(sys.spool.files).toHaveLength(2);
    expect(u.punch!.cards).toHaveLength(1);
    expect(sys.mux.linesOf('P')).toContain('SPOOL FILE LIMIT REACHED (2 FILES, SPOOLFILES): PUN FILE NOT CLOSED, 1 CARDS STAY OPEN');
    sys.shutdown();
  });

  it('a spool write that fails on the host (here: the folder is gone) fails this CLOSE only; the deck stays open', () => {
    const d = fresh();
    const sys = bootSystem(d, 'USER P PW 64K AUTOLOG\n  SPOOL 00D PUNCH\n');
    const u = sys.users.get('P')!;
    u.channel.device(DEV_PUNCH)!.command(CMD_WRITE, textToBytes('CARD'), 80);
    rmSync(join(d, 'spool'), { recursive: true });
    expect(sys.cp.command(u.vm, 'CLOSE PUNCH')).toBe(0);
    expect(sys.mux.linesOf('P').at(-1)).toMatch(/^SPOOL WRITE FAILED \(ENOENT\): PUN FILE NOT CLOSED, 1 CARDS STAY OPEN/);
    expect(u.punch!.cards).toHaveLength(1);
    expect(() => sys.shutdown()).not.toThrow(); // LOGOFF's CLOSE fails the same way
  });

  it('printer output stops at LOGBYTES', () => {
    const d = fresh();
    const sys = bootSystem(d, 'USER P PW 64K AUTOLOG\n  SPOOL 00E PRINTER\n  OPTION LOGBYTES 4K\n');
    const prt = sys.users.get('P')!.channel.device(0x00e)!;
    for (let i = 0; i < 500; i++) prt.command(CMD_WRITE, textToBytes('X'.repeat(100)), 132);
    expect(statSync(join(d, 'spool', 'P.printer')).size).toBeLessThanOrEqual(4096);
    expect(sys.mux.linesOf('P').filter((l) => l.startsWith('PRINTER FILE LIMIT REACHED'))).toHaveLength(1);
    sys.shutdown();
  });

  it('the limits have defaults and are set in the directory', () => {
    const p = parseDirectory(
      'USER A PW 64K SPOOLFILES 5 SPOOLBYTES 1M\n  OPTION LOGBYTES 2M CONSBYTES 64K\nUSER B PW 64K\n  OPTION SPOOLBYTES 2G\n',
      join(fresh(), 'x.direct'),
    );
    expect(p.directory.users[0].limits).toEqual({ spoolFiles: 5, spoolBytes: 1 << 20, logBytes: 2 << 20, consoleBytes: 64 << 10 });
    expect(p.directory.users[1].limits).toEqual(DEFAULT_LIMITS);
    expect(p.errors).toEqual([expect.stringMatching(/x\.direct:4:21: bad SPOOLBYTES '2G'/)]);
  });
});

describe('OPTION FSYNC', () => {
  /** A system whose image extents are counting memory stores. */
  function withCountingStores(text: string) {
    const d = fresh();
    const flushes = new Map<string, number>();
    const p = parseDirectory(text, join(d, 'user.direct'), d);
    expect(p.errors).toEqual([]);
    const sys = new TimeSharingSystem(p.directory, {
      spoolDir: join(d, 'spool'), logDir: null, imageDir: d,
      openStore: (path, first, blocks) => {
        const key = `${path}:${first}`;
        const s = new MemoryBlockStore(blocks);
        return Object.assign(s, { flush: () => { flushes.set(key, (flushes.get(key) ?? 0) + 1); }, close: () => {} });
      },
    });
    sys.boot();
    return { sys, flushes, d };
  }
  const write = (dev: { command(c: number, d: Uint8Array | null, m: number): { status: number } }, block: number) => {
    dev.command(CMD_SEEK, Uint8Array.of(0, 0, 0, block), 4);
    return dev.command(CMD_WRITE, new Uint8Array(512).fill(block), 512).status;
  };

  it('flushes every minidisk write of an FSYNC user before it completes; others only at shutdown', () => {
    const { sys, flushes, d } = withCountingStores(
      'USER S PW 64K AUTOLOG\n  MDISK 191 s.img 0 8 W\n  OPTION FSYNC\nUSER L PW 64K AUTOLOG\n  MDISK 191 l.img 0 8 W\n',
    );
    const s = sys.users.get('S')!.channel.device(0x191)!, l = sys.users.get('L')!.channel.device(0x191)!;
    for (let b = 0; b < 5; b++) { write(s, b); write(l, b); }
    expect(flushes.get(`${join(d, 's.img')}:0`)).toBe(5);
    expect(flushes.get(`${join(d, 'l.img')}:0`)).toBeUndefined();
    sys.shutdown();
    expect(flushes.get(`${join(d, 'l.img')}:0`)).toBe(1);
  });
});
