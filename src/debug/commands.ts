/**
 * The debugger's commands: CP's command language (src/monitor/command-language.ts: one table and
 * one parser, VM/370's names and abbreviations), the debugger's own versions of ADSTOP, BEGIN,
 * DISPLAY, STORE, TRACE, QUERY, IPL, SYSTEM RESET and EXTERNAL (symbols, the bare machine,
 * journaled), plus what is its own: STEP, WATCH, BACK, INPUT and HELP. CP's other commands are
 * handed to CP (src/monitor/commands.ts) under CP. A command that is wrong says why and changes
 * nothing: operands are parsed completely before anything is applied. Everything that changes the
 * machine goes through `Debugger.intervene`, so stepping back and forward again replays it at the
 * same instruction.
 */
import { PSW_CC_SHIFT } from '../cpu/arch.ts';
import { realPswFlags } from '../monitor/cp.ts';
import { pswValid } from '../cpu/lowcore.ts';
import { readBytes, writeBytes } from '../cpu/storage.ts';
import { COMMAND_TABLE, commandWords, parseCommand, type DebugCommandName } from '../monitor/command-language.ts';
import { pswState, pswText } from '../monitor/narrate.ts';
import type { Debugger, Stop } from './debugger.ts';
import { applyTrace, ruleText } from '../monitor/trace.ts';
import { dumpLines, hex, registerLines } from './format.ts';
import { hexOperand, registerRange as registerOperand, storageRange, storeValueBytes } from '../monitor/operator.ts';
import { restoreSnapshot } from './snapshot.ts';
import { changeLines, parseCondition, type Before } from './control.ts';
import { tableLines, translateLines } from '../monitor/translate.ts';

/** What a command did. */
export interface CommandResult {
  ok: boolean;
  lines: string[];
  /** Set when the command moved the guest (BEGIN, STEP, BACK, IPL...): where it stopped. */
  stop?: Stop;
  /** LOGOFF / QUIT: the front end should end the session. */
  quit?: boolean;
}

/** What the debugger does for one command (command-language.ts names it and gives its syntax). */
type DebugRun = (d: Debugger, args: string[]) => CommandResult;

/** A refused command: a named reason, nothing changed. */
class Refusal { constructor(readonly reason: string) {} }
function refuse(reason: string): never { throw new Refusal(reason); }
const ok = (lines: string[] = [], stop?: Stop): CommandResult => ({ ok: true, lines, stop });

/** Guest storage range check (addresses are guest-real: the VM's own storage, or the bare machine's). */
function range(d: Debugger, a: number, len: number, what: string): void {
  const size = d.mem.length * 4;
  if (len <= 0 || a < 0 || a + len > size) {
    refuse(`${what} ${hex(a, 6)}${len > 1 ? '.' + hex(len, 0) : ''} is outside the guest's storage (0-${hex(size - 1, 6)})`);
  }
}

/** `addr`, `symbol`, `addr.len` (hex length), `addr-addr` -> [address, length]: CP's operand parser, with symbols. */
function addressRange(d: Debugger, text: string, defaultLength: number): [number, number] {
  const r = storageRange(text, {
    resolve: (t) => d.source.resolve(t), what: 'a symbol or a hex address', size: d.mem.length * 4, storage: "the guest's storage",
    defaultLength, maxLength: 0x10000,
  });
  if (typeof r === 'string') refuse(r);
  return r;
}

function hexValue(text: string | undefined, what: string): number {
  if (text === undefined) refuse(`${what} is missing`);
  const v = hexOperand(text);
  if (v === undefined) refuse(`'${text}' is not a hex ${what} (up to 8 hex digits)`);
  return v | 0;
}

/** G, Gn, Gn-m, or G n (likewise C): -> [from, to], by CP's register-range parser. */
function registerRange(args: string[]): [number, number] {
  const joined = args.join('').toUpperCase().slice(1);
  const r = registerOperand(joined === '' ? undefined : joined);
  if (typeof r === 'string') refuse(r);
  return r;
}

