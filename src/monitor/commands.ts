/**
 * CP commands (VM/370's CP command language, abbreviated as VM/370 allowed). This is the part
 * a guest can reach with DIAGNOSE X'08' and the operator with the console; the debugger adds its
 * own commands on top. Responses go to the VM's console; the result is a return code
 * (0 success, 1 unknown command, 2 bad operand, 3 not allowed).
 */
import type { ControlProgram } from './cp.ts';
import type { VirtualMachine } from './vm.ts';

export const RC_OK = 0;
export const RC_UNKNOWN = 1;
export const RC_OPERAND = 2;

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
    name: 'QUERY', min: 1, help: 'QUERY TIME | VIRTUAL | NAMES | COUNTERS',
    run(cp, vm, args, say) {
      const what = (args[0] ?? 'VIRTUAL').toUpperCase();
      if ('TIME'.startsWith(what)) { say(`TIME: ${vm.now} INSTRUCTIONS (VIRTUAL), TOD ${vm.clocks.tod(vm.now)}`); return RC_OK; }
      if ('NAMES'.startsWith(what)) { say(cp.vms.filter((v) => v.state !== 'logged-off').map((v) => v.name).join(' , ')); return RC_OK; }
      if ('COUNTERS'.startsWith(what)) {
        const c = vm.counters;
        say(`DIRECT ${c.direct} HANDLED ${c.handled} EFFICIENCY ${(c.efficiency * 100).toFixed(2)}%`);
        say(Object.entries(c.entries).map(([k, v]) => `${k.toUpperCase()} ${v}`).join(' '));
        return RC_OK;
      }
      if ('VIRTUAL'.startsWith(what)) {
        say(`STORAGE = ${vm.size / 1024}K  PSW = ${hex(vm.pswFlags(), 8)} ${hex(vm.ia, 8)}  STATE = ${vm.state.toUpperCase()}`);
        return RC_OK;
      }
      say(`INVALID OPERAND: ${what}`);
      return RC_OPERAND;
    },
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
];

/** Find a command by name or abbreviation. */
export function findCommand(word: string): Command | undefined {
  const w = word.toUpperCase();
  return COMMANDS.find((c) => w.length >= c.min && c.name.startsWith(w));
}

/** Run one CP command line for `vm`. */
export function runCommand(cp: ControlProgram, vm: VirtualMachine, text: string): number {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const say = (line: string) => vm.consoleWrite?.(line);
  if (words.length === 0) return RC_OK;
  const cmd = findCommand(words[0]);
  if (!cmd) { say(`UNKNOWN CP COMMAND: ${words[0].toUpperCase()}`); return RC_UNKNOWN; }
  return cmd.run(cp, vm, words.slice(1), say);
}
