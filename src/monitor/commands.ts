/**
 * CP commands (VM/370's CP command language, abbreviated as VM/370 allowed). This is the part
 * a guest can reach with DIAGNOSE X'08' and the operator with the console; the debugger adds its
 * own commands on top. Responses go to the VM's console; the result is a return code
 * (0 success, 1 unknown command, 2 bad operand, 3 not allowed).
 *
 * Privilege classes (VM/370): each command has classes (`COMMAND_CLASSES`, A operator ... G general
 * user; a command not listed is class G), and a user may issue it only when the directory gives
 * them one of them. A guest's DIAGNOSE X'08' runs with its user's classes only; the real terminal
 * adds class A (system.ts). CP for one VM without a directory has no users: every class.
 */
import type { ControlProgram } from './cp.ts';
import { beginCommand, traceCommand, TRACE_CLASSES } from './trace.ts';
import { adstopCommand, displayCommand, storeCommand, translateCommand } from './operator.ts';
import type { VirtualMachine } from './vm.ts';
import { percentText } from './narrate.ts';

export const RC_OK = 0;
export const RC_UNKNOWN = 1;
export const RC_OPERAND = 2;
export const RC_NOT_ALLOWED = 3;

/**
 * What the time-sharing system (system.ts) offers the command language: the commands that need
 * a directory, a spool or other users. CP for one VM has none of these, and says so.
 * Each takes the issuing VM and a `say` for responses on its console, and returns a return code.
 */
export interface CpServices {
  /** QUERY NAMES: the logged-on users and what each is doing. */
  names(say: Say): number;
  /** QUERY VIRTUAL: the VM's storage and devices. */
  virtual(vm: VirtualMachine, say: Say): number;
  /** QUERY READER: the spool files waiting in the VM's reader. */
  reader(vm: VirtualMachine, say: Say): number;
  /** IPL: reload the VM's program and restart it alone. */
  ipl(vm: VirtualMachine, say: Say): number;
  /** SYSTEM RESET: virtual CPU and channel reset; the VM stops until IPL. */
  systemReset(vm: VirtualMachine, say: Say): number;
  /** SPOOL PUNCH TO user|* (and OFF): where the punch's files go. */
  spool(vm: VirtualMachine, device: string, to: string, say: Say): number;
  /** CLOSE PUNCH|PRINTER|READER [NAME fn ft]. */
  close(vm: VirtualMachine, device: string, name: string | null, say: Say): number;
  /** LINK user vaddr as-vaddr R|W. */
  link(vm: VirtualMachine, owner: string, vaddr: number, as: number, mode: 'R' | 'W', password: string | null, say: Say): number;
  /** DETACH vaddr (a linked minidisk). */
  detach(vm: VirtualMachine, vaddr: number, say: Say): number;
  /** LOGOFF: the VM ends; its punch is closed into the spool. */
  logoff(vm: VirtualMachine, say: Say): number;
  /** DIAL user: attach the terminal to another user's console (interactive front end only). */
  dial(vm: VirtualMachine, user: string, say: Say): number;
  /** The privilege classes of the VM's user (the directory's CLASS; default G). */
  classesOf(vm: VirtualMachine): string;
}
type Say = (line: string) => void;

const SERVICES = new WeakMap<ControlProgram, CpServices>();

/** Install the time-sharing system's services for a CP (system.ts does this once). */
export function provideServices(cp: ControlProgram, services: CpServices): void { SERVICES.set(cp, services); }

/** Run `f` with the services, or refuse: this CP runs one VM without a directory. */
function withServices(cp: ControlProgram, say: Say, f: (s: CpServices) => number): number {
  const s = SERVICES.get(cp);
  if (!s) { say('NOT AVAILABLE: THIS CP RUNS ONE VM WITHOUT A DIRECTORY'); return RC_NOT_ALLOWED; }
  return f(s);
}

const vaddrOf = (t: string | undefined) => (t !== undefined && /^[0-9A-F]{1,4}$/i.test(t) ? parseInt(t, 16) : null);

interface Command {
  name: string;
  /** Shortest accepted abbreviation. */
  min: number;
  help: string;
  run(cp: ControlProgram, vm: VirtualMachine, args: string[], say: (line: string) => void): number;
}

const hex = (v: number, n = 6) => (v >>> 0).toString(16).toUpperCase().padStart(n, '0');