function display(d: Debugger, args: string[]): CommandResult {
  const what = (args[0] ?? '').toUpperCase();
  if (what === '') refuse('DISPLAY needs an operand: G, C, PSW, I, TLB, SHADOW, an address or a symbol');
  if ((what === 'TLB' || what === 'SHADOW') && !d.source.symbols.has(what)) {
    if (what === 'SHADOW' && !d.vm) refuse('the bare machine has no CP, so no shadow table (DISPLAY TLB shows the CPU\'s)');
    const title = d.vm ? (what === 'TLB' ? 'REAL TLB (while the VM runs: its shadow table)' : 'CP SHADOW TABLE') : 'TLB';
    return ok(tableLines(title, d.session.tlb));
  }
  if (what === 'PSW') {
    const p = d.psw();
    const lines = [`PSW = ${pswText(p)}   ${pswState(p)}, CC ${p.cc}`];
    if (d.vm) lines[0] = `VIRTUAL ${lines[0]}`;
    // The real PSW CP loads to run the VM now (not the CPU's leftover one: all zeros right after IPL).
    if (d.vm) {
      const real = pswText({ flags: (realPswFlags(d.vm) | (p.cc << PSW_CC_SHIFT)) | 0, cc: p.cc, ia: p.ia });
      lines.push(`REAL    PSW = ${real}   (what CP loads to run the VM: problem state, interruptions masked)`);
    }
    return ok(lines);
  }
  // Gn / Cn take decimal register numbers; anything longer is an address (C00 is storage).
  const reg = /^([GC])(\d{1,2}(-\d{1,2})?)?$/.exec(what);
  if (reg && !d.source.symbols.has(what)) {
    const [f, t] = registerRange(args);
    return ok(reg[1] === 'G' ? registerLines('GPR', d.gpr, f, t) : registerLines('CR ', d.cr, f, t));
  }
  if (what === 'I') {
    const [a, len] = args[1] ? addressRange(d, args[1], 16) : [d.ia, 16];
    const lines: string[] = [];
    for (let x = a & ~3; x < a + len; x += 4) {
      const w = d.mem[x >>> 2];
      lines.push(d.instructionAt(x, w));
    }
    return ok(lines);
  }
  const [a, len] = addressRange(d, args[0], 16);
  return ok(dumpLines(readBytes(d.mem, a, len), a));
}

function store(d: Debugger, args: string[]): CommandResult {
  const what = (args[0] ?? '').toUpperCase();
  if (what === '') refuse('STORE needs an operand: G n value, C n value, PSW w0 w1, or address value');
  const regs = /^([GC])(\d*)$/.exec(what);
  if (regs && !d.source.symbols.has(what)) {
    const rest = regs[2] === '' ? args.slice(1) : [regs[2], ...args.slice(1)];
    const n = Number(rest[0]);
    if (rest[0] === undefined || !/^\d+$/.test(rest[0]) || n > 15) refuse(`register number '${rest[0] ?? ''}' is not 0-15`);
    const values = rest.slice(1).map((v) => hexValue(v, 'value'));
    if (values.length === 0) refuse('a value is missing');
    if (n + values.length > 16) refuse(`${values.length} values from register ${n} go past register 15`);
    const target = regs[1] === 'G' ? d.gpr : d.cr;
    d.intervene(`STORE ${regs[1]}${n} ${values.map((v) => hex(v)).join(' ')}`, () => { values.forEach((v, i) => { target[n + i] = v; }); });
    return ok([`${regs[1] === 'G' ? 'GPR' : 'CR'} ${n}${values.length > 1 ? '-' + (n + values.length - 1) : ''} STORED`]);
  }
  if (what === 'PSW') {
    const w0 = hexValue(args[1], 'PSW word 0'), w1 = hexValue(args[2], 'PSW word 1');
    if (!pswValid(w0, w1)) refuse(`${hex(w0)} ${hex(w1)} is not a valid PSW (reserved bits must be zero; the address word aligned, 24 bits)`);
    d.intervene(`STORE PSW ${hex(w0)} ${hex(w1)}`, () => d.session.setPsw(w0, w1));
    return ok(['PSW STORED']);
  }
  const a = d.source.resolve(args[0]);
  if (a === undefined) refuse(`'${args[0]}' is not G, C, PSW, a symbol or a hex address`);
  const bytes = storeValueBytes(args.slice(1), args.slice(1).map((v) => hexValue(v, 'value')));
  if (bytes.length === 0) refuse('a value is missing');
  range(d, a, bytes.length, 'address');
  d.intervene(`STORE ${hex(a, 6)} ${bytes.map((b) => hex(b, 2)).join('')}`, () => writeBytes(d.mem, a, bytes));
  return ok([`STORED ${bytes.length} BYTE(S) AT ${hex(a, 6)}`]);
}

