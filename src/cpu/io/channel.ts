/**
 * The channel subsystem (PoO 8): START I/O, TEST I/O, HALT I/O, channel programs and I/O
 * interruptions, for one storage. CP makes one Channel per virtual machine over that machine's
 * own storage; the real machine has one too. There is no global state.
 *
 * Timing model (PoO 8.9): a channel program runs to its end inside START I/O (all data moves
 * then), but the operation *completes*, and its I/O interruption becomes pending, only at
 * start time + the sum of the device latencies. Until then the device is busy. The only
 * exception is a device that cannot go on yet (a console read with no line typed): the program
 * stops at that CCW and resumes when the host calls `inputArrived`.
 *
 * Each device has its own subchannel: devices never make each other busy.
 */

import {
  CCW_CC, CCW_CD, CCW_SKIP, CCW_SLI, CHAN_INCORRECT_LENGTH, CHAN_PROGRAM_CHECK, LC_CAW, LC_CSW,
  MAX_CCWS, UNIT_CHECK, UNIT_EXCEPTION,
} from '../arch.ts';
import { loadByte, loadWord, storageSize, storeByte, storeWord } from '../storage.ts';
import { CE_DE, MAX_OUTPUT_RECORD, type Device } from './types.ts';
import { Listeners } from '../events.ts';

/** One decoded, validated CCW (PoO 8.3). */
export interface Ccw {
  /** Address of the CCW itself. */
  address: number;
  /** Command byte, exactly as in storage. */
  command: number;
  /** Data address (24 bits); for a TIC, the address of the next CCW. */
  dataAddress: number;
  /** Flags byte (CCW_CD, CCW_CC, CCW_SLI, CCW_SKIP). */
  flags: number;
  /** Byte count (1-65535; ignored for a TIC). */
  count: number;
}

/** What `Channel.ccws` subscribers see: every CCW the channel uses, TICs included, in order. */
export interface CcwEvent {
  /** Device address. */
  device: number;
  ccwAddress: number;
  command: number;
  dataAddress: number;
  flags: number;
  count: number;
  /** Virtual time at which this CCW's command starts. */
  time: number;
}

/** Result of `translateChannelProgram`: the CCWs in the order a normally ending program uses them. */
export type Translation = { ccws: Ccw[] } | { error: string; ccwAddress: number; ccws: Ccw[] };

/** Flag bits this channel knows; the others (PCI 0x08, IDA 0x04, 0x02, 0x01) are a program check. */
const KNOWN_FLAGS = CCW_CD | CCW_CC | CCW_SLI | CCW_SKIP;

/** PoO 8.3: a command whose low four bits are 1000 is TRANSFER IN CHANNEL, whatever the high four. */
export function isTic(command: number): boolean { return (command & 0x0f) === 0x08; }

/**
 * PoO 8.3: the low bits of the command give the direction. Input: read (xxxxxx10), sense
 * (xxxx0100), read backward (xxxx1100). Output: write (xxxxxx01) and control (xxxxxx11), which
 * may carry data to the device (SEEK's block number).
 */
export function isInputCommand(command: number): boolean {
  return (command & 3) === 2 || (command & 0x0f) === 0x04 || (command & 0x0f) === 0x0c;
}

/**
 * Fetch and check the CCW at `address` (PoO 8.3). Returns the CCW, or the reason for a channel
 * program check. `chained`: reached by data chaining, so the command code is ignored (except
 * TIC). `afterTic`: reached by a TIC, so it must not be another TIC.
 */
