/**
 * Per-user limits on what CP keeps on the host for a guest's output (issue 9 §2): the open punch
 * deck and closed spool files (count and bytes), the console log and printer files (bytes), and
 * the console lines kept in memory. The limits come from the directory (OPTION SPOOLFILES,
 * SPOOLBYTES, LOGBYTES, CONSBYTES; defaults in directory.ts). When one is reached, CP tells the
 * user and the operator once, and output of that kind stops growing, as VM/370 did when the spool
 * filled ("SPOOL SPACE FULL"): the guest's punch then ends each WRITE in unit check with sense
 * INTERVENTION REQUIRED (PoO 8.7), like a real punch with a full stacker.
 */
import { appendFileSync, statSync } from 'node:fs';
import { CMD_SENSE, CMD_WRITE } from '../cpu/arch.ts';
import { Punch2540 } from '../cpu/io/unitrecord.ts';
import { SENSE_INTERVENTION, senseResult, unitCheckResult, type Device, type DeviceResult } from '../cpu/io/types.ts';
import { CARD_BYTES } from './spool.ts';

/** Tell the user and the operator, once per reached limit. */
export type LimitNotice = (message: string) => void;

/**
 * The punch of a spooled VM: cards go into the open deck until the user's spool bytes (closed
 * files plus the open deck) would pass the limit; then WRITE is refused.
 */
export class LimitedPunch implements Device {
  readonly type = '2540P';
  private readonly punch: Punch2540;
  private full = false;
  private told = false;

  /** @param room spool bytes the user may still add to the open deck (called per card) */
  constructor(deck: Uint8Array[], private readonly room: () => number, private readonly notice: LimitNotice) {
    this.punch = new Punch2540((card) => deck.push(card));
  }

  command(cmd: number, data: Uint8Array | null, max: number): DeviceResult {
    if (cmd === CMD_SENSE && this.full) return senseResult(SENSE_INTERVENTION);
    this.full = false;
    if (cmd === CMD_WRITE && this.room() < CARD_BYTES) {
      this.full = true;
      if (!this.told) { this.told = true; this.notice('SPOOL SPACE FULL: PUNCH OUTPUT REFUSED (SPOOLBYTES LIMIT); CLOSE OR PURGE FILES'); }
      return unitCheckResult();
    }
    this.told = false;
    return this.punch.command(cmd, data, max);
  }

  sense(): Uint8Array { return this.full ? Uint8Array.of(SENSE_INTERVENTION) : this.punch.sense(); }
}

/** Printer output for one user, appended to a host file line by line, up to `maxBytes`. */
export function limitedPrinterSink(path: string, maxBytes: number, notice: LimitNotice): (line: string) => void {
  let bytes = 0, stopped = false;
  try { bytes = statSync(path).size; } catch { /* a new file */ }
  return (line) => {
    if (stopped) return;
    const text = line.trimEnd() + '\n'; // linear (a regex for trailing blanks is quadratic on blanks)
    if (bytes + text.length > maxBytes) {
      stopped = true;
      notice(`PRINTER FILE LIMIT REACHED (${maxBytes} BYTES, LOGBYTES): FURTHER PRINTER OUTPUT DISCARDED`);
      return;
    }
    bytes += text.length;
    try { appendFileSync(path, text, 'latin1'); } catch (e) {
      stopped = true; // a host error (disk full) ends this printer file, not CP
      notice(`PRINTER FILE WRITE FAILED (${(e as NodeJS.ErrnoException).code ?? 'error'}): FURTHER PRINTER OUTPUT DISCARDED`);
    }
  };
}