const COMMANDS: Command[] = [
  {
    name: 'QUERY', min: 1, help: 'QUERY TIME | VIRTUAL | NAMES | COUNTERS | READER',
    run(cp, vm, args, say) {
      const what = (args[0] ?? 'VIRTUAL').toUpperCase();
      if ('TIME'.startsWith(what)) { say(`TIME: ${vm.now} INSTRUCTIONS (VIRTUAL), TOD ${vm.clocks.tod(vm.now)}`); return RC_OK; }
      if ('NAMES'.startsWith(what)) {
        const s = SERVICES.get(cp);
        if (s) return s.names(say);
        say(cp.vms.filter((v) => v.state !== 'logged-off').map((v) => v.name).join(' , '));
        return RC_OK;
      }
      if (what.length >= 3 && ('READER'.startsWith(what) || 'RDR' === what || 'FILES'.startsWith(what))) return withServices(cp, say, (s) => s.reader(vm, say));
      if ('COUNTERS'.startsWith(what)) {
        const c = vm.counters;
        say(`DIRECT ${c.direct} HANDLED ${c.handled} EFFICIENCY ${percentText(c.efficiency, 2)}`);
        say(Object.entries(c.entries).map(([k, v]) => `${k.toUpperCase()} ${v}`).join(' '));
        return RC_OK;
      }
      if ('VIRTUAL'.startsWith(what)) {
        const s = SERVICES.get(cp);
        if (s) return s.virtual(vm, say);
        say(`STORAGE = ${vm.size / 1024}K  PSW = ${hex(vm.pswFlags(), 8)} ${hex(vm.ia, 8)}  STATE = ${vm.state.toUpperCase()}`);
        return RC_OK;
      }
      say(`INVALID OPERAND: ${what}`);
      return RC_OPERAND;
    },
  },
  {
    name: 'TRACE', min: 2, help: 'TRACE class... [code] [RUN|NORUN|OFF] | END: narrate (RUN) or stop on (NORUN) this VM\'s traps; classes ' + TRACE_CLASSES.join(' '),
    run(cp, vm, args, say) { return traceCommand(cp, vm, args, say) ? RC_OK : RC_OPERAND; },
  },
  {
    name: 'DISPLAY', min: 1, help: 'DISPLAY G [r[-r]] | C [r[-r]] | PSW | TLB | SHADOW | addr[.len] | addr-addr: the VM\'s registers, PSW, shadow table or storage (hex)',
    run(_cp, vm, args, say) { return displayCommand(vm, args, say) ? RC_OK : RC_OPERAND; },
  },
  {
    name: 'TRANSLATE', min: 4, help: 'TRANSLATE vaddr: the guest\'s page-table walk, CP\'s shadow entry and the TLB for a virtual address',
    run(_cp, vm, args, say) { return translateCommand(vm, args, say) ? RC_OK : RC_OPERAND; },
  },
  {
    name: 'STORE', min: 2, help: 'STORE G r value... | C r value... | PSW w0 w1 | addr value...: change the VM\'s registers, PSW or storage (hex)',
    run(_cp, vm, args, say) { return storeCommand(vm, args, say) ? RC_OK : RC_OPERAND; },
  },
  {
    name: 'ADSTOP', min: 2, help: 'ADSTOP addr... | OFF [addr...]: stop the VM before the instruction at an address; BEGIN resumes',
    run(_cp, vm, args, say) { return adstopCommand(vm, args, say) ? RC_OK : RC_OPERAND; },
  },
  {
    name: 'BEGIN', min: 1, help: 'BEGIN: resume this VM after a TRACE NORUN or ADSTOP stop',
    run(cp, vm, _args, say) { return beginCommand(cp, vm, say) ? RC_OK : RC_NOT_ALLOWED; },
  },
  {
    name: 'EXTERNAL', min: 3, help: 'EXTERNAL: press the VM\'s interrupt key (external interruption X\'0040\')',
    run(cp, vm) { vm.clocks.keyPending = true; cp.wake(vm); return RC_OK; },
  },
  {
    name: 'MESSAGE', min: 3, help: 'MESSAGE user text: write a line on another VM\'s console',
    run(cp, vm, args, say) {
      const to = cp.vm(args[0] ?? '');
      if (!to) { say(`USERID ${args[0] ?? ''} NOT LOGGED ON`); return RC_OPERAND; }
      to.consoleWrite?.(`MSG FROM ${vm.name}: ${args.slice(1).join(' ')}`);
      return RC_OK;
    },
  },
  {
    name: 'IPL', min: 1, help: 'IPL: load the directory\'s program into this VM and start it (this VM alone)',
    run(cp, vm, _args, say) { return withServices(cp, say, (s) => s.ipl(vm, say)); },
  },
  {
    name: 'SYSTEM', min: 3, help: 'SYSTEM RESET: reset the virtual CPU and channel; the VM stops until IPL',
    run(cp, vm, args, say) {
      if (!'RESET'.startsWith((args[0] ?? '').toUpperCase()) || !args[0]) { say('SYSTEM: OPERAND MUST BE RESET'); return RC_OPERAND; }
      return withServices(cp, say, (s) => s.systemReset(vm, say));
    },
  },
  {
    name: 'SPOOL', min: 2, help: 'SPOOL PUNCH TO user|* : send what this VM punches to a user\'s reader',
    run(cp, vm, args, say) {
      const dev = (args[0] ?? '').toUpperCase(), kw = (args[1] ?? '').toUpperCase();
      if (!dev || (kw !== 'TO' && kw !== 'OFF') || (kw === 'TO' && !args[2])) { say('SPOOL: USE SPOOL PUNCH TO user|*'); return RC_OPERAND; }
      return withServices(cp, say, (s) => s.spool(vm, dev, kw === 'OFF' ? '*' : args[2].toUpperCase(), say));
    },
  },
  {
    name: 'CLOSE', min: 1, help: 'CLOSE PUNCH|PRINTER|READER [NAME fn ft]: close a spool file',
    run(cp, vm, args, say) {
      const dev = (args[0] ?? '').toUpperCase();
      if (!dev) { say('CLOSE: DEVICE MISSING (PUNCH, PRINTER, READER)'); return RC_OPERAND; }
      const name = (args[1] ?? '').toUpperCase() === 'NAME' && args[2] ? args.slice(2, 4).join(' ').toUpperCase() : null;
      return withServices(cp, say, (s) => s.close(vm, dev, name, say));
    },
  },
  {
    name: 'LINK', min: 4, help: 'LINK user vaddr as-vaddr R|W [password]: use another user\'s minidisk (the MDISK password for the mode)',
    run(cp, vm, args, say) {
      const v = vaddrOf(args[1]), as = vaddrOf(args[2]), mode = (args[3] ?? 'R').toUpperCase();
      if (!args[0] || v === null || as === null || (mode !== 'R' && mode !== 'W') || args.length > 5) { say('LINK: USE LINK user vaddr as-vaddr R|W [password]'); return RC_OPERAND; }
      return withServices(cp, say, (s) => s.link(vm, args[0].toUpperCase(), v, as, mode, args[4] ?? null, say));
    },
  },
  {
    name: 'DETACH', min: 3, help: 'DETACH vaddr: remove a linked minidisk from this VM',
    run(cp, vm, args, say) {
      const v = vaddrOf(args[0]);
      if (v === null) { say('DETACH: USE DETACH vaddr'); return RC_OPERAND; }
      return withServices(cp, say, (s) => s.detach(vm, v, say));
    },
  },
  {
    name: 'LOGOFF', min: 3, help: 'LOGOFF: end this VM; its punch is closed into the spool',
    run(cp, vm, _args, say) { return withServices(cp, say, (s) => s.logoff(vm, say)); },
  },
  {
    name: 'DIAL', min: 4, help: 'DIAL user: attach the terminal to that user\'s console (interactive)',
    run(cp, vm, args, say) {
      if (!args[0]) { say('DIAL: USE DIAL user'); return RC_OPERAND; }
      return withServices(cp, say, (s) => s.dial(vm, args[0].toUpperCase(), say));
    },
  },
];