function trace(d: Debugger, args: string[]): CommandResult {
  if (args.length === 0) return query(d, ['TRACE']);
  const r = applyTrace(d.rules, args);
  if ('error' in r) refuse(r.error);
  d.rules = r.rules;
  d.refreshHooks();
  return ok([r.message]);
}

function query(d: Debugger, args: string[]): CommandResult {
  const w = (args[0] ?? 'VIRTUAL').toUpperCase();
  if ('VIRTUAL'.startsWith(w) && w.length >= 1) {
    const p = d.psw();
    const state = d.ended ? `ENDED (${d.session.outcome.message})` : d.waitingForInput ? 'WAITING FOR INPUT' : d.vm ? d.vm.state.toUpperCase() : 'READY';
    return ok([
      `${d.mode === 'vm' ? `VM ${d.vmName} UNDER CP` : 'BARE MACHINE'}  STORAGE = ${d.mem.length * 4 / 1024}K  PSW = ${pswText(p)}  STATE = ${state}`,
      `INSTRUCTION ${d.position}  VIRTUAL TIME ${d.session.time}  SNAPSHOTS ${d.timeline.marks.length}  JOURNAL ${d.timeline.journal.length}`,
    ]);
  }
  if ('TRACE'.startsWith(w) && w.length >= 2) {
    const lines = [d.rules.length ? `TRACE ${d.rules.map(ruleText).join(', ')}` : 'NO TRACE SET'];
    const adstop = (a: number) => {
      const c = d.conditions.get(a);
      return hex(a, 6) + d.symbolAt(a) + (c ? ` ${c.text} (hits ${c.hits})` : '');
    };
    lines.push(d.breakpoints.size ? `ADSTOP ${[...d.breakpoints].map(adstop).join(' ')}` : 'NO ADSTOP SET');
    lines.push(d.watches.length ? `WATCH ${d.watches.map((x) => `${hex(x.address, 6)}.${x.length.toString(16).toUpperCase()}`).join(' ')}` : 'NO WATCH SET');
    return ok(lines);
  }
  if ('COUNTERS'.startsWith(w) && w.length >= 1) return ok([d.countersText()]);
  if (d.vm) return cpCommand(d, ['QUERY', ...args], false);
  if ('TIME'.startsWith(w)) return ok([`TIME: ${d.session.time} INSTRUCTIONS (VIRTUAL), TOD ${d.session.clocks.tod(d.session.time)}`]);
  refuse(`QUERY ${w}: not VIRTUAL, TRACE, COUNTERS or TIME`);
}

