/**
 * The demo directory (programs/demo/user.direct, bundled) read for the page, and CP's services
 * for its users kept in memory: the spool (punch decks into readers), QUERY NAMES / VIRTUAL /
 * READER, IPL, SYSTEM RESET, LOGOFF. The node system (src/timesharing: directory.ts, time-sharing-system.ts,
 * spool.ts) keeps these on the host's file system; this is the same behaviour with no files.
 * Only the statements the demo uses are read (USER, IPL, MDISK, SPOOL, LINK, INPUT); LINK is
 * reported as not available (a minidisk shared between two VMs needs the node system's images).
 */
import { RC_NOT_ALLOWED, RC_OK, RC_OPERAND, type CpServices } from '../../src/monitor/commands.ts';
import type { VirtualMachine } from '../../src/monitor/vm.ts';

export interface DirUser {
  name: string; storage: number; ipl: string | null; disk: number | null;
  reader: boolean; punch: boolean; links: string[];
}
export interface DemoDirectory { users: DirUser[]; script: { user: string; text: string }[] }

/** Read the directory text; IPL paths become paths relative to programs/ (as FILES names them). */
export function readDirectory(text: string, dir = 'demo'): DemoDirectory {
  const users: DirUser[] = [], script: DemoDirectory['script'] = [];
  const path = (p: string) => {
    const out: string[] = [];
    for (const part of `${dir}/${p}`.split('/')) { if (part === '..') out.pop(); else if (part && part !== '.') out.push(part); }
    return out.join('/');
  };
  for (const raw of text.split('\n')) {
    if (/^\s*(\*|$)/.test(raw)) continue;
    const w = raw.trim().split(/\s+/), key = w[0].toUpperCase(), u = users[users.length - 1];
    if (key === 'USER') {
      const m = /^(\d+)([KM])$/i.exec(w[3] ?? '');
      users.push({ name: w[1].toUpperCase(), storage: m ? Number(m[1]) * (m[2].toUpperCase() === 'M' ? 1 << 20 : 1024) : 65536, ipl: null, disk: null, reader: false, punch: false, links: [] });
    } else if (key === 'INPUT') script.push({ user: (w[1] ?? '').toUpperCase(), text: raw.replace(/^\s*INPUT\s+\S+ ?/i, '') });
    else if (!u) continue;
    else if (key === 'IPL') u.ipl = path(w[1]);
    else if (key === 'MDISK' && w[1] === '191') u.disk = Number(w[4]);
    else if (key === 'SPOOL') { if (/^READER$/i.test(w[2])) u.reader = true; if (/^PUNCH$/i.test(w[2])) u.punch = true; }
    else if (key === 'LINK') u.links.push(w.slice(1).join(' '));
  }
  return { users, script };
}

/** What the services need of the system that runs the users. */
export interface SpoolHost {
  names(): { name: string; state: string }[];
  vmOf(name: string): VirtualMachine | undefined;
  /** Cards punched and not yet closed, and where they go. */
  punchOf(name: string): { cards: Uint8Array[]; to: string } | undefined;
  /** Put a deck in a user's reader. */
  deliver(to: string, cards: Uint8Array[]): void;
  readerFiles(name: string): { from: string; id: number; records: number; name: string }[];
  ipl(name: string): string | null;
  reset(name: string): void;
  logoff(name: string): void;
  /** Run `f` once the VM is off the real CPU (a command it issues about itself). */
  whenOff(name: string, f: () => void): void;
}

const hex3 = (v: number) => v.toString(16).toUpperCase().padStart(3, '0');

/** CP's services over an in-memory spool (the node system's are in src/timesharing/services.ts). */
export function webServices(h: SpoolHost): CpServices {
  const notAvailable = (say: (l: string) => void) => { say('NOT AVAILABLE IN THE BROWSER'); return RC_NOT_ALLOWED; };
  return {
    names(say) {
      const list = h.names().map((u) => `${u.name} - ${u.state.toUpperCase()}`);
      for (let i = 0; i < list.length; i += 4) say(list.slice(i, i + 4).join(' , '));
      return RC_OK;
    },
    virtual(vm, say) {
      say(`STORAGE = ${vm.size / 1024}K  STATE = ${vm.state.toUpperCase()}`);
      say('CONS 009 3215');
      const p = h.punchOf(vm.name);
      say(`RDR  00C 2540R  ${h.readerFiles(vm.name).length} FILE(S)`);
      if (p) say(`PUN  00D 2540P  TO ${p.to}  ${p.cards.length} CARD(S) OPEN`);
      return RC_OK;
    },
    reader(vm, say) {
      const files = h.readerFiles(vm.name);
      if (files.length === 0) { say('NO RDR FILES'); return RC_OK; }
      say('ORIGINID FILE CLASS RECDS NAME');
      for (const f of files) say(`${f.from.padEnd(8)} ${String(f.id).padStart(4, '0')} PUN   ${String(f.records).padStart(5)} ${f.name}`);
      return RC_OK;
    },
    ipl(vm, say) { h.whenOff(vm.name, () => { const e = h.ipl(vm.name); if (e) say(e); }); return RC_OK; },
    systemReset(vm, say) { h.whenOff(vm.name, () => { h.reset(vm.name); say('SYSTEM RESET: THE VM IS STOPPED UNTIL IPL'); }); return RC_OK; },
    spool(vm, device, to, say) {
      const p = h.punchOf(vm.name);
      if (!'PUNCH'.startsWith(device) || device.length < 2) { say(`SPOOL ${device}: ONLY THE PUNCH CAN BE SPOOLED TO A USER`); return RC_OPERAND; }
      if (!p) { say('NO VIRTUAL PUNCH'); return RC_NOT_ALLOWED; }
      const target = to === '*' ? vm.name : to;
      if (!h.names().some((u) => u.name === target)) { say(`USERID ${target} NOT IN CP DIRECTORY`); return RC_OPERAND; }
      p.to = target;
      say(`PUN 00D SPOOLED TO ${target}`);
      return RC_OK;
    },
    close(vm, device, _name, say) {
      const p = h.punchOf(vm.name);
      if (!('PUNCH'.startsWith(device) && device.length >= 2) && device !== hex3(0x00d)) { say(`CLOSE ${device}: ONLY THE PUNCH IS SPOOLED HERE`); return RC_OPERAND; }
      if (!p || p.cards.length === 0) { say('PUN: NO CARDS TO CLOSE'); return RC_OK; }
      const cards = p.cards.splice(0);
      h.deliver(p.to, cards);
      say(`PUN FILE TO ${p.to} (${cards.length} CARDS)`);
      return RC_OK;
    },
    link: (_vm, _o, _v, _a, _m, _p, say) => notAvailable(say),
    detach: (_vm, _v, say) => notAvailable(say),
    logoff(vm) { h.whenOff(vm.name, () => h.logoff(vm.name)); return RC_OK; },
    dial: (_vm, _u, say) => notAvailable(say),
    classesOf: () => 'G',
  };
}
