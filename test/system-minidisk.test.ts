import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CMD_READ, CMD_SEEK, CMD_SENSE, CMD_WRITE, UNIT_CHECK } from '../src/cpu/arch.ts';
import { SENSE_COMMAND_REJECT, SENSE_SEEK_CHECK } from '../src/cpu/io/types.ts';
import { DiskImages, MinidiskDevice } from '../src/timesharing/minidisk.ts';
import { bootSystem, DEMO, workDir } from './system-helpers.ts';
import { prelude } from './guest-helpers.ts';

/** A guest that SEEKs block BLK of its disk at X'191' and WRITEs 512 bytes of X'5A' there (one
 * command-chained channel program), then reports the CSW unit status as its test result. */
const writer = (blk: number) => `${prelude({ LC_IO_NEW: 'ioint' })}        .org 0x200
start:  LA    R1,ccws
        ST    R1,LC_CAW
        SIO   0x191
        JNZ   bad
        LPSW  waitio
ioint:  L     R2,LC_CSW+4
        SRL   R2,24
        TESTRESULT R2
bad:    LHI   R2,255
        TESTRESULT R2
        .align 8
waitio: .psw  PSW_IO|PSW_WAIT, 0
ccws:   .ccw  CMD_SEEK, blk, CCW_CC, 4
        .ccw  CMD_WRITE, data, 0, 512
blk:    .word ${blk}
data:   .space 512, 0x5A
`;
const NORMAL = 0x0c; // channel end + device end

const seek = (n: number) => Uint8Array.of(n >>> 24, n >>> 16, n >>> 8, n);
const blockOf = (file: string, b: number) => readFileSync(file).subarray(b * 512, (b + 1) * 512);