/** A command of CP's own table (monitor/commands.ts), responses captured; journaled unless read-only. */
function cpCommand(d: Debugger, words: string[], journal: boolean): CommandResult {
  const vm = d.vm, cp = d.session.cp;
  if (!vm || !cp) return { ok: false, lines: [`UNKNOWN CP COMMAND: ${words[0].toUpperCase()} (the bare machine has no CP)`] };
  const text = words.join(' ');
  let captured: string[] | null = [];
  const run = () => {
    const saved = vm.consoleWrite;
    const sink = captured;
    vm.consoleWrite = (l) => { sink?.push(l); };
    try { return cp.command(vm, text); } finally { vm.consoleWrite = saved; }
  };
  let rc: number;
  if (journal) {
    rc = -1;
    d.intervene(text.toUpperCase(), () => { const r = run(); if (rc === -1) rc = r; });
    const lines = captured;
    captured = null; // replays run it again silently
    return { ok: rc === 0, lines };
  }
  rc = run();
  return { ok: rc === 0, lines: captured };
}

/** Most instructions a STEP records storage writes for (its report); a longer STEP reports registers and PSW. */
const REPORT_WRITES = 100_000;

/** Run a STEP and report what it changed: registers, control registers, PSW fields, storage written. */
function stepReport(d: Debugger, n: number, expectIa: number | null, run: () => Stop): CommandResult {
  const before: Before = { gpr: d.gpr.slice(), cr: d.cr.slice(), psw: d.psw() };
  const startPos = d.position;
  d.writes = n <= REPORT_WRITES ? [] : null;
  d.writesUnknown = false;
  let stop: Stop;
  const writes = d.writes;
  try { stop = run(); } finally { d.writes = null; }
  const steps = d.position - startPos;
  const changes = steps > 0 ? changeLines(before, { gpr: d.gpr, cr: d.cr, psw: d.psw(), mem: d.mem }, writes, d.source.names, d.color, expectIa,
    { truncated: (writes?.length ?? 0) > 256, unknown: d.writesUnknown }) : [];
  return ok([], { ...stop, lines: [...stop.lines.slice(0, -1), ...changes, ...stop.lines.slice(-1)] });
}

function helpLines(): string[] {
  return ['tinycp debugger commands (VM/370 names; the capitals of each name are its shortest abbreviation):',
    ...COMMAND_TABLE.filter((c) => c.debugger).map((c) => {
      const syntax = 'debugSyntax' in c ? c.debugSyntax : c.syntax;
      return `  ${c.name.slice(0, c.min)}${c.name.slice(c.min).toLowerCase().padEnd(9 - c.min)} ${syntax}`;
    }),
    '  and, under CP, any CP command (QUERY NAMES, MESSAGE, ...). Addresses and values are hex; see docs/debugging.md.'];
}

const resolveAll = (d: Debugger, args: string[]): number[] => args.flatMap((a) => {
  const fl = /^(.+):(\d+)$/.exec(a);
  if (fl) {
    // file:line, a macro body line included (every expansion of it): the assembler's line records.
    const at = d.source.addresses(fl[1], Number(fl[2]));
    if (at.length === 0) refuse(`${a} has no instruction (or no such file was assembled)`);
    return at;
  }
  const v = d.source.resolve(a);
  if (v === undefined) refuse(`'${a}' is not a symbol or a hex address`);
  if ((v & 3) !== 0) refuse(`${hex(v, 6)} is not word aligned: instructions start on word boundaries`);
  return v;
});

