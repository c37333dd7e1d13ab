/**
 * CP's operator commands on a virtual machine, as VM/370 offered them at every virtual console:
 * DISPLAY (registers, control registers, PSW, storage), STORE (the same), ADSTOP (stop the VM
 * when it reaches an instruction address) and BEGIN (resume it). Addresses are guest-real: the
 * VM's own storage is all a command can reach. A command with a bad operand says why and changes
 * nothing. (The single-program debugger, `tinycp debug`, has richer versions with symbols.)
 */
import { pswValid } from '../cpu/lowcore.ts';
import { readBytes, writeBytes } from '../cpu/storage.ts';
import { dumpLines, registerLines } from './display.ts';
import { hex } from '../cpu/hex.ts';
import { pswState } from './narrate.ts';
import { tableLines, translateLines } from './translate.ts';
import type { VirtualMachine } from './vm.ts';

type Say = (line: string) => void;

/** A hex operand: `1F`, `X'1F'` or `0x1F`; undefined when it is not one. */
export function hexOperand(text: string | undefined): number | undefined {
  const m = /^(?:X'([0-9A-F]+)'|0X([0-9A-F]+)|([0-9A-F]+))$/i.exec((text ?? '').trim());
  const digits = m?.[1] ?? m?.[2] ?? m?.[3];
  return digits !== undefined && digits.length <= 8 ? parseInt(digits, 16) >>> 0 : undefined;
}

/** STORE's bytes: each value is 1, 2 or 4 bytes by its number of hex digits (2, 4 or more). */
export function storeValueBytes(texts: readonly string[], values: readonly number[]): number[] {
  const bytes: number[] = [];
  texts.forEach((t, i) => {
    const digits = t.replace(/^X'|'$|^0X/gi, '').length;
    const width = digits <= 2 ? 1 : digits <= 4 ? 2 : 4;
    for (let k = width - 1; k >= 0; k--) bytes.push((values[i] >>> (8 * k)) & 0xff);
  });
  return bytes;
}

/** How a front reads a storage operand: CP takes hex addresses, the debugger symbols too. */
export interface StorageOperand {
  /** The address a word names, or undefined. */
  resolve(text: string): number | undefined;
  /** What `resolve` takes, for the reason a word is refused ("a hex address"). */
  what: string;
  /** Bytes of storage a command may reach, and their name in messages ("the VM's storage"). */
  size: number;
  storage: string;
  /** Length when none is given, and the most one command shows. */
  defaultLength: number;
  maxLength: number;
}

/** `addr`, `addr.len` or `addr-addr` (len hex) inside the storage: [address, length], or the reason not. */
export function storageRange(text: string, o: StorageOperand): [number, number] | string {
  const m = /^([^.-]+)(?:\.([^.-]+)|-([^.-]+))?$/.exec(text);
  const a = m ? o.resolve(m[1]) : undefined;
  if (!m || a === undefined) return `'${m?.[1] ?? text}' is not ${o.what} (or address.length, address-address)`;
  let len: number | undefined = o.defaultLength;
  if (m[2] !== undefined) len = hexOperand(m[2]);
  if (m[3] !== undefined) {
    const end = o.resolve(m[3]);
    if (end === undefined || end < a) return `'${m[3]}' is not an address at or after ${hex(a, 6)}`;
    len = end - a + 1;
  }
  if (len === undefined || len <= 0 || len > o.maxLength) return `the length of '${text}' is not between 1 and X'${hex(o.maxLength, 0)}' bytes`;
  if (a + len > o.size) return `${hex(a, 6)}.${hex(len, 0)} is outside ${o.storage} (0-${hex(o.size - 1, 6)})`;
  return [a, len];
}

/** `r` or `r-r` (decimal register numbers 0-15); none: all sixteen. CP's and the debugger's. */
export function registerRange(text: string | undefined): [number, number] | string {
  if (text === undefined) return [0, 15];
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  const f = m ? Number(m[1]) : NaN, t = m?.[2] !== undefined ? Number(m[2]) : f;
  return m && f <= t && t <= 15 ? [f, t] : `'${text}' is not a register or register range (0-15)`;
}

/** DISPLAY G [r[-r]] | C [r[-r]] | PSW | TLB | SHADOW | addr[.len] | addr-addr. */
export function displayCommand(vm: VirtualMachine, args: string[], say: Say): boolean {
  const what = (args[0] ?? 'G').toUpperCase();
  // PoO 6.3: the VM's TLB is CP's shadow table (the real TLB holds it while the VM runs).
  if (what === 'SHADOW' || what === 'TLB') {
    for (const l of tableLines(what === 'TLB' ? 'TLB (CP\'s shadow table of this VM)' : 'CP SHADOW TABLE', vm.shadow)) say(l);
    return true;
  }
  if (what === 'G' || what === 'C') {
    const r = registerRange(args[1]);
    if (typeof r === 'string') { say(`INVALID OPERAND: ${r}`); return false; }
    for (const l of registerLines(what === 'G' ? 'GPR' : 'CR ', what === 'G' ? vm.gpr : vm.cr, r[0], r[1])) say(l);
    return true;
  }
  if (what === 'PSW') {
    say(`PSW = ${hex(vm.pswFlags())} ${hex(vm.ia)}   ${pswState({ flags: vm.pswFlags(), cc: vm.cc, ia: vm.ia })}, CC ${vm.cc}`);
    return true;
  }
  const r = storageRange(args[0] ?? '', {
    resolve: hexOperand, what: 'a hex address', size: vm.size, storage: "the VM's storage", defaultLength: 16, maxLength: 0x1000,
  });
  if (typeof r === 'string') { say(`INVALID OPERAND: ${r}`); return false; }
  for (const l of dumpLines(readBytes(vm.mem, r[0], r[1]), r[0])) say(l);
  return true;
}