/** VM/370's spellings that are not abbreviations. */
const ALIASES: Record<string, string> = { MSG: 'MESSAGE', RDR: 'READER' };

/** Find a command by name or abbreviation. */
export function findCommand(word: string): Command | undefined {
  const w = ALIASES[word.toUpperCase()] ?? word.toUpperCase();
  return COMMANDS.find((c) => w.length >= c.min && c.name.startsWith(w));
}

/**
 * VM/370's privilege classes of each command: A system operator, B system resources, C system
 * programmer, D spooling, E analyst, F service, G general user. A command not listed is G.
 * DIAL attaches the real terminal (the operator's console) to another user: class A, so no guest
 * can take the terminal over through DIAGNOSE X'08'.
 */
export const COMMAND_CLASSES: Readonly<Record<string, string>> = {
  QUERY: 'ABCDEFG', MESSAGE: 'ABCDEFG', LOGOFF: 'ABCDEFG', DIAL: 'A',
};

/** The classes a command needs (any one of them). */
export function commandClasses(name: string): string { return Object.hasOwn(COMMAND_CLASSES, name) ? COMMAND_CLASSES[name] : 'G'; }

/**
 * Run one CP command line for `vm`, with privilege classes `classes` (default: the user's, from
 * the directory; every class when this CP has no directory).
 */
export function runCommand(cp: ControlProgram, vm: VirtualMachine, text: string, classes?: string): number {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const say = (line: string) => vm.consoleWrite?.(line);
  if (words.length === 0) return RC_OK;
  const cmd = findCommand(words[0]);
  if (!cmd) { say(`UNKNOWN CP COMMAND: ${words[0].toUpperCase()}`); return RC_UNKNOWN; }
  const have = classes ?? SERVICES.get(cp)?.classesOf(vm) ?? 'ABCDEFGH';
  const need = commandClasses(cmd.name);
  if (![...need].some((c) => have.includes(c))) {
    say(`HCPCFM: ${cmd.name} IS A CLASS ${need} COMMAND; USER ${vm.name} HAS CLASS ${have || '(NONE)'}: NOT ALLOWED`);
    return RC_NOT_ALLOWED;
  }
  return cmd.run(cp, vm, words.slice(1), say);
}