/** The debugger's implementation of each command it has itself; CP's others go to CP under CP. */
const DEBUG_COMMANDS: Record<DebugCommandName, DebugRun> = {
  ADSTOP(d, args) {
    if (args.length === 0) return query(d, ['TRACE']);
    if (args[0].toUpperCase() === 'OFF') {
      const which = resolveAll(d, args.slice(1));
      if (which.length === 0) { d.breakpoints.clear(); d.conditions.clear(); } else for (const a of which) { d.breakpoints.delete(a); d.conditions.delete(a); }
      d.refreshHooks();
      return ok([which.length ? `ADSTOP ${which.map((a) => hex(a, 6)).join(' ')} OFF` : 'ADSTOP OFF']);
    }
    const cut = args.findIndex((a) => /^(IF|COUNT)$/i.test(a) || /^IF[^A-Z]/i.test(a));
    const addrs = resolveAll(d, cut < 0 ? args : args.slice(0, cut));
    if (addrs.length === 0) refuse('an address or symbol is missing before IF/COUNT');
    const cond = cut < 0 ? null : parseCondition(args.slice(cut), d.source, d.mem.length * 4);
    if (typeof cond === 'string') refuse(cond);
    for (const a of addrs) {
      d.breakpoints.add(a);
      if (cond) d.conditions.set(a, { ...cond }); else d.conditions.delete(a);
    }
    d.refreshHooks();
    return ok([`ADSTOP SET AT ${addrs.map((a) => hex(a, 6) + d.symbolAt(a)).join(' ')}${cond ? ' ' + cond.text : ''}`]);
  },
  BEGIN(d, args) {
    if (args[0]) {
      const [a] = resolveAll(d, args.slice(0, 1));
      d.intervene(`BEGIN ${hex(a, 6)}`, () => { d.session.ia = a; });
    }
    return ok([], d.resume());
  },
  BACK(d, args) {
    if (args[0] && 'TRAP'.startsWith(args[0].toUpperCase())) return ok([], d.backTrap());
    const n = args[0] === undefined ? 1 : Number(args[0]);
    if (!Number.isSafeInteger(n) || n < 1) refuse(`'${args[0]}' is not a positive number of instructions`);
    return ok([], d.back(n));
  },
  STEP(d, args) {
    const w = (args[0] ?? '').toUpperCase();
    const next = (d.ia + 4) & 0xffffff;
    if (w && 'OVER'.startsWith(w)) return stepReport(d, 1, next, () => d.stepOver());
    if (w && 'RETURN'.startsWith(w)) return stepReport(d, 1, null, () => d.stepReturn());
    const n = args[0] === undefined ? 1 : Number(args[0]);
    if (!Number.isSafeInteger(n) || n < 1) refuse(`'${args[0]}' is not a positive number of instructions, OVER or RETURN`);
    return stepReport(d, n, (d.ia + 4 * n) & 0xffffff, () => d.resume(n));
  },
  TRANSLATE(d, args) {
    const va = args.length === 1 ? d.source.resolve(args[0]) : undefined;
    if (va === undefined) refuse(`'${args.join(' ')}' is not one symbol or hex virtual address`);
    const v = d.session;
    return ok(translateLines({ mem: d.mem, cr1: v.cr[1], flags: v.flags, shadow: d.vm ? d.vm.shadow : null, tlb: v.tlb }, va));
  },
  DISPLAY: display,
  STORE: store,
  TRACE: trace,
  WATCH(d, args) {
    if (args.length === 0) return query(d, ['TRACE']);
    if (args[0].toUpperCase() === 'OFF') {
      const at = args[1] ? d.source.resolve(args[1]) : undefined;
      if (args[1] && at === undefined) refuse(`'${args[1]}' is not a symbol or a hex address`);
      const keep = d.watches.filter((w) => at !== undefined && w.address !== at);
      d.watches.length = 0; d.watches.push(...keep);
      d.refreshHooks();
      return ok(['WATCH OFF']);
    }
    const [a, len] = addressRange(d, args[0], 4);
    d.watches.push({ address: a, length: len, last: readBytes(d.mem, a, len) });
    d.refreshHooks();
    return ok([`WATCH SET ON ${hex(a, 6)}.${len.toString(16).toUpperCase()}${d.symbolAt(a)}`]);
  },
  QUERY: query,
  IPL(d) {
    d.intervene('IPL', () => restoreSnapshot(d.session, d.timeline.initial));
    return ok(['IPL: program reloaded'], d.stop('entry', []));
  },
  SYSTEM(d, args) {
    if (!args[0] || !'RESET'.startsWith(args[0].toUpperCase()) || args[0].length < 3) refuse('SYSTEM takes RESET');
    d.intervene('SYSTEM RESET', () => {
      const s = d.session;
      s.reset();
      s.devices.channel.reset();
      s.outcome = { state: 'running', reason: 'budget', code: 0, success: false, message: 'system reset' };
    });
    return ok(['SYSTEM RESET'], d.stop('entry', []));
  },
  EXTERNAL(d) {
    d.intervene('EXTERNAL', () => {
      const s = d.session;
      s.externalKey();
    });
    return ok(['EXTERNAL INTERRUPT PENDING']);
  },
  INPUT(d, args) {
    const line = args.join(' ');
    d.input(line);
    return ok([`INPUT QUEUED: ${line}`]);
  },
  HELP: () => ok(helpLines()),
  LOGOFF: () => ({ ok: true, lines: ['LOGOFF'], quit: true }),
  QUIT: () => ({ ok: true, lines: ['LOGOFF'], quit: true }),
};

