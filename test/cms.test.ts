/**
 * The toy CMS (programs/cms): run under CP with scripted console input and an in-memory A-disk
 * at X'191'. File commands, the on-disk format, persistence across IPLs, RUN, and a file sent
 * through the punch and received by another CMS's reader (the harness plays CP's spool: it
 * collects the punched cards and loads them into the other VM's reader).
 */
import { describe, expect, it } from 'vitest';
import { Disk3310 } from '../src/cpu/io/disk.ts';
import { MemoryBlockStore } from '../src/cpu/io/blockstore.ts';
import { BY_OPCODE, OP } from '../src/cpu/isa.ts';
import { Session, type Mode } from '../src/session/session.ts';
import { buildOrThrow, buildSourceOrThrow } from './guest-helpers.ts';

const CMS = new URL('../programs/cms/cms.s', import.meta.url).pathname;
const built = buildOrThrow(CMS);
const image = built.image;

interface Run { lines: string[]; cards: string[]; success: boolean; message: string; session: Session }

/** IPL CMS with an A-disk, type `input`, run until it logs off (or waits for more input). */
function cms(input: string[], disk: MemoryBlockStore, opts: { mode?: Mode; cards?: string[]; assist?: boolean } = {}): Run {
  const lines: string[] = [];
  const cards: string[] = [];
  const session = new Session(image, {
    mode: opts.mode ?? 'vm', input, cards: opts.cards ?? [], assist: opts.assist,
    console: (l) => lines.push(l),
    punch: (c) => cards.push(String.fromCharCode(...c)),
  });
  session.devices.channel.attach(0x191, new Disk3310(disk));
  const o = session.run(20_000_000);
  return { lines, cards, success: o.success, message: o.message, session };
}

const text = (store: MemoryBlockStore, block: number) => {
  const b = new Uint8Array(512);
  store.read(block, b);
  return b;
};

describe('CMS file commands under CP', () => {
  const disk = new MemoryBlockStore(300);
  const a = cms([
    'LISTFILE',
    'FORMAT',
    'create hello text', 'Hello, world', 'second line', '',
    'LISTFILE',
    'TYPE HELLO TEXT',
    'COPYFILE HELLO TEXT HI TEXT',
    'COPYFILE HELLO TEXT HI TEXT',
    'TYPE HI TEXT',
    'ERASE HELLO TEXT',
    'TYPE HELLO TEXT',
    'LISTFILE',
    'FROBNICATE',
    'LOGOFF',
  ], disk);

  it('runs the script to LOGOFF', () => {
    expect(a.success, a.message).toBe(true);
    expect(a.lines[0]).toBe('TINYCMS 1.0: A TOY CMS FOR TINYCP');
    expect(a.lines.at(-1)).toBe('LOGOFF: CMS ENDS');
  });

  it('prints the transcript CMS users expect', () => {
    expect(a.lines).toEqual([
      'TINYCMS 1.0: A TOY CMS FOR TINYCP',
      'A-DISK 191 IS NOT FORMATTED; USE FORMAT',
      'Ready;',
      'A-DISK NOT FORMATTED; USE FORMAT',
      'Ready(00036);',
      'FORMAT: A-DISK 191 FORMATTED, 256 BLOCKS',
      'Ready;',
      'INPUT:',
      'Ready;',
      'FILENAME FILETYPE FM   RECS BLOCKS',
      'HELLO    TEXT     A1     2     1',
      'Ready;',
      'Hello, world',
      'second line',
      'Ready;',
      'Ready;',
      'FILE ALREADY EXISTS',
      'Ready(00028);',
      'Hello, world',
      'second line',
      'Ready;',
      'Ready;',
      'FILE NOT FOUND',
      'Ready(00028);',
      'FILENAME FILETYPE FM   RECS BLOCKS',
      'HI       TEXT     A1     2     1',
      'Ready;',
      'UNKNOWN CP/CMS COMMAND: FROBNICA', // tokens are 8 characters, as in CMS
      'Ready(00001);',
      'LOGOFF: CMS ENDS',
    ]);
  });

  it('keeps the documented on-disk format', () => {
    const label = text(disk, 0);
    expect(String.fromCharCode(...label.subarray(0, 4))).toBe('CMS1');
    expect((label[4] << 24) | (label[5] << 16) | (label[6] << 8) | label[7]).toBe(256);
    const dir = text(disk, 1);
    // HELLO was erased (entry 0 cleared); HI TEXT is entry 1.
    expect(dir.subarray(0, 32).every((x) => x === 0)).toBe(true);
    expect(String.fromCharCode(...dir.subarray(32, 48))).toBe('HI      TEXT    ');
    const first = (dir[48] << 24) | (dir[49] << 16) | (dir[50] << 8) | dir[51];
    expect(dir[55]).toBe(2); // records
    const data = text(disk, first);
    expect([...data.subarray(0, 4)]).toEqual([0, 0, 0, 0]); // last block of the file
    expect(data[4]).toBe('Hello, world'.length);
    expect(String.fromCharCode(...data.subarray(5, 17))).toBe('Hello, world');
    // Blocks 0, 1 and HI's block are in use; HELLO's block was freed.
    const map = label[16];
    expect(map & 0xc0).toBe(0xc0);
    expect(map & (0x80 >> first)).not.toBe(0);
  });

  it('finds its files again after a new IPL, and files spanning several blocks survive', () => {
    const long = Array.from({ length: 40 }, (_, i) => `line ${i + 1} `.padEnd(30, '*'));
    const b = cms(['LISTFILE', 'CREATE BIG FILE', ...long, '', 'LISTFILE', 'TYPE BIG FILE', 'LOGOFF'], disk);
    expect(b.success, b.message).toBe(true);
    expect(b.lines[1]).toBe('A (191) R/W, FILES: 1');
    expect(b.lines).toContain('BIG      FILE     A1    40     3');
    const typed = b.lines.slice(b.lines.lastIndexOf('Ready;', b.lines.indexOf(long[0])) + 1, b.lines.indexOf(long[39]) + 1);
    expect(typed).toEqual(long);
  });

  it('runs the same bare and under CP, with the assist and without', () => {
    const script = ['FORMAT', 'CREATE A B', 'x', '', 'COPY A B C D', 'LISTF', 'ERASE A B', 'TYPE C D', 'LOGOFF'];
    const bare = cms(script, new MemoryBlockStore(64), { mode: 'bare' });
    const vm = cms(script, new MemoryBlockStore(64), { mode: 'vm', assist: false });
    const assisted = cms(script, new MemoryBlockStore(64), { mode: 'vm' });
    expect(bare.success).toBe(true);
    expect(vm.lines).toEqual(bare.lines);
    expect(assisted.lines).toEqual(bare.lines);
    expect(bare.lines).toContain('FORMAT: A-DISK 191 FORMATTED, 64 BLOCKS');
    // Without the assist CP starts every I/O and writes every line; with it the CPU does (PoO 2.9).
    expect(vm.session.vm!.counters.entries.privileged).toBeGreaterThan(10);
    expect(vm.session.vm!.counters.entries.diagnose).toBeGreaterThan(10);
    const on = assisted.session.vm!.assistCounters, off = vm.session.vm!.assistCounters;
    for (const op of [OP.SIO, OP.TIO, OP.DIAG]) expect(on.completed[op], BY_OPCODE[op]!.mnemonic).toBe(off.passed[op]);
    expect(on.completed[OP.DIAG]).toBeGreaterThan(10);
    expect(assisted.session.vm!.counters.entries.diagnose + assisted.session.vm!.counters.entries.privileged).toBe(0);
  });
});

