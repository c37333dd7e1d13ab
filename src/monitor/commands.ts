/**
 * What CP does for each of its commands (the command language, its table, abbreviations and
 * parser are command-language.ts, shared with the debugger). This is the part a guest can reach
 * with DIAGNOSE X'08' and the operator with the console. Responses go to the VM's console; the
 * result is a return code (0 success, 1 unknown command, 2 bad operand, 3 not allowed).
 *
 * Privilege classes (VM/370): each command has classes (`COMMAND_TABLE`, A operator ... G general
 * user), and a user may issue it only when the directory gives them one of them. A guest's
 * DIAGNOSE X'08' runs with its user's classes only; the real terminal adds class A
 * (src/timesharing/time-sharing-system.ts). CP for one VM without a directory has no users:
 * every class.
 */
import type { ControlProgram } from './cp.ts';
import { commandClasses, parseCommand, type CpCommandName } from './command-language.ts';
import { beginCommand, traceCommand, type TraceState } from './trace.ts';
import { adstopCommand, displayCommand, storeCommand, translateCommand } from './operator.ts';
import type { VirtualMachine } from './vm.ts';
import { percentText } from './narrate.ts';
import { hex } from '../cpu/hex.ts';

export const RC_OK = 0;
export const RC_UNKNOWN = 1;
export const RC_OPERAND = 2;
export const RC_NOT_ALLOWED = 3;

/**
 * What the time-sharing system (src/timesharing) offers the command language: the commands that need
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

/** What the command language keeps for one CP (`ControlProgram.commands`). */
export interface CommandState {
  /** The time-sharing system's services (it installs them once); null: CP runs one VM without a directory. */
  services: CpServices | null;
  /** CP TRACE settings of this CP's VMs (trace.ts). */
  trace: TraceState;
}

/** A CP's command state before any time-sharing system or TRACE. */
export function newCommandState(): CommandState { return { services: null, trace: { rules: new Map(), off: null } }; }

/** Run `f` with the services, or refuse: this CP runs one VM without a directory. */
function withServices(cp: ControlProgram, say: Say, f: (s: CpServices) => number): number {
  const s = cp.commands.services;
  if (!s) { say('NOT AVAILABLE: THIS CP RUNS ONE VM WITHOUT A DIRECTORY'); return RC_NOT_ALLOWED; }
  return f(s);
}

const vaddrOf = (t: string | undefined) => (t !== undefined && /^[0-9A-F]{1,4}$/i.test(t) ? parseInt(t, 16) : null);

/** What CP does for one command: `args` are its operands; the result is a return code. */
type CpRun = (cp: ControlProgram, vm: VirtualMachine, args: string[], say: Say) => number;