/** Instructions a console run command executes between yields to the event loop. */
export const RUN_SLICE = 200_000;

/**
 * Run one command line, yielding to the event loop every RUN_SLICE instructions of a BEGIN or a
 * long STEP n, so the console stays responsive and `attention()` (the terminal's interrupt key)
 * can stop it between slices. Every other command runs as `execute` does.
 */
export async function executeAsync(d: Debugger, text: string, attention: () => boolean): Promise<CommandResult> {
  const words = commandWords(text.trim().replace(/^#CP\s+/i, ''));
  const w = (words[0] ?? '').toUpperCase();
  const begin = w.length >= 1 && 'BEGIN'.startsWith(w) && words.length === 1;
  const n = w.length >= 3 && 'STEP'.startsWith(w) && words.length === 2 && /^\d+$/.test(words[1]) ? Number(words[1]) : 0;
  if (!begin && n <= RUN_SLICE) return execute(d, text);
  const before: Before = { gpr: d.gpr.slice(), cr: d.cr.slice(), psw: d.psw() };
  const want = begin ? d.maxRun : Math.min(n, d.maxRun);
  let done = 0, first = true, stop: Stop;
  for (;;) {
    const p = d.position;
    stop = d.resume(Math.min(RUN_SLICE, want - done), first);
    first = false;
    done += d.position - p;
    if (stop.reason !== 'step') break;
    if (done >= want) {
      const why = `stopped after ${done} instructions with no stop condition met (limit ${d.maxRun})`;
      if (begin || n > d.maxRun) stop = d.stop('limit', [...stop.lines.slice(0, -1), why]);
      break;
    }
    await new Promise<void>((r) => setImmediate(r));
    if (attention()) { stop = d.stop('limit', [`attention: stopped after ${done} instructions`]); break; }
  }
  if (begin) return ok([], stop);
  const after = { gpr: d.gpr, cr: d.cr, psw: d.psw(), mem: d.mem };
  const changes = changeLines(before, after, null, d.source.names, d.color, null, { truncated: false, unknown: false });
  return ok([], { ...stop, lines: [...stop.lines.slice(0, -1), ...changes, ...stop.lines.slice(-1)] });
}

/** Run one command line. Never throws for a bad command: the reason comes back in `lines`. */
export function execute(d: Debugger, text: string): CommandResult {
  const t = text.trim().replace(/^#CP\s+/i, '');
  if (t === '' || t.startsWith('*')) return ok();
  const line = parseCommand(t, 'debugger');
  if (line.kind !== 'command') return { ok: false, lines: [`UNKNOWN CP COMMAND: ${commandWords(t)[0].toUpperCase()} (HELP lists the commands)`] };
  try {
    if (line.command.debugger) return DEBUG_COMMANDS[line.command.name](d, line.args);
    if (d.vm) return cpCommand(d, commandWords(t), true);
    return { ok: false, lines: [`UNKNOWN CP COMMAND: ${commandWords(t)[0].toUpperCase()} (HELP lists the commands)`] };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, lines: [`INVALID OPERAND: ${e.reason}`] };
    throw e;
  }
}
