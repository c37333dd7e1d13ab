/**
 * A virtual channel-to-channel adapter for the driver-domain experiment, as VM/370 connected
 * service machines to their users. One end per client VM and one at the driver VM, all at the
 * same virtual address. A record one side WRITEs is queued for the other; a READ takes the next
 * record queued for its side, or waits (the channel parks it, as a console READ with nothing
 * typed) until one arrives. The driver's end is a concentrator: it receives every client's
 * records in arrival order, with the client's number stamped in the first word (the adapter
 * knows which link a record came in on), and a record it writes goes to the client that word
 * names. The adapter buffers records (a real CTC would hold the writer until the reader reads):
 * what was queued for a VM that CP resets is dropped, as a system reset clears the adapter.
 */
import { CMD_READ, CMD_SENSE, CMD_WRITE } from '../cpu/arch.ts';
import { CE_DE, SENSE_COMMAND_REJECT, noOpResult, senseResult, unitCheckResult, type Device, type DeviceResult } from '../cpu/io/types.ts';

export const CTC_ADDR = 0x500;
export const CTC_RECORD = 16;
const LATENCY = 20; // instructions per record moved

/** One end: its queue of records to read, and how to wake a READ waiting on it. */
class CtcEnd implements Device {
  readonly type = 'CTCA';
  readonly queue: Uint8Array[] = [];
  private senseByte = 0;
  constructor(private readonly send: (rec: Uint8Array) => void, private readonly arrived: () => void) {}

  command(cmd: number, data: Uint8Array | null, max: number): DeviceResult {
    if (cmd === CMD_SENSE) return senseResult(this.senseByte);
    this.senseByte = 0;
    if (cmd === CMD_WRITE) {
      const rec = new Uint8Array(CTC_RECORD);
      if (data) rec.set(data.subarray(0, CTC_RECORD));
      this.send(rec);
      return { status: CE_DE, length: Math.min(max, CTC_RECORD), latency: LATENCY };
    }
    if (cmd === CMD_READ) {
      const rec = this.queue.shift();
      if (!rec) return { status: 0, latency: 0, pending: true };
      return { status: CE_DE, data: rec, latency: LATENCY };
    }
    if (cmd === 0x03) return noOpResult();
    this.senseByte = SENSE_COMMAND_REJECT;
    return unitCheckResult();
  }

  outputLimit(cmd: number): number { return cmd === CMD_WRITE ? CTC_RECORD : 0; }

  /** Queue a record for this end and wake a READ waiting for it. */
  deliver(rec: Uint8Array): void { this.queue.push(rec); this.arrived(); }
}

export class CtcHub {
  readonly driver: CtcEnd;
  readonly clients: CtcEnd[] = [];
  /** Records the adapter moved, each way. */
  toDriver = 0;
  toClients = 0;

  /** `wake(i)`: a record arrived for end i (0: the driver, 1..n: client i). */
  constructor(n: number, wake: (end: number) => void) {
    this.driver = new CtcEnd((rec) => {
      const c = new DataView(rec.buffer).getInt32(0);
      if (c >= 1 && c <= n) { this.toClients++; this.clients[c - 1].deliver(rec); } // to nobody: dropped
    }, () => wake(0));
    for (let i = 1; i <= n; i++) {
      this.clients.push(new CtcEnd((rec) => {
        new DataView(rec.buffer).setInt32(0, i); // stamped with the link it came in on
        this.toDriver++;
        this.driver.deliver(rec);
      }, () => wake(i)));
    }
  }
}
