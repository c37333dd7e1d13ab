/**
 * The standard unit-record configuration (PoO 9): console at X'009', reader X'00C', punch X'00D',
 * printer X'00E', as on a VM/370 virtual machine. The bare machine and every VM under CP are built
 * with this one function, so a program sees the same devices in both.
 */
import { Channel } from './channel.ts';
import { CONSOLE_ADDRESS, Console3215 } from './console.ts';
import { Printer1403, Punch2540, PRINTER_ADDRESS, PUNCH_ADDRESS, READER_ADDRESS, Reader2540 } from './unitrecord.ts';

export interface UnitRecordConfig {
  /** Console output lines. */
  console?: (line: string) => void;
  printer?: (line: string) => void;
  punch?: (card: Uint8Array) => void;
  /** Cards in the reader. */
  cards?: Iterable<Uint8Array | string>;
  /** Console input lines queued before the program starts. */
  input?: Iterable<string>;
}

export interface UnitRecordDevices {
  channel: Channel;
  console: Console3215;
  reader: Reader2540;
  punch: Punch2540;
  printer: Printer1403;
}

export function standardDevices(cfg: UnitRecordConfig = {}): UnitRecordDevices {
  const channel = new Channel();
  const console = new Console3215(cfg.console);
  const reader = new Reader2540(cfg.cards ?? []);
  const punch = new Punch2540(cfg.punch);
  const printer = new Printer1403(cfg.printer);
  channel.attach(CONSOLE_ADDRESS, console);
  channel.attach(READER_ADDRESS, reader);
  channel.attach(PUNCH_ADDRESS, punch);
  channel.attach(PRINTER_ADDRESS, printer);
  for (const line of cfg.input ?? []) console.input(line);
  return { channel, console, reader, punch, printer };
}