export function fetchCcw(mem: Int32Array, address: number, chained: boolean, afterTic: boolean): Ccw | string {
  if ((address & 7) !== 0) return 'CCW address is not on a doubleword boundary';
  if (address < 0 || address + 8 > storageSize(mem)) return 'CCW address is outside storage';
  const w0 = loadWord(mem, address);
  const w1 = loadWord(mem, address + 4);
  const command = w0 >>> 24;
  const dataAddress = w0 & 0x00ff_ffff;
  const flags = w1 >>> 24;
  const count = w1 & 0xffff; // bits 40-47 are ignored (PoO 8.3)
  if (isTic(command)) {
    if (afterTic) return 'TIC follows a TIC';
    if ((dataAddress & 7) !== 0) return 'TIC address is not on a doubleword boundary';
    return { address, command, dataAddress, flags, count };
  }
  if (!chained && (command & 0x0f) === 0) return 'invalid command code';
  if ((flags & ~KNOWN_FLAGS) !== 0) return 'unsupported flag bits (PCI, IDA) are set';
  if (count === 0) return 'count is zero';
  // Checked even with SKIP: one rule for every CCW, so the channel never leaves storage.
  if (dataAddress + count > storageSize(mem)) return 'data area is outside storage';
  return { address, command, dataAddress, flags, count };
}

/** PoO 8.2: CAW bits 4-7 must be zero; bits 0-3 (the key) are ignored, there are no storage keys. */
function cawError(caw: number): string | null {
  return (caw & 0x0f00_0000) !== 0 ? 'CAW bits 4-7 are not zero' : null;
}

/**
 * Check a channel program without running it (for CP's CCW trace and debuggers): follow the CAW,
 * TICs, data chaining and command chaining as if every command ended normally, stopping after the
 * first CCW that chains neither data nor command. Pure: no device is touched. The channel applies
 * the same checks (`fetchCcw`) as it runs, so an error here is the program check the channel would
 * report, unless a device ends the program earlier (or an input command rewrites the CCWs).
 * @param caw the CAW word (default: the one at LC_CAW in `mem`).
 */
export function translateChannelProgram(mem: Int32Array, caw: number = loadWord(mem, LC_CAW)): Translation {
  const ccws: Ccw[] = [];
  let addr = caw & 0x00ff_ffff;
  const bad = cawError(caw);
  if (bad !== null) return { error: bad, ccwAddress: addr, ccws };
  let chained = false;
  let afterTic = false;
  for (;;) {
    if (ccws.length >= MAX_CCWS) return { error: `more than ${MAX_CCWS} CCWs`, ccwAddress: addr, ccws };
    const c = fetchCcw(mem, addr, chained, afterTic);
    if (typeof c === 'string') return { error: c, ccwAddress: addr, ccws };
    ccws.push(c);
    if (isTic(c.command)) { afterTic = true; addr = c.dataAddress; continue; }
    afterTic = false;
    if ((c.flags & CCW_CD) !== 0) chained = true;
    else if ((c.flags & CCW_CC) !== 0) chained = false;
    else return { ccws };
    addr += 8;
  }
}

/** A command waiting for its device (console read with no input yet). */
interface Wait {
  /** The command's CCWs (the first and its data-chained ones), as fetched. */
  chain: Ccw[];
  /** Virtual time the program reached this command. */
  time: number;
}

/** One device and its subchannel state. */
interface Unit {
  readonly address: number;
  readonly device: Device;
  /** When the I/O interruption is (or becomes) pending; Infinity when none is scheduled. */
  at: number;
  /** The CSW the interruption will store. */
  csw0: number;
  csw1: number;
  /** Non-null while the program waits for the device. */
  wait: Wait | null;
  /** CCWs used so far by the current program (MAX_CCWS bounds TIC loops). */
  used: number;
}

/** Plain-data snapshot of one unit (see `Channel.save`). */
interface UnitState {
  address: number;
  at: number | null;
  csw0: number;
  csw1: number;
  used: number;
  wait: Wait | null;
  device: unknown;
}

/** What the subchannel of a device is doing, for debuggers and CP's QUERY. */
export type UnitStatus = 'none' | 'idle' | 'busy' | 'waiting' | 'interrupt-pending';

/** Store a CSW at LC_CSW (PoO 8.6). */
function storeCsw(mem: Int32Array, w0: number, w1: number): void {
  storeWord(mem, LC_CSW, w0);
  storeWord(mem, LC_CSW + 4, w1);
}

/**
 * The channel subsystem of one machine (real or virtual). Devices are attached at 16-bit
 * addresses; the CPU calls `startIO`, `testIO`, `haltIO`, `nextInterruptTime` and
 * `takeInterrupt`, passing its storage and the current virtual time.
 */
