/**
 * One command language (issue 10 §6): CP and the debugger read one table and one parser, and the
 * documented command lists (PoO 10.12, docs/timesharing.md, docs/debugging.md) name exactly the
 * table's commands with the table's abbreviations (the capitals of each documented name).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_ALIASES, COMMAND_TABLE, commandClasses, findCommand, parseCommand } from '../src/monitor/command-language.ts';
import { hexOperand, registerRange, storageRange, type StorageOperand } from '../src/monitor/operator.ts';

const doc = (name: string) => readFileSync(new URL(`../docs/${name}`, import.meta.url), 'utf8');
const names = (f: (c: (typeof COMMAND_TABLE)[number]) => boolean) => COMMAND_TABLE.filter(f).map((c) => c.name).sort();
const mins = (f: (c: (typeof COMMAND_TABLE)[number]) => boolean) => Object.fromEntries(COMMAND_TABLE.filter(f).map((c) => [c.name, c.min]));

/** The text from the heading line `start` up to the next heading of the same or a higher level. */
function section(text: string, start: string): string {
  const i = text.indexOf(`\n${start}\n`);
  expect(i, start).toBeGreaterThanOrEqual(0);
  const level = /^#+/.exec(start)![0].length;
  const rest = text.slice(i + start.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return end < 0 ? rest : rest.slice(0, end);
}

/**
 * The commands named in the first column of the first `| Command |` table of `text`: for each
 * row, the command its first backticked word names, and any other backticked word that names one,
 * with its abbreviation (its leading capitals; `TRace` is 2, `TRACE END` next to it does not
 * lengthen it). Aliases are skipped; an unknown first word is kept, so the comparison fails.
 */
function documented(text: string): Record<string, number> {
  const start = text.indexOf('| Command |');
  expect(start).toBeGreaterThanOrEqual(0);
  const out: Record<string, number> = {};
  for (const row of text.slice(start).split('\n').slice(2)) {
    if (!row.startsWith('|')) break;
    const first = row.split(/(?<!\\)\|/)[1];
    for (const [i, m] of [...first.matchAll(/`([A-Za-z]+)[^`]*`/g)].entries()) {
      const word = m[1];
      // The row's first name is a command; later ones are operands (`PSW`, `TO *`) unless they name one.
      if (Object.hasOwn(COMMAND_ALIASES, word.toUpperCase()) || (i > 0 && !COMMAND_TABLE.some((c) => c.name === word.toUpperCase()))) continue;
      const min = /^[A-Z]*/.exec(word)![0].length;
      const name = word.toUpperCase();
      out[name] = Math.min(out[name] ?? Infinity, min);
    }
  }
  return out;
}

/** Command names in capitals in a sentence of prose. */
function namedIn(sentence: string): string[] {
  const all = new Set<string>(COMMAND_TABLE.map((c) => c.name));
  return [...new Set([...sentence.matchAll(/\b[A-Z]{2,}\b/g)].map((m) => m[0]).filter((w) => all.has(w)))].sort();
}

describe('the command table', () => {
  it('gives every word at most one command: no abbreviation of one is an abbreviation of another', () => {
    for (const a of COMMAND_TABLE) for (const b of COMMAND_TABLE) {
      if (a === b) continue;
      let common = 0;
      while (common < Math.min(a.name.length, b.name.length) && a.name[common] === b.name[common]) common++;
      expect(common, `${a.name} / ${b.name}`).toBeLessThan(Math.max(a.min, b.min));
    }
  });

  it('finds commands by name, abbreviation and alias, and only the front\'s own', () => {
    expect(findCommand('tr')?.name).toBe('TRACE');
    expect(findCommand('t')).toBeUndefined();
    expect(findCommand('TRAN')?.name).toBe('TRANSLATE');
    expect(findCommand('msg')?.name).toBe('MESSAGE');
    expect(findCommand('STE', 'debugger')?.name).toBe('STEP');
    expect(findCommand('STE', 'cp')).toBeUndefined(); // STEP is the debugger's: CP says unknown
    expect(findCommand('HELP', 'cp')).toBeUndefined();
    expect(findCommand('DIAL', 'debugger')?.cp).toBe(true); // the debugger hands it to CP
    expect(findCommand('STEPS', 'debugger')).toBeUndefined();
  });

  it('parses a line into the command and its operands', () => {
    expect(parseCommand('  ')).toEqual({ kind: 'empty' });
    expect(parseCommand('bogus 1 2')).toEqual({ kind: 'unknown', word: 'BOGUS' });
    const p = parseCommand(' d   g 3 ', 'debugger');
    expect(p.kind === 'command' && [p.command.name, p.args]).toEqual(['DISPLAY', ['g', '3']]);
  });

  it('keeps VM/370\'s privilege classes', () => {
    expect(commandClasses('DIAL')).toBe('A');
    expect(commandClasses('QUERY')).toContain('G');
    expect(commandClasses('LINK')).toBe('G');
  });
});

describe('the operand parsers CP and the debugger share', () => {
  const cp: StorageOperand = { resolve: hexOperand, what: 'a hex address', size: 0x1000, storage: "the VM's storage", defaultLength: 16, maxLength: 0x100 };

  it('reads addr, addr.len and addr-addr, and refuses what does not fit with a reason', () => {
    expect(storageRange('200', cp)).toEqual([0x200, 16]);
    expect(storageRange('200.8', cp)).toEqual([0x200, 8]);
    expect(storageRange('200-20F', cp)).toEqual([0x200, 16]);
    expect(storageRange('20F-200', cp)).toMatch(/not an address at or after 00020F/);
    expect(storageRange('200.101', cp)).toMatch(/not between 1 and X'100'/);
    expect(storageRange('FF8.10', cp)).toMatch(/outside the VM's storage/);
    expect(storageRange('nosuch', cp)).toMatch(/'nosuch' is not a hex address/);
    const symbols = { ...cp, resolve: (t: string) => (t === 'BUF' ? 0x300 : hexOperand(t)) };
    expect(storageRange('BUF.4', symbols)).toEqual([0x300, 4]);
  });

  it('reads register ranges', () => {
    expect(registerRange(undefined)).toEqual([0, 15]);
    expect(registerRange('3-5')).toEqual([3, 5]);
    expect(registerRange('5-3')).toMatch(/not a register/);
    expect(registerRange('16')).toMatch(/not a register/);
  });
});

describe('the documented command lists equal the table', () => {
  const poo = section(doc('principles-of-operation.md'), '### 10.12 CP commands');

  it('PoO 10.12: its table is CP\'s commands without the time-sharing system, with their abbreviations', () => {
    expect(documented(poo)).toEqual(mins((c) => c.cp && !c.timesharing));
  });

  it('PoO 10.12: its prose names what the time-sharing system and the debugger add', () => {
    const ts = /The time-sharing system \(10\.14\) adds ([^;]*);/.exec(poo);
    expect(ts).not.toBeNull();
    expect(namedIn(ts![1])).toEqual(names((c) => c.cp && c.timesharing));
    const dbg = /`tinycp debug` adds ([^.]*)\./.exec(poo.replace(/\n/g, ' '));
    expect(dbg).not.toBeNull();
    expect(namedIn(dbg![1]).filter((n) => n !== 'ADSTOP')).toEqual(names((c) => c.debugger && !c.cp));
  });

  it('docs/timesharing.md lists every CP command', () => {
    expect(documented(section(doc('timesharing.md'), '## CP commands'))).toEqual(mins((c) => c.cp));
  });

  it('docs/debugging.md lists every command the debugger implements', () => {
    expect(documented(section(doc('debugging.md'), '## The CP console: `tinycp debug`'))).toEqual(mins((c) => c.debugger));
  });

  it('the doc reader finds a wrong abbreviation and a missing command', () => {
    const table = '| Command | What |\n|---|---|\n| `TRACe class` | x |\n| `Begin` | y |\n';
    expect(documented(table)).toEqual({ TRACE: 4, BEGIN: 1 });
    expect(documented(table)).not.toEqual(mins((c) => c.name === 'TRACE' || c.name === 'BEGIN' || c.name === 'STEP'));
  });
});