describe('CMS spool: PUNCH to another user, READCARD there', () => {
  const diskA = new MemoryBlockStore(128);
  const a = cms(
    ['FORMAT', 'CREATE LETTER NOTE', 'Dear B,', 'here is a file.', '', 'PUNCH LETTER NOTE TO USERB', 'PUNCH NOSUCH FILE TO USERB', 'LOGOFF'],
    diskA,
  );

  it('punches a header card and one card per line', () => {
    expect(a.success, a.message).toBe(true);
    expect(a.lines).toContain('PUNCH: 2 CARDS TO USERB');
    expect(a.cards.map((c) => c.trimEnd())).toEqual([':READ LETTER NOTE', 'Dear B,', 'here is a file.']);
    expect(a.cards.every((c) => c.length === 80)).toBe(true);
  });

  it('the receiver reads the deck into a disk file and types it', () => {
    const b = cms(['FORMAT', 'READCARD', 'LISTFILE', 'TYPE LETTER NOTE', 'READCARD', 'LOGOFF'], new MemoryBlockStore(128), { cards: a.cards });
    expect(b.success, b.message).toBe(true);
    expect(b.lines).toContain('READCARD: LETTER NOTE, 2 RECORDS');
    expect(b.lines).toContain('LETTER   NOTE     A1     2     1');
    const i = b.lines.indexOf('Dear B,');
    expect(b.lines.slice(i, i + 2)).toEqual(['Dear B,', 'here is a file.']);
    expect(b.lines).toContain('NO CARDS IN READER');
  });

  it('refuses a deck with no :READ card', () => {
    const b = cms(['FORMAT', 'READCARD', 'LOGOFF'], new MemoryBlockStore(64), { cards: ['just a card'] });
    expect(b.lines).toContain('NO :READ CARD IN FRONT OF THE DECK');
  });
});

describe('CMS RUN', () => {
  // A program assembled for USERAREA (X'7000'), turned into a file of hexadecimal words.
  const prog = buildSourceOrThrow(`
        .org  0x7000
start:  LARL  R2,msg
        LHI   R3,msglen
        DIAG  R2,R3,DIAG_CONSOLE_WRITE
        LHI   R15,7
        BR    R14
        .align 4
msg:    .ascii "hello from a RUN program"
msglen = * - msg
`, 'prog.s');
  const bytes = prog.image.segments[0].bytes;
  const words: string[] = [];
  for (let i = 0; i < bytes.length; i += 4) words.push([...bytes.slice(i, i + 4)].map((x) => x.toString(16).padStart(2, '0')).join(''));
  const hex = ['* hello, as hexadecimal words'];
  for (let i = 0; i < words.length; i += 6) hex.push(words.slice(i, i + 6).join(' '));

  it('loads and calls a program; its R15 is the return code; a program check comes back to CMS', () => {
    const r = cms(['FORMAT', 'CREATE HELLO HEX', ...hex, '', 'RUN HELLO HEX', 'CREATE BAD HEX', '00000000', '', 'RUN BAD HEX',
      'CREATE WORSE HEX', '12345G', '', 'RUN WORSE HEX', 'LOGOFF'], new MemoryBlockStore(64));
    expect(r.success, r.message).toBe(true);
    const i = r.lines.indexOf('hello from a RUN program');
    expect(i).toBeGreaterThan(0);
    expect(r.lines[i + 1]).toBe('Ready(00007);');
    expect(r.lines).toContain("DMSABN: PROGRAM CHECK X'0001' AT X'007004'");
    expect(r.lines).toContain('INVALID HEXADECIMAL WORD IN THE PROGRAM FILE');
  });
});