export class Channel {
  /** Units sorted by address, so that every scan is in a deterministic order. */
  private units: Unit[] = [];
  private byAddress = new Map<number, Unit>();
  /** Storage of the last START I/O: where a waiting program resumes (not part of snapshots). */
  private mem: Int32Array | null = null;

  /** Subscribers to every CCW used (TICs included); with none, no event object is made. */
  readonly ccws = new Listeners<CcwEvent>();

  /** Attach a device at `address` (0-0xFFFF). Throws on a duplicate: a configuration bug. */
  attach(address: number, device: Device): void {
    if (!Number.isInteger(address) || address < 0 || address > 0xffff) throw new RangeError(`bad device address ${address}`);
    if (this.byAddress.has(address)) throw new Error(`device ${address.toString(16)} is already attached`);
    const u: Unit = { address, device, at: Infinity, csw0: 0, csw1: 0, wait: null, used: 0 };
    this.byAddress.set(address, u);
    this.units.push(u);
    this.units.sort((a, b) => a.address - b.address);
  }

  /** Detach a device (any operation and pending interruption are dropped). */
  detach(address: number): void {
    const u = this.byAddress.get(address);
    if (!u) return;
    this.byAddress.delete(address);
    this.units.splice(this.units.indexOf(u), 1);
  }

  /** The device at `address`, if any. */
  device(address: number): Device | undefined { return this.byAddress.get(address)?.device; }

  /** Attached device addresses, ascending. */
  addresses(): number[] { return this.units.map((u) => u.address); }

  /** What the device's subchannel is doing at time `now`. */
  status(address: number, now: number): UnitStatus {
    const u = this.byAddress.get(address);
    if (!u) return 'none';
    if (u.wait !== null) return 'waiting';
    if (u.at === Infinity) return 'idle';
    return u.at > now ? 'busy' : 'interrupt-pending';
  }

  /**
   * START I/O (PoO 8.8.1). CC 3: no such device. CC 2: busy, or an interruption is pending for
   * it. CC 1: the program failed before any command reached the device (bad CAW, bad first CCW
   * or its data chain): CSW stored, device left available. CC 0: started; the interruption
   * follows at now + latency.
   */
  startIO(address: number, mem: Int32Array, now: number): number {
    const u = this.byAddress.get(address);
    if (!u) return 3;
    if (u.wait !== null || u.at !== Infinity) return 2;
    this.mem = mem;
    const caw = loadWord(mem, LC_CAW);
    if (cawError(caw) !== null) {
      storeCsw(mem, 0, CHAN_PROGRAM_CHECK << 16); // no CCW was used: address field 0
      return 1;
    }
    u.used = 0;
    if (this.run(u, mem, now, caw & 0x00ff_ffff, null)) return 0;
    storeCsw(mem, u.csw0, u.csw1);
    u.csw0 = u.csw1 = 0;
    return 1;
  }

  /**
   * TEST I/O (PoO 8.8.2). CC 3: no such device. CC 2: operation in progress (or waiting).
   * CC 1: interruption pending: its CSW is stored and the interruption cleared. CC 0: available.
   */
  testIO(address: number, mem: Int32Array, now: number): number {
    const u = this.byAddress.get(address);
    if (!u) return 3;
    if (u.wait !== null) return 2;
    if (u.at === Infinity) return 0;
    if (u.at > now) return 2;
    storeCsw(mem, u.csw0, u.csw1);
    this.clear(u);
    return 1;
  }

  /**
   * HALT I/O (PoO 8.8.3), simplified. CC 3: no such device. CC 1: an operation was in progress
   * (busy or waiting): it ends now, the interruption becomes pending at `now`; the CSW is stored
   * by that interruption, not by HALT I/O. A waiting command ends with CE|DE, nothing
   * transferred (residual = its count, no incorrect length); a busy one keeps the CSW it already
   * had (its data moved at START I/O time). CC 0: nothing to halt (idle, or an interruption is
   * already pending, which is left alone). `mem` is unused; it is there for a uniform signature.
   */
  haltIO(address: number, _mem: Int32Array, now: number): number {
    const u = this.byAddress.get(address);
    if (!u) return 3;
    if (u.wait !== null) {
      const c = u.wait.chain[0];
      u.wait = null;
      u.csw0 = (c.address + 8) & 0x00ff_ffff;
      u.csw1 = (CE_DE << 24) | c.count;
      u.at = now;
      return 1;
    }
    if (u.at !== Infinity && u.at > now) { u.at = now; return 1; }
    return 0;
  }

