/**
 * tinycp's one command language (VM/370's CP command language): every command's name, shortest
 * abbreviation, privilege classes and who implements it, and the one parser that turns a line
 * into a command and its operands. CP's console and DIAGNOSE X'08' (commands.ts) and the
 * debugger (src/debug/commands.ts) both read this table; each implements the commands marked
 * for it (the compiler checks that each does all of them), and the debugger hands CP's other
 * commands to CP when it runs a VM. The documented command lists (PoO 10.12, docs/timesharing.md,
 * docs/debugging.md) are checked against it (test/command-language.test.ts).
 */
import { TRACE_CLASSES } from './trace.ts';

/** One command of the language. */
export interface CommandDef {
  /** Full name, in capitals. */
  readonly name: string;
  /** Shortest accepted abbreviation: the capitals in the docs (`TRace` is 2). */
  readonly min: number;
  /**
   * VM/370's privilege classes, any one of which allows the command at CP: A system operator,
   * B system resources, C system programmer, D spooling, E analyst, F service, G general user.
   * DIAL attaches the real terminal (the operator's console) to another user: class A, so no
   * guest can take the terminal over through DIAGNOSE X'08'. (The debugger has one user.)
   */
  readonly classes: string;
  /** CP implements it: the virtual console, DIAGNOSE X'08', the time-sharing terminal's `#CP`. */
  readonly cp: boolean;
  /** At CP it needs the time-sharing system (a directory, a spool or other users). */
  readonly timesharing: boolean;
  /** The debugger implements it itself (CP's other commands it hands to CP under CP). */
  readonly debugger: boolean;
  /** Operands and effect at CP (for the debugger-only commands: in the debugger). */
  readonly syntax: string;
  /** The debugger's operands and effect, when they are not CP's (symbols, file:line, ...). */
  readonly debugSyntax?: string;
}

/** The trace classes, as the TRACE syntax lists them (trace.ts owns them). */
const CLASSES = TRACE_CLASSES.join(' ');

/** Every command, in the order the debugger's HELP lists them. */
export const COMMAND_TABLE = [
  {
    name: 'ADSTOP', min: 2, classes: 'G', cp: true, timesharing: false, debugger: true,
    syntax: 'ADSTOP addr... | OFF [addr...]: stop the VM before the instruction at an address; BEGIN resumes',
    debugSyntax: 'addr|symbol|file:line [...] [IF opnd op value] [COUNT n]  |  OFF [addr...]: stop before the instruction at an address',
  },
  {
    name: 'BEGIN', min: 1, classes: 'G', cp: true, timesharing: false, debugger: true,
    syntax: 'BEGIN: resume this VM after a TRACE NORUN or ADSTOP stop', debugSyntax: '[addr]: continue (at addr)',
  },
  {
    name: 'BACK', min: 2, classes: 'G', cp: false, timesharing: false, debugger: true,
    syntax: '[n] | TRAP: step back n instructions, or to the previous trap/ADSTOP/WATCH',
  },
  {
    name: 'STEP', min: 3, classes: 'G', cp: false, timesharing: false, debugger: true,
    syntax: '[n] | OVER | RETURN: execute n instructions (default 1), step over a call, or run to the return; shows what changed',
  },
  {
    name: 'TRANSLATE', min: 4, classes: 'G', cp: true, timesharing: false, debugger: true,
    syntax: 'TRANSLATE vaddr: the guest\'s page-table walk, CP\'s shadow entry and the TLB for a virtual address',
    debugSyntax: 'vaddr|symbol: the guest\'s page-table walk, CP\'s shadow entry and the TLB for a virtual address',
  },
  {
    name: 'DISPLAY', min: 1, classes: 'G', cp: true, timesharing: false, debugger: true,
    syntax: 'DISPLAY G [r[-r]] | C [r[-r]] | PSW | TLB | SHADOW | addr[.len] | addr-addr: the VM\'s registers, PSW, shadow table or storage (hex)',
    debugSyntax: 'G[n[-m]] | C[n[-m]] | PSW | I [addr[.len]] | addr[.len] | addr-addr | symbol',
  },
  {
    name: 'STORE', min: 2, classes: 'G', cp: true, timesharing: false, debugger: true,
    syntax: 'STORE G r value... | C r value... | PSW w0 w1 | addr value...: change the VM\'s registers, PSW or storage (hex)',
    debugSyntax: 'G n value... | C n value... | PSW w0 w1 | addr value...',
  },
  {
    name: 'TRACE', min: 2, classes: 'G', cp: true, timesharing: false, debugger: true,
    syntax: `TRACE class... [code] [RUN|NORUN|OFF] | END: narrate (RUN) or stop on (NORUN) this VM's traps; classes ${CLASSES}`,
    debugSyntax: `class... [code] [RUN|NORUN|OFF] | END; classes ${CLASSES}`,
  },
  {
    name: 'WATCH', min: 2, classes: 'G', cp: false, timesharing: false, debugger: true,
    syntax: 'addr[.len] | OFF [addr]: stop when storage in the range changes',
  },
  {
    name: 'QUERY', min: 1, classes: 'ABCDEFG', cp: true, timesharing: false, debugger: true,
    syntax: 'QUERY TIME | VIRTUAL | NAMES | COUNTERS | READER | ASSIST',
    debugSyntax: 'VIRTUAL | TRACE | COUNTERS | TIME (and CP\'s QUERY operands)',
  },
  {
    name: 'SET', min: 3, classes: 'G', cp: true, timesharing: false, debugger: false,
    syntax: 'SET ASSIST ON|OFF: turn this VM\'s virtual-machine assist on or off (VM/370\'s SET ASSIST; QUERY ASSIST shows it)',
  },
  {
    name: 'IPL', min: 1, classes: 'G', cp: true, timesharing: true, debugger: true,
    syntax: 'IPL: load the directory\'s program into this VM and start it (this VM alone)',
    debugSyntax: 'reload the program and start over (stopped at its first instruction)',
  },
  {
    name: 'SYSTEM', min: 3, classes: 'G', cp: true, timesharing: true, debugger: true,
    syntax: 'SYSTEM RESET: reset the virtual CPU and channel; the VM stops until IPL',
    debugSyntax: 'RESET: reset the CPU (registers, PSW, control registers, clocks) and channel',
  },
  {
    name: 'EXTERNAL', min: 3, classes: 'G', cp: true, timesharing: false, debugger: true,
    syntax: 'EXTERNAL: press the VM\'s interrupt key (external interruption X\'0040\')',
    debugSyntax: 'press the interrupt key (external interruption X\'0040\')',
  },
  {
    name: 'INPUT', min: 2, classes: 'G', cp: false, timesharing: false, debugger: true,
    syntax: 'text: type a line at the guest\'s console',
  },
  { name: 'HELP', min: 1, classes: 'G', cp: false, timesharing: false, debugger: true, syntax: 'this list' },
  {
    name: 'LOGOFF', min: 3, classes: 'ABCDEFG', cp: true, timesharing: true, debugger: true,
    syntax: 'LOGOFF: end this VM; its punch is closed into the spool', debugSyntax: 'end the debugging session (also QUIT)',
  },
  { name: 'QUIT', min: 4, classes: 'G', cp: false, timesharing: false, debugger: true, syntax: 'end the debugging session' },
  {
    name: 'MESSAGE', min: 3, classes: 'ABCDEFG', cp: true, timesharing: false, debugger: false,
    syntax: 'MESSAGE user text: write a line on another VM\'s console',
  },
  {
    name: 'SPOOL', min: 2, classes: 'G', cp: true, timesharing: true, debugger: false,
    syntax: 'SPOOL PUNCH TO user|* : send what this VM punches to a user\'s reader',
  },
  {
    name: 'CLOSE', min: 1, classes: 'G', cp: true, timesharing: true, debugger: false,
    syntax: 'CLOSE PUNCH|PRINTER|READER [NAME fn ft]: close a spool file',
  },
  {
    name: 'LINK', min: 4, classes: 'G', cp: true, timesharing: true, debugger: false,
    syntax: 'LINK user vaddr as-vaddr R|W [password]: use another user\'s minidisk (the MDISK password for the mode)',
  },
  {
    name: 'DETACH', min: 3, classes: 'G', cp: true, timesharing: true, debugger: false,
    syntax: 'DETACH vaddr: remove a linked minidisk from this VM',
  },
  {
    name: 'DIAL', min: 4, classes: 'A', cp: true, timesharing: true, debugger: false,
    syntax: 'DIAL user: attach the terminal to that user\'s console (interactive)',
  },
] as const satisfies readonly CommandDef[];

