/**
 * The CP commands that need the time-sharing system (VM/370's DMKCFM command modules): QUERY
 * NAMES / VIRTUAL / READER, IPL, SYSTEM RESET, SPOOL, CLOSE, LINK, DETACH, LOGOFF, DIAL. The
 * command language (parsing, abbreviations, privilege classes) is commands.ts; this file is what
 * they do.
 *
 * A command may arrive by DIAGNOSE X'08' from the very VM it is about, while that VM is on the
 * real CPU: IPL, SYSTEM RESET and LOGOFF then stop the VM at once and take effect when the real
 * CPU has given it back (`TimeSharingSystem.defer`), so CP never rewrites a VM mid-instruction.
 */
import { RC_NOT_ALLOWED, RC_OK, RC_OPERAND, type CpServices } from '../monitor/commands.ts';
import type { TimeSharingSystem, UserVm } from './time-sharing-system.ts';
import { stateText } from './report.ts';
import type { VirtualMachine } from '../monitor/vm.ts';
import { hex } from '../cpu/hex.ts';

const id4 = (n: number) => String(n).padStart(4, '0');

export function makeServices(sys: TimeSharingSystem): CpServices {
  const userOf = (vm: VirtualMachine): UserVm | undefined => sys.users.get(vm.name);
  /** Run now, or after the VM leaves the real CPU when it is the one running. */
  const whenOff = (u: UserVm, f: () => void) => { if (sys.running === u) sys.defer(u, f); else f(); };
  const notOn = (vm: VirtualMachine, say: (l: string) => void) => { say(`USERID ${vm.name} NOT LOGGED ON`); return RC_NOT_ALLOWED; };

  return {
    names(say) {
      const list = [...sys.users.values()].map((u) => `${u.entry.name} - ${stateText(u.vm).toUpperCase()}`);
      for (let i = 0; i < list.length; i += 4) say(list.slice(i, i + 4).join(' , '));
      if (list.length === 0) say('NO USERS LOGGED ON');
      return RC_OK;
    },

    virtual(vm, say) {
      const u = userOf(vm); if (!u) return notOn(vm, say);
      say(`STORAGE = ${vm.size / 1024}K  STATE = ${stateText(vm).toUpperCase()}  PSW = ${hex(vm.pswFlags(), 8)} ${hex(vm.ia, 8)}`);
      say(`CONS ${hex(u.consoleAddr, 3)} 3215`);
      if (u.reader) say(`RDR  ${hex(u.reader.addr, 3)} 2540R  ${sys.spool.readerFiles(vm.name).length} FILE(S)`);
      if (u.punch) say(`PUN  ${hex(u.punch.addr, 3)} 2540P  TO ${u.punch.to}  ${u.punch.cards.length} CARD(S) OPEN`);
      if (u.printer) say(`PRT  ${hex(u.printer.addr, 3)} 1403   TO ${u.printer.path}`);
      for (const [addr, d] of [...u.disks].sort((a, b) => a[0] - b[0])) {
        const own = d.owner === vm.name && d.ownerVaddr === addr ? 'OWN' : `LINK ${d.owner} ${hex(d.ownerVaddr, 3)}`;
        say(`DASD ${hex(addr, 3)} 3310   ${d.readOnly ? 'R/O' : 'R/W'}  ${d.blocks} BLK  ${own}`);
      }
      return RC_OK;
    },

    reader(vm, say) {
      const files = sys.spool.readerFiles(vm.name);
      if (files.length === 0) { say('NO RDR FILES'); return RC_OK; }
      say('ORIGINID FILE CLASS RECDS NAME');
      for (const f of files) say(`${f.from.padEnd(8)} ${id4(f.id)} ${f.kind}   ${String(f.records).padStart(5)} ${f.name}`);
      return RC_OK;
    },

    ipl(vm, say) {
      const u = userOf(vm); if (!u) return notOn(vm, say);
      let rc = RC_OK;
      whenOff(u, () => { const e = sys.ipl(u.entry.name); if (e) { say(e); rc = RC_NOT_ALLOWED; } });
      return rc;
    },

    systemReset(vm, say) {
      const u = userOf(vm); if (!u) return notOn(vm, say);
      whenOff(u, () => {
        vm.reset();
        u.channel.reset();
        sys.cp.stopVm(vm, 'operator', 0, 'SYSTEM RESET');
        u.reported = true;
        say('SYSTEM RESET: THE VM IS STOPPED UNTIL IPL');
      });
      return RC_OK;
    },

    spool(vm, device, to, say) {
      const u = userOf(vm); if (!u) return notOn(vm, say);
      if (!'PUNCH'.startsWith(device) || device.length < 2) { say(`SPOOL ${device}: ONLY THE PUNCH CAN BE SPOOLED TO A USER`); return RC_OPERAND; }
      if (!u.punch) { say('NO VIRTUAL PUNCH'); return RC_NOT_ALLOWED; }
      const target = to === '*' ? vm.name : to;
      if (!sys.dir.users.some((x) => x.name === target)) { say(`USERID ${target} NOT IN CP DIRECTORY`); return RC_OPERAND; }
      u.punch.to = target;
      say(`PUN ${hex(u.punch.addr, 3)} SPOOLED TO ${target}`);
      return RC_OK;
    },

    close(vm, device, name, say) {
      const u = userOf(vm); if (!u) return notOn(vm, say);
      const is = (full: string, short: string) => full.startsWith(device) || device === short;
      if (is('PUNCH', 'PUN') && device.length >= 2 || (u.punch && device === hex(u.punch.addr, 3))) {
        const msg = sys.closePunch(u, name);
        say(msg ?? 'PUN: NO CARDS TO CLOSE');
        return RC_OK;
      }
      if (is('READER', 'RDR') && device.length >= 2 || (u.reader && device === hex(u.reader.addr, 3))) {
        const f = u.reader?.dev.reading;
        u.reader?.dev.close();
        say(f ? `RDR FILE ${id4(f.id)} PURGED` : 'RDR: NO FILE OPEN');
        return RC_OK;
      }
      if (is('PRINTER', 'PRT') && device.length >= 2 || (u.printer && device === hex(u.printer.addr, 3))) {
        say(u.printer ? `PRT ${hex(u.printer.addr, 3)} CLOSED (OUTPUT IN ${u.printer.path})` : 'NO VIRTUAL PRINTER');
        return RC_OK;
      }
      say(`CLOSE: UNKNOWN DEVICE ${device}`);
      return RC_OPERAND;
    },

    link(vm, owner, vaddr, as, mode, password, say) {
      const u = userOf(vm); if (!u) return notOn(vm, say);
      const e = sys.link(u, owner, vaddr, as, mode, password);
      if (e) { say(e); return RC_NOT_ALLOWED; }
      say(`DASD ${hex(as, 3)} LINKED ${mode === 'W' ? 'R/W' : 'R/O'} TO ${owner} ${hex(vaddr, 3)}`);
      return RC_OK;
    },

    detach(vm, vaddr, say) {
      const u = userOf(vm); if (!u) return notOn(vm, say);
      if (!u.disks.has(vaddr)) { say(`DASD ${hex(vaddr, 3)} NOT ATTACHED`); return RC_OPERAND; }
      u.disks.delete(vaddr);
      u.channel.detach(vaddr);
      say(`DASD ${hex(vaddr, 3)} DETACHED`);
      return RC_OK;
    },

    logoff(vm, say) {
      const u = userOf(vm); if (!u) return notOn(vm, say);
      whenOff(u, () => sys.logoff(u.entry.name));
      return RC_OK;
    },

    classesOf(vm) { return userOf(vm)?.entry.classes ?? 'G'; },

    dial(vm, user, say) {
      if (!sys.users.has(user)) { say(`USERID ${user} NOT LOGGED ON`); return RC_OPERAND; }
      sys.mux.attached = user;
      say(`DIALED TO ${user}`);
      return RC_OK;
    },
  };
}