  /**
   * The host delivered input for a waiting device (a line typed at the console): the waiting
   * program resumes at that CCW, at max(now, the time it started waiting). Returns true when a
   * program was waiting. `mem` defaults to the storage of the last START I/O.
   */
  inputArrived(address: number, now: number, mem: Int32Array | null = this.mem): boolean {
    const u = this.byAddress.get(address);
    if (!u || u.wait === null) return false;
    if (mem === null) throw new Error('inputArrived: no storage known for the waiting channel program');
    const w = u.wait;
    u.wait = null;
    this.run(u, mem, Math.max(now, w.time), 0, w.chain);
    return true;
  }

  /** Earliest time an interruption is or becomes pending; Infinity if none. */
  nextInterruptTime(): number {
    let t = Infinity;
    for (const u of this.units) if (u.at < t) t = u.at;
    return t;
  }

  /**
   * Take the I/O interruption pending at `now` (earliest first, ties by lowest address): store
   * its CSW at LC_CSW, clear it, return the device address (the CPU stores it at LC_IO_ADDR).
   * Returns -1 when none is pending.
   */
  takeInterrupt(mem: Int32Array, now: number): number {
    let best: Unit | null = null;
    for (const u of this.units) if (u.at <= now && (best === null || u.at < best.at)) best = u;
    if (best === null) return -1;
    storeCsw(mem, best.csw0, best.csw1);
    this.clear(best);
    return best.address;
  }

  /** I/O system reset: every operation and pending interruption is dropped (devices keep their media). */
  reset(): void {
    for (const u of this.units) { this.clear(u); u.wait = null; }
  }

  /** Deep snapshot of every subchannel and device (plain, structured-clone-friendly data). */
  save(): unknown {
    return {
      units: this.units.map((u): UnitState => ({
        address: u.address,
        at: u.at === Infinity ? null : u.at,
        csw0: u.csw0,
        csw1: u.csw1,
        used: u.used,
        wait: u.wait === null ? null : { time: u.wait.time, chain: u.wait.chain.map((c) => ({ ...c })) },
        device: u.device.save ? u.device.save() : null,
      })),
    };
  }

  /** Restore a `save()` snapshot. The same devices must be attached at the same addresses. */
  restore(state: unknown): void {
    const units = (state as { units: UnitState[] }).units;
    for (const u of this.units) { this.clear(u); u.wait = null; }
    for (const s of units) {
      const u = this.byAddress.get(s.address);
      if (!u) throw new Error(`restore: no device at ${s.address.toString(16)}`);
      u.at = s.at === null ? Infinity : s.at;
      u.csw0 = s.csw0;
      u.csw1 = s.csw1;
      u.used = s.used;
      u.wait = s.wait === null ? null : { time: s.wait.time, chain: s.wait.chain.map((c) => ({ ...c })) };
      if (u.device.restore && s.device !== null) u.device.restore(s.device);
    }
  }

  private clear(u: Unit): void {
    u.at = Infinity;
    u.csw0 = u.csw1 = 0;
  }