type Row = (typeof COMMAND_TABLE)[number];
/** Every command name. */
export type CommandName = Row['name'];
/** The commands CP implements. */
export type CpCommandName = Extract<Row, { cp: true }>['name'];
/** The commands the debugger implements itself. */
export type DebugCommandName = Extract<Row, { debugger: true }>['name'];

/** VM/370's spellings that are not abbreviations (RDR is QUERY's operand; as a command it names none). */
export const COMMAND_ALIASES: Readonly<Record<string, string>> = { MSG: 'MESSAGE', RDR: 'READER' };

/** Who is reading a command line: CP, or the debugger (which also knows CP's commands). */
export type CommandFront = 'cp' | 'debugger';

/** The command a word names (full name, abbreviation or alias), for `front`; undefined if none. */
export function findCommand(word: string, front: CommandFront = 'cp'): Row | undefined {
  const w = COMMAND_ALIASES[word.toUpperCase()] ?? word.toUpperCase();
  return COMMAND_TABLE.find((c) => w.length >= c.min && c.name.startsWith(w) && (front === 'debugger' || c.cp));
}

/** The classes a command needs at CP (any one of them); a command not in the table is class G. */
export function commandClasses(name: string): string {
  return COMMAND_TABLE.find((c) => c.name === name)?.classes ?? 'G';
}

/** A parsed command line. */
export type ParsedCommand =
  | { kind: 'empty' }
  /** The first word names no command (`word` in capitals, as typed). */
  | { kind: 'unknown'; word: string }
  | { kind: 'command'; command: Row; args: string[] };

/** The words of a command line (operands are blank-separated). */
export function commandWords(text: string): string[] { return text.trim().split(/\s+/).filter(Boolean); }

/** Parse one command line for `front`: the command named by its first word and the operands. */
export function parseCommand(text: string, front: CommandFront = 'cp'): ParsedCommand {
  const words = commandWords(text);
  if (words.length === 0) return { kind: 'empty' };
  const command = findCommand(words[0], front);
  return command ? { kind: 'command', command, args: words.slice(1) } : { kind: 'unknown', word: words[0].toUpperCase() };
}