/** STORE G r value... | C r value... | PSW w0 w1 | addr value... (hex; 1-, 2- or 4-byte values by their digits). */
export function storeCommand(vm: VirtualMachine, args: string[], say: Say): boolean {
  const what = (args[0] ?? '').toUpperCase();
  const values = args.slice(what === 'PSW' ? 1 : what === 'G' || what === 'C' ? 2 : 1).map(hexOperand);
  const bad = values.findIndex((v) => v === undefined);
  if (values.length === 0 || bad >= 0) {
    say(`INVALID OPERAND: ${values.length === 0 ? 'a value is missing' : `'${args[args.length - values.length + bad]}' is not a hex value`}`);
    return false;
  }
  const v = values as number[];
  if (what === 'G' || what === 'C') {
    const r = Number(args[1]);
    if (!/^\d+$/.test(args[1] ?? '') || r > 15 || r + v.length > 16) {
      say(`INVALID OPERAND: registers ${args[1] ?? '?'} and on do not fit 0-15`);
      return false;
    }
    const cr1 = vm.cr[1];
    (what === 'G' ? vm.gpr : vm.cr).set(v.map((x) => x | 0), r);
    // A new segment-table origin purges the TLB, as LCTL does (PoO 6.3): here the shadow table.
    if (vm.cr[1] !== cr1) vm.purgeTlb();
    say(`STORED ${what === 'G' ? 'GPR' : 'CR'} ${r}${v.length > 1 ? '-' + (r + v.length - 1) : ''}`);
    return true;
  }
  if (what === 'PSW') {
    if (v.length !== 2 || !pswValid(v[0] | 0, v[1])) {
      say('INVALID OPERAND: a PSW is two words with reserved bits zero and a word-aligned 24-bit address');
      return false;
    }
    vm.setPsw(v[0] | 0, v[1]);
    say('STORED PSW');
    return true;
  }
  const a = hexOperand(args[0]);
  const bytes = storeValueBytes(args.slice(1), v);
  if (a === undefined || a + bytes.length > vm.size) { say(`INVALID OPERAND: '${args[0]}' is not an address inside the VM's storage`); return false; }
  writeBytes(vm.mem, a, bytes);
  vm.purgeTlb(); // the guest's tables may have changed under its shadow
  say(`STORED ${bytes.length} BYTE(S) AT ${hex(a, 6)}`);
  return true;
}

/** ADSTOP addr... | OFF [addr...]: the VM stops before executing an instruction at an address. */
export function adstopCommand(vm: VirtualMachine, args: string[], say: Say): boolean {
  if (args.length === 0) { say(vm.adstops.size ? `ADSTOP ${[...vm.adstops].map((a) => hex(a, 6)).join(' ')}` : 'NO ADSTOP SET'); return true; }
  const off = args[0].toUpperCase() === 'OFF';
  const addrs = (off ? args.slice(1) : args).map(hexOperand);
  const bad = addrs.findIndex((a) => a === undefined || (a & 3) !== 0 || a >= vm.size);
  if (bad >= 0) { say(`INVALID OPERAND: '${(off ? args.slice(1) : args)[bad]}' is not a word-aligned address inside the VM's storage`); return false; }
  if (off) { if (addrs.length === 0) vm.adstops.clear(); else for (const a of addrs) vm.adstops.delete(a!); say('ADSTOP OFF'); return true; }
  for (const a of addrs) vm.adstops.add(a!);
  say(`ADSTOP SET AT ${addrs.map((a) => hex(a!, 6)).join(' ')}`);
  return true;
}

/** TRANSLATE vaddr: the guest's table walk, CP's shadow entry and the TLB for one virtual address. */
export function translateCommand(vm: VirtualMachine, args: string[], say: Say): boolean {
  const va = hexOperand(args[0]);
  if (va === undefined || args.length !== 1 || va > 0xffffff) {
    say(`INVALID OPERAND: '${args.join(' ')}' is not one hex virtual address (0-FFFFFF)`);
    return false;
  }
  for (const l of translateLines({ mem: vm.mem, cr1: vm.cr[1], flags: vm.flags, shadow: vm.shadow, tlb: vm.shadow }, va)) say(l);
  return true;
}