/** CP's implementation of each of its commands (command-language.ts names them, with their classes). */
const CP_COMMANDS: Record<CpCommandName, CpRun> = {
  QUERY(cp, vm, args, say) {
    const what = (args[0] ?? 'VIRTUAL').toUpperCase();
    if ('TIME'.startsWith(what)) { say(`TIME: ${vm.now} INSTRUCTIONS (VIRTUAL), TOD ${vm.clocks.tod(vm.now)}`); return RC_OK; }
    if ('NAMES'.startsWith(what)) {
      const s = cp.commands.services;
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
    if (what.length >= 2 && 'ASSIST'.startsWith(what)) { queryAssist(cp, vm, say); return RC_OK; }
    if ('VIRTUAL'.startsWith(what)) {
      const s = cp.commands.services;
      if (s) return s.virtual(vm, say);
      say(`STORAGE = ${vm.size / 1024}K  PSW = ${hex(vm.pswFlags(), 8)} ${hex(vm.ia, 8)}  STATE = ${vm.state.toUpperCase()}`);
      return RC_OK;
    }
    say(`INVALID OPERAND: ${what}`);
    return RC_OPERAND;
  },
  SET(cp, vm, args, say) {
    const what = (args[0] ?? '').toUpperCase(), to = (args[1] ?? '').toUpperCase();
    if (what.length < 2 || !'ASSIST'.startsWith(what) || (to !== 'ON' && to !== 'OFF') || args.length > 2) {
      say('SET: USE SET ASSIST ON|OFF');
      return RC_OPERAND;
    }
    vm.assist = to === 'ON';
    queryAssist(cp, vm, say);
    return RC_OK;
  },
  TRACE(cp, vm, args, say) { return traceCommand(cp, vm, args, say) ? RC_OK : RC_OPERAND; },
  DISPLAY(_cp, vm, args, say) { return displayCommand(vm, args, say) ? RC_OK : RC_OPERAND; },
  TRANSLATE(_cp, vm, args, say) { return translateCommand(vm, args, say) ? RC_OK : RC_OPERAND; },
  STORE(_cp, vm, args, say) { return storeCommand(vm, args, say) ? RC_OK : RC_OPERAND; },
  ADSTOP(_cp, vm, args, say) { return adstopCommand(vm, args, say) ? RC_OK : RC_OPERAND; },
  BEGIN(cp, vm, _args, say) { return beginCommand(cp, vm, say) ? RC_OK : RC_NOT_ALLOWED; },
  EXTERNAL(cp, vm) { vm.clocks.keyPending = true; cp.wake(vm); return RC_OK; },
  MESSAGE(cp, vm, args, say) {
    const to = cp.vm(args[0] ?? '');
    if (!to) { say(`USERID ${args[0] ?? ''} NOT LOGGED ON`); return RC_OPERAND; }
    to.consoleWrite?.(`MSG FROM ${vm.name}: ${args.slice(1).join(' ')}`);
    return RC_OK;
  },
  IPL(cp, vm, _args, say) { return withServices(cp, say, (s) => s.ipl(vm, say)); },
  SYSTEM(cp, vm, args, say) {
    if (!'RESET'.startsWith((args[0] ?? '').toUpperCase()) || !args[0]) { say('SYSTEM: OPERAND MUST BE RESET'); return RC_OPERAND; }
    return withServices(cp, say, (s) => s.systemReset(vm, say));
  },
  SPOOL(cp, vm, args, say) {
    const dev = (args[0] ?? '').toUpperCase(), kw = (args[1] ?? '').toUpperCase();
    if (!dev || (kw !== 'TO' && kw !== 'OFF') || (kw === 'TO' && !args[2])) { say('SPOOL: USE SPOOL PUNCH TO user|*'); return RC_OPERAND; }
    return withServices(cp, say, (s) => s.spool(vm, dev, kw === 'OFF' ? '*' : args[2].toUpperCase(), say));
  },
  CLOSE(cp, vm, args, say) {
    const dev = (args[0] ?? '').toUpperCase();
    if (!dev) { say('CLOSE: DEVICE MISSING (PUNCH, PRINTER, READER)'); return RC_OPERAND; }
    const name = (args[1] ?? '').toUpperCase() === 'NAME' && args[2] ? args.slice(2, 4).join(' ').toUpperCase() : null;
    return withServices(cp, say, (s) => s.close(vm, dev, name, say));
  },
  LINK(cp, vm, args, say) {
    const v = vaddrOf(args[1]), as = vaddrOf(args[2]), mode = (args[3] ?? 'R').toUpperCase();
    if (!args[0] || v === null || as === null || (mode !== 'R' && mode !== 'W') || args.length > 5) {
      say('LINK: USE LINK user vaddr as-vaddr R|W [password]');
      return RC_OPERAND;
    }
    return withServices(cp, say, (s) => s.link(vm, args[0].toUpperCase(), v, as, mode, args[4] ?? null, say));
  },
  DETACH(cp, vm, args, say) {
    const v = vaddrOf(args[0]);
    if (v === null) { say('DETACH: USE DETACH vaddr'); return RC_OPERAND; }
    return withServices(cp, say, (s) => s.detach(vm, v, say));
  },
  LOGOFF(cp, vm, _args, say) { return withServices(cp, say, (s) => s.logoff(vm, say)); },
  DIAL(cp, vm, args, say) {
    if (!args[0]) { say('DIAL: USE DIAL user'); return RC_OPERAND; }
    return withServices(cp, say, (s) => s.dial(vm, args[0].toUpperCase(), say));
  },
};

/**
 * QUERY ASSIST: the VM's assist switch, whether it works now (CP suspends it while the VM is traced
 * or has ADSTOPs, as VM/370 did), and its counters (Hercules' ECPS:VM statistics).
 */
function queryAssist(cp: ControlProgram, vm: VirtualMachine, say: Say): void {
  const t = vm.assistCounters.total;
  const state = !vm.assist ? 'OFF' : cp.assisting(vm) ? 'ON' : 'ON (SUSPENDED: THE VM IS TRACED OR HAS ADSTOPS)';
  say(`ASSIST ${state}  COMPLETED ${t.completed}  PASSED TO CP ${t.passed}  HIT RATIO ${percentText(vm.assistCounters.hitRatio, 2)}`);
}

/**
 * Run one CP command line for `vm`, with privilege classes `classes` (default: the user's, from
 * the directory; every class when this CP has no directory).
 */
export function runCommand(cp: ControlProgram, vm: VirtualMachine, text: string, classes?: string): number {
  const say = (line: string) => vm.consoleWrite?.(line);
  const line = parseCommand(text, 'cp');
  if (line.kind === 'empty') return RC_OK;
  if (line.kind === 'unknown') { say(`UNKNOWN CP COMMAND: ${line.word}`); return RC_UNKNOWN; }
  if (!line.command.cp) { say(`UNKNOWN CP COMMAND: ${line.command.name}`); return RC_UNKNOWN; } // parseCommand(.., 'cp') finds none
  const name = line.command.name;
  const have = classes ?? cp.commands.services?.classesOf(vm) ?? 'ABCDEFGH';
  const need = commandClasses(name);
  if (![...need].some((c) => have.includes(c))) {
    say(`HCPCFM: ${name} IS A CLASS ${need} COMMAND; USER ${vm.name} HAS CLASS ${have || '(NONE)'}: NOT ALLOWED`);
    return RC_NOT_ALLOWED;
  }
  return CP_COMMANDS[name](cp, vm, line.args, say);
}
