import { describe, expect, it } from 'vitest';
import { parseDirectory, type ParseResult } from '../src/timesharing/directory.ts';
import { DEMO } from './system-helpers.ts';
import { join } from 'node:path';

const FILE = join(DEMO, 'test.direct'); // IPL paths resolve against programs/demo
const parse = (text: string): ParseResult => parseDirectory(text, FILE);

describe('user directory', () => {
  it('parses users, devices, minidisks, links, options and the input script', () => {
    const r = parse(`* a comment
USER MAINT SECRET 1M AUTOLOG
  IPL minicms.s
  CONSOLE 01F
  SPOOL 00C READER
  SPOOL 00D PUNCH
  SPOOL 00E PRINTER
  MDISK 191 disks.img 0 100 MW
USER GUEST1 PW 256K
  IPL compute.s
  LINK MAINT 191 192 W
  OPTION AUTOLOG SHARE 3

INPUT MAINT hello   there
`);
    expect(r.errors).toEqual([]);
    const [m, g] = r.directory.users;
    expect(m).toMatchObject({ name: 'MAINT', password: 'SECRET', storage: 1 << 20, console: 0x1f, autolog: true, share: 1 });
    expect(m.spool.map((s) => [s.vaddr, s.kind])).toEqual([[0xc, 'READER'], [0xd, 'PUNCH'], [0xe, 'PRINTER']]);
    expect(m.mdisks[0]).toMatchObject({ vaddr: 0x191, image: 'disks.img', first: 0, blocks: 100, mode: 'MW' });
    expect(m.ipl).toBe(join(DEMO, 'minicms.s'));
    expect(g).toMatchObject({ storage: 256 * 1024, autolog: true, share: 3 });
    expect(g.links[0]).toMatchObject({ owner: 'MAINT', vaddr: 0x191, as: 0x192, mode: 'W' });
    expect(r.directory.script).toEqual([{ user: 'MAINT', text: 'hello   there', line: 14 }]);
  });

  it('reports every bad statement as file:line: message and never throws', () => {
    const r = parse(`IPL compute.s
USER lower PW 1M
USER TOOLONGID9 PW 1M
USER A PW 1000
USER A2 PW 32M
USER B PW 64K
  FROB 1
  MDISK 191 d.img 0 10 X
  MDISK 191 d.img 0 10 W
  MDISK 192 d.img 5 10 W
  SPOOL 00C TAPE
  SPOOL ZZZZZ READER
  IPL nonexistent.s
  OPTION FAST
USER C PW 64K
  MDISK 291 d.img 12 4 R
  LINK B 191 391 W
  LINK NOBODY 191 392 R
  LINK B 999 393 R
  MDISK 291 e.img 0 1 R
INPUT b text
USER B PW 64K
  MDISK 191 d.img 100 1 W
`);
    expect(r.ok).toBe(false);
    const msgs = r.errors.map((e) => e.replace(FILE, 'F').replace(/^(F:\d+):\d+:/, '$1:'));
    expect(msgs).toEqual([
      'F:1: IPL must follow a USER statement',
      "F:2: bad user ID 'lower': 1-8 upper-case letters and digits",
      "F:3: bad user ID 'TOOLONGID9': 1-8 upper-case letters and digits",
      "F:4: bad storage size '1000': a multiple of 4K from 64K to 16M (e.g. 256K, 1M)",
      "F:5: bad storage size '32M': a multiple of 4K from 64K to 16M (e.g. 256K, 1M)",
      "F:7: unknown statement 'FROB' (USER, IPL, CONSOLE, SPOOL, MDISK, LINK, OPTION, INPUT, PASSWORDS)",
      "F:8: bad minidisk mode 'X': R, W or MW",
      "F:11: bad spool device type 'TAPE': READER, PUNCH or PRINTER",
      "F:12: bad spool device address 'ZZZZZ': expected 1-4 hexadecimal digits",
      'F:13: IPL file nonexistent.s not found',
      "F:14: unknown option 'FAST' (AUTOLOG, SHARE n, CLASS letters, FSYNC, SPOOLFILES n, SPOOLBYTES size, LOGBYTES size, CONSBYTES size)",
      'F:20: virtual address 291 is already defined for C',
      'F:21: INPUT needs a user ID: INPUT user text',
      'F:22: duplicate user B (first defined at line 6)',
      "F:17: LINK B 191 in write mode: the owner's MDISK mode is W, write links need MW",
      'F:18: LINK to unknown user NOBODY',
      'F:19: LINK: B has no minidisk 999',
      'F:10: minidisk 192 (blocks 5-14 of d.img) overlaps B\'s minidisk 191 (blocks 0-9, line 9)',
      'F:16: minidisk 291 (blocks 12-15 of d.img) overlaps B\'s minidisk 192 (blocks 5-14, line 10)',
    ]);
  });

  it('accepts extents that touch but do not overlap, and the same blocks of different images', () => {
    const r = parse(`USER A PW 64K
  MDISK 191 d.img 0 10 W
USER B PW 64K
  MDISK 191 d.img 10 10 W
  MDISK 192 other.img 0 10 W
`);
    expect(r.errors).toEqual([]);
  });
});
