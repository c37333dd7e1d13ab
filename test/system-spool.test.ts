import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CMD_READ, CMD_WRITE, UNIT_EXCEPTION } from '../src/cpu/arch.ts';
import { textToBytes } from '../src/cpu/io/types.ts';
import { Spool, SpoolReader } from '../src/timesharing/spool.ts';
import { bootSystem, DEMO, workDir } from './system-helpers.ts';

const cms = join(DEMO, 'minicms.s');
const DIRECTORY = (autologB: boolean) => `USER CMSA PW 256K AUTOLOG
  IPL ${cms}
  SPOOL 00C READER
  SPOOL 00D PUNCH
  SPOOL 00E PRINTER
  MDISK 191 d.img 0 16 W
USER CMSB PW 256K${autologB ? ' AUTOLOG' : ''}
  IPL ${cms}
  SPOOL 00C READER
  SPOOL 00D PUNCH
  SPOOL 00E PRINTER
  MDISK 191 d.img 16 16 W
`;
const text = (card: Uint8Array) => String.fromCharCode(...card).trimEnd();

describe('spooling', () => {
  it('SPOOL PUNCH TO user + CLOSE PUNCH (by DIAGNOSE X\'08\') put the deck in that user\'s reader', () => {
    const dir = workDir();
    const sys = bootSystem(dir, DIRECTORY(true) + `INPUT CMSA SEND CMSB
INPUT CMSB #CP QUERY READER
INPUT CMSB RECEIVE
INPUT CMSB PRINT
INPUT CMSB #CP QUERY READER
`);
    expect(sys.runUntilQuiet(10_000_000)).toBe('idle');
    expect(sys.mux.linesOf('CMSA')).toEqual(expect.arrayContaining([
      'PUN 00D SPOOLED TO CMSB', 'PUN FILE 0001 TO CMSB (GREET TEXT, 4 CARDS)', 'DECK PUNCHED AND CLOSED',
    ]));
    const b = sys.mux.linesOf('CMSB');
    expect(b).toEqual(expect.arrayContaining(['RDR FILE 0001 SENT FROM CMSA PUN (GREET TEXT, 4 CARDS)', 'CMSA     0001 PUN       4 GREET TEXT',
      'HELLO FROM THE OTHER SIDE OF THE SPOOL.', 'RECEIVE:         4 CARDS STORED ON THE A-DISK', 'NO RDR FILES']));
    // Printer output went to CMSB's printer file on the host.
    const printed = readFileSync(join(dir, 'spool', 'CMSB.printer'), 'latin1').split('\n');
    expect(printed.slice(0, 2)).toEqual([':READ GREET TEXT', 'HELLO FROM THE OTHER SIDE OF THE SPOOL.']);
    sys.shutdown();
  });

  it('a closed spool file survives a restart, and LOGOFF closes an open punch', () => {
    const dir = workDir();
    const first = bootSystem(dir, DIRECTORY(false) + 'INPUT CMSA SEND CMSB\n');
    expect(first.runUntilQuiet(10_000_000)).toBe('idle');
    // Two more cards punched with no CLOSE: LOGOFF must close them into a second file.
    const a = first.users.get('CMSA')!;
    a.channel.device(0x00d)!.command(CMD_WRITE, textToBytes(':READ LATE NOTE'), 80);
    a.channel.device(0x00d)!.command(CMD_WRITE, textToBytes('PUNCHED, NEVER CLOSED'), 80);
    first.logoff('CMSA');
    expect(first.spool.readerFiles('CMSB').map((f) => [f.id, f.name, f.records])).toEqual([[1, 'GREET TEXT', 4], [2, 'LATE NOTE', 2]]);
    // A new CP over the same spool folder (no shutdown of the first: as if the process died).
    const second = bootSystem(dir, DIRECTORY(true) + 'INPUT CMSB RECEIVE\nINPUT CMSB RECEIVE\nINPUT CMSB RECEIVE\n');
    expect(second.runUntilQuiet(10_000_000)).toBe('idle');
    const b = second.mux.linesOf('CMSB');
    expect(b).toEqual(expect.arrayContaining(['CP MOVED IT THROUGH A SPOOL FILE ON THE HOST.', 'PUNCHED, NEVER CLOSED', 'NO CARDS']));
    expect(b.indexOf('CP MOVED IT THROUGH A SPOOL FILE ON THE HOST.')).toBeLessThan(b.indexOf('PUNCHED, NEVER CLOSED'));
    expect(second.spool.files).toEqual([]);
    expect(existsSync(join(dir, 'spool', '0001.cards'))).toBe(false);
    second.shutdown();
  });

  it('the reader gives each file card by card, unit exception at its end, then the next file', () => {
    const spool = new Spool(workDir());
    spool.enqueue('A', 'B', 'PUN', [textToBytes('ONE'), textToBytes('TWO')], 'F1 TEXT');
    spool.enqueue('A', 'C', 'PUN', [textToBytes('ELSEWHERE')], 'F2 TEXT');
    spool.enqueue('A', 'B', 'PUN', [textToBytes('THREE')], 'F3 TEXT');
    const r = new SpoolReader(spool, 'B');
    const read = () => { const x = r.command(CMD_READ); return x.status & UNIT_EXCEPTION ? 'EOF' : text(x.data!); };
    expect([read(), read(), read(), read(), read(), read()]).toEqual(['ONE', 'TWO', 'EOF', 'THREE', 'EOF', 'EOF']);
    expect(spool.files.map((f) => f.to)).toEqual(['C']);
  });
});