  /**
   * Run a channel program from the CCW at `next` (or from a waiting command's `chain`) at time
   * `time`. Sets the unit's CSW; returns false when it failed before any command reached the
   * device (START I/O then gives CC 1), true otherwise (interruption scheduled, or waiting).
   */
  private run(u: Unit, mem: Int32Array, time: number, next: number, waiting: Ccw[] | null): boolean {
    let t = time;
    let sent = waiting !== null;
    let chain = waiting;
    let addr = next;
    let afterTic = false;
    for (;;) {
      if (chain === null) {
        // Fetch one command: its CCW and the CCWs data-chained to it (PoO 8.4.1), through TICs.
        chain = [];
        let chained = false;
        for (;;) {
          if (u.used >= MAX_CCWS) return this.programCheck(u, addr, t, sent);
          u.used++;
          const c = fetchCcw(mem, addr, chained, afterTic);
          if (typeof c === 'string') return this.programCheck(u, addr, t, sent);
          if (this.ccws.active) {
            this.ccws.emit({ device: u.address, ccwAddress: addr, command: c.command, dataAddress: c.dataAddress, flags: c.flags, count: c.count, time: t });
          }
          if (isTic(c.command)) { afterTic = true; addr = c.dataAddress; continue; }
          afterTic = false;
          chain.push(c);
          if ((c.flags & CCW_CD) === 0) break;
          chained = true;
          addr += 8;
        }
      }

      const cmd = chain[0].command;
      const input = isInputCommand(cmd);
      let total = 0;
      for (const c of chain) total += c.count;
      let out: Uint8Array | null = null;
      if (!input) {
        // Gather only what the device takes (its record: PoO 8.5), never the chain's whole count:
        // 4,096 data-chained CCWs of 65,535 bytes would otherwise be a quarter gigabyte per START I/O.
        const take = Math.min(total, u.device.outputLimit ? Math.max(0, u.device.outputLimit(cmd)) : MAX_OUTPUT_RECORD);
        out = new Uint8Array(take);
        let o = 0;
        for (const c of chain) {
          const k = Math.min(c.count, take - o);
          if (k <= 0) break;
          for (let i = 0; i < k; i++) out[o++] = loadByte(mem, c.dataAddress + i);
        }
      }
      const r = u.device.command(cmd, out, total);
      sent = true;
      if (r.pending) {
        u.wait = { chain, time: t };
        u.at = Infinity;
        return true;
      }
      t += Math.max(1, r.latency);
      const length = r.length ?? (input ? (r.data ? r.data.length : 0) : total);
      const n = Math.max(0, Math.min(length, total));
      if (input && r.data) {
        // Scatter across the chain; SKIP counts bytes without storing them (PoO 8.4.2).
        const m = Math.min(n, r.data.length);
        let o = 0;
        for (const c of chain) {
          const k = Math.min(c.count, m - o);
          if (k <= 0) break;
          if ((c.flags & CCW_SKIP) === 0) for (let i = 0; i < k; i++) storeByte(mem, c.dataAddress + i, r.data[o + i]);
          o += k;
        }
      }
      // The CCW in use when the device ended: the first whose count was not used up (PoO 8.6.1).
      let k = chain.length - 1;
      let before = total - chain[k].count;
      if (n < total) {
        k = 0;
        before = 0;
        while (before + chain[k].count <= n) before += chain[k++].count;
      }
      const cur = chain[k];
      const residual = cur.count - (n - before);
      let chan = 0;
      // PoO 8.5: incorrect length, unless SLI; not reported with unit check or unit exception.
      if (length !== total && (cur.flags & CCW_SLI) === 0 && (r.status & (UNIT_CHECK | UNIT_EXCEPTION)) === 0) {
        chan |= CHAN_INCORRECT_LENGTH;
      }
      // PoO 8.4.3: command chaining only after a clean CE|DE, from a CCW that does not also chain data.
      if (r.status === CE_DE && chan === 0 && (cur.flags & (CCW_CC | CCW_CD)) === CCW_CC) {
        addr = cur.address + 8;
        chain = null;
        continue;
      }
      u.csw0 = (cur.address + 8) & 0x00ff_ffff;
      u.csw1 = ((r.status & 0xff) << 24) | (chan << 16) | residual;
      u.at = t;
      return true;
    }
  }

  /** Channel program check at the CCW at `addr` (PoO 8.6.2): unit status 0, residual 0. */
  private programCheck(u: Unit, addr: number, t: number, sent: boolean): boolean {
    u.csw0 = (addr + 8) & 0x00ff_ffff;
    u.csw1 = CHAN_PROGRAM_CHECK << 16;
    if (sent) u.at = t;
    return sent;
  }
}