describe('minidisks', () => {
  it('relocates a guest\'s blocks into its extent; a block outside it is a unit check, never a write elsewhere', () => {
    const dir = workDir({ 'in.s': writer(3), 'out.s': writer(4), 'ro.s': writer(0) });
    const sys = bootSystem(dir, `USER WIN PW 64K AUTOLOG
  IPL in.s
  MDISK 191 d.img 8 4 W
USER WOUT PW 64K AUTOLOG
  IPL out.s
  MDISK 191 d.img 0 4 W
USER RO PW 64K AUTOLOG
  IPL ro.s
  LINK WIN 191 191 R
`);
    sys.run(1_000_000);
    const code = (u: string) => sys.users.get(u)!.vm.stop;
    expect(code('WIN')).toMatchObject({ reason: 'halt', code: NORMAL });
    expect(code('WOUT')).toMatchObject({ reason: 'halt', code: NORMAL | UNIT_CHECK }); // block 4 of a 4-block extent
    expect(code('RO')).toMatchObject({ reason: 'halt', code: NORMAL | UNIT_CHECK }); // a write on a read-only link
    sys.shutdown();
    const img = join(dir, 'd.img');
    const bytes = readFileSync(img);
    // Only image block 8 + 3 was written; WOUT's refused block 4 (image block 4, WIN's territory
    // at 8 is beyond it) and RO's block 0 of WIN's extent (image block 8) stay zero.
    for (let b = 0; b < bytes.length / 512; b++) {
      expect(blockOf(img, b).every((x) => x === (b === 11 ? 0x5a : 0)), `image block ${b}`).toBe(true);
    }
    expect(statSync(img).size).toBeLessThanOrEqual(12 * 512);
  });

  it('device level: SEEK past the extent is SEEK CHECK; a read-only link rejects every write command', () => {
    const dir = workDir();
    const images = new DiskImages(dir);
    const store = images.extent('x.img', 2, 3, 'A 191');
    if (typeof store === 'string') throw new Error(store);
    const rw = new MinidiskDevice(store, false, 'A', 0x191);
    const ro = new MinidiskDevice(store, true, 'A', 0x191);
    expect(rw.command(CMD_SEEK, seek(3), 4).status & UNIT_CHECK).toBe(UNIT_CHECK);
    expect(rw.command(CMD_SENSE, null, 1).data).toEqual(Uint8Array.of(SENSE_SEEK_CHECK));
    expect(rw.command(CMD_SEEK, seek(2), 4).status).toBe(NORMAL);
    expect(rw.command(CMD_WRITE, new Uint8Array(512).fill(7), 512).status).toBe(NORMAL);
    // The write advanced to block 3, past the end: the next WRITE must not land anywhere.
    expect(rw.command(CMD_WRITE, new Uint8Array(512).fill(9), 512).status & UNIT_CHECK).toBe(UNIT_CHECK);
    for (const cmd of [CMD_WRITE, 0x05, 0x09]) {
      expect(ro.command(CMD_SEEK, seek(0), 4).status).toBe(NORMAL);
      expect(ro.command(cmd, new Uint8Array(512).fill(1), 512).status & UNIT_CHECK).toBe(UNIT_CHECK);
      expect(ro.command(CMD_SENSE, null, 1).data).toEqual(Uint8Array.of(SENSE_COMMAND_REJECT));
    }
    expect(ro.command(CMD_SEEK, seek(2), 4).status).toBe(NORMAL);
    expect(ro.command(CMD_READ, null, 512).data![0]).toBe(7); // reading through the link works
    images.close();
    const img = join(dir, 'x.img');
    expect(statSync(img).size).toBe(5 * 512);
    for (let b = 0; b < 5; b++) expect(blockOf(img, b).every((x) => x === (b === 4 ? 7 : 0))).toBe(true);
  });

  it('LINK in write mode needs an MW minidisk; the LINK command answers as CP would', () => {
    const dir = workDir();
    const cms = join(DEMO, 'minicms.s');
    const sys = bootSystem(dir, `USER OWNER PW 256K AUTOLOG
  IPL ${cms}
  MDISK 191 d.img 0 8 W RPW
  MDISK 192 d.img 8 8 MW RPW WPW
USER OTHER PW 256K AUTOLOG
  IPL ${cms}
`);
    sys.run(100_000);
    const other = sys.users.get('OTHER')!;
    expect(sys.cp.command(other.vm, 'LINK OWNER 191 391 W WPW')).not.toBe(0);
    expect(sys.cp.command(other.vm, 'LINK OWNER 191 391 R RPW')).toBe(0);
    expect(sys.cp.command(other.vm, 'LINK OWNER 192 392 W WPW')).toBe(0);
    expect(sys.cp.command(other.vm, 'LINK OWNER 192 392 R RPW')).not.toBe(0); // 392 is taken
    expect(other.disks.get(0x391)!.readOnly).toBe(true);
    expect(other.disks.get(0x392)!.readOnly).toBe(false);
    expect(sys.mux.linesOf('OTHER')).toContain('HCPLNK: OWNER 191 MAY NOT BE LINKED IN WRITE MODE');
    expect(sys.cp.command(other.vm, 'DETACH 391')).toBe(0);
    expect(other.channel.device(0x391)).toBeUndefined();
    sys.shutdown();
  });

  it('a completed write survives a restart of CP (the image file is written synchronously)', () => {
    const dir = workDir();
    const cms = join(DEMO, 'minicms.s');
    const directory = `USER CMSA PW 256K AUTOLOG
  IPL ${cms}
  SPOOL 00C READER
  SPOOL 00D PUNCH
  MDISK 191 d.img 0 16 W
USER CMSB PW 256K AUTOLOG
  IPL ${cms}
  SPOOL 00C READER
  MDISK 191 d.img 16 16 W
`;
    const first = bootSystem(dir, directory + 'INPUT CMSA SEND CMSB\nINPUT CMSB RECEIVE\n');
    expect(first.runUntilQuiet(10_000_000)).toBe('idle');
    expect(first.mux.linesOf('CMSB')).toContain('RECEIVE:         4 CARDS STORED ON THE A-DISK');
    // No shutdown: the process "dies" here; a new CP starts over the same files.
    const second = bootSystem(dir, directory + 'INPUT CMSB TYPE\n');
    expect(second.runUntilQuiet(10_000_000)).toBe('idle');
    const typed = second.mux.linesOf('CMSB');
    expect(typed).toContain(':READ GREET TEXT');
    expect(typed).toContain('CP MOVED IT THROUGH A SPOOL FILE ON THE HOST.');
    first.shutdown(); second.shutdown();
  });
});
