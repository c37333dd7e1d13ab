/**
 * The spool on disk against damage (issue 9 §3): whatever state the journal or the folder is in,
 * loading never throws, never loses a card file, and the next CLOSE never overwrites one. Cards
 * are 80 bytes of anything (binary-safe), and a CLOSE costs one journal append.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CMD_READ, UNIT_EXCEPTION } from '../src/cpu/arch.ts';
import { textToBytes } from '../src/cpu/io/types.ts';
import { CARD_BYTES, Spool, SpoolReader } from '../src/timesharing/spool.ts';
import { workDir } from './system-helpers.ts';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
const fresh = () => { const d = workDir(); dirs.push(d); return d; };
const card = (s: string) => textToBytes(s.padEnd(80));

/** A spool with files 1 (to B), 2 (to C, then purged) and 3 (to B); returns the folder. */
function populated(): string {
  const d = fresh();
  const s = new Spool(d);
  s.enqueue('A', 'B', 'PUN', [card('ONE'), card('TWO')], 'F1 TEXT');
  s.enqueue('A', 'C', 'PUN', [card('GONE')], 'F2 TEXT');
  s.enqueue('A', 'B', 'PUN', [card('THREE')], 'F3 TEXT');
  s.purge(2);
  return d;
}
const J = (d: string) => join(d, 'spool.journal');
const text = (c: Uint8Array) => Buffer.from(c).toString('latin1').trimEnd();

const DAMAGE: [string, (d: string) => void][] = [
  ['null', (d) => writeFileSync(J(d), 'null\n')],
  ['[]', (d) => writeFileSync(J(d), '[]\n')],
  ['{}', (d) => writeFileSync(J(d), '{}\n')],
  ['wrong types', (d) => writeFileSync(J(d), '+{"id":"1","from":7,"to":null,"kind":"PUN","name":[],"records":-1}\n')],
  ['truncated', (d) => { const t = readFileSync(J(d), 'utf8'); writeFileSync(J(d), t.slice(0, Math.floor(t.length / 2))); }],
  ['non-numeric counter', (d) => writeFileSync(J(d), '+{"id":"NaN","from":"A","to":"B","kind":"PUN","name":"X","records":1}\n-abc\n')],
  ['missing journal', (d) => rmSync(J(d))],
  ['empty journal', (d) => writeFileSync(J(d), '')],
  ['binary garbage', (d) => writeFileSync(J(d), Buffer.from([0, 255, 10, 13, 0x2b, 0x7b, 10]))],
  ['duplicate entries', (d) => { const t = readFileSync(J(d), 'utf8'); writeFileSync(J(d), t + t); }],
  ['a legacy index.json of the wrong shape and no journal', (d) => { rmSync(J(d)); writeFileSync(join(d, 'index.json'), '{"next":"x","files":null}'); }],
  ['extra card file (crash between card file and journal)', (d) => {
    const s = new Spool(fresh()); const f = s.enqueue('A', 'B', 'PUN', [card('FOUR')], 'F4 TEXT');
    writeFileSync(join(d, '0004.cards'), readFileSync(join(s.dir, `000${f.id}.cards`)).toString('latin1').replace('"id":1', '"id":4'), 'latin1');
  }],
];

describe('a damaged spool index', () => {
  for (const [kind, damage] of DAMAGE) {
    it(`${kind}: loading neither throws nor loses a file, and the next CLOSE overwrites nothing`, () => {
      const d = populated();
      damage(d);
      const before = new Map(readdirSync(d).filter((n) => n.endsWith('.cards')).map((n) => [n, readFileSync(join(d, n))]));
      const s = new Spool(d);
      expect(s.readerFiles('B').slice(0, 2).map((f) => [f.id, f.name, s.cards(f).map(text)])).toEqual([
        [1, 'F1 TEXT', ['ONE', 'TWO']], [3, 'F3 TEXT', ['THREE']],
      ]);
      if (kind.startsWith('extra')) expect(s.readerFiles('B')[2]).toMatchObject({ id: 4, name: 'F4 TEXT' });
      const f = s.enqueue('A', 'B', 'PUN', [card('NEW')], 'NEW DECK');
      expect(before.has(`${String(f.id).padStart(4, '0')}.cards`)).toBe(false);
      for (const [n, b] of before) expect(readFileSync(join(d, n))).toEqual(b);
      // And the index it wrote back loads cleanly with the same files.
      const again = new Spool(d);
      expect(again.files.map((x) => x.id)).toEqual(s.files.map((x) => x.id));
      expect(again.notes).toEqual([]);
    });
  }

  it('a card file listed in the journal but gone is dropped; the others are kept', () => {
    const d = populated();
    rmSync(join(d, '0003.cards'));
    const s = new Spool(d);
    expect(s.files.map((f) => f.id)).toEqual([1]);
    expect(s.notes[0]).toMatch(/rebuilt.*0*3 is in the journal but its card file is missing/);
  });

  it('a card file that is not a spool file (damaged header) is left in place, reported, and never overwritten', () => {
    const d = populated();
    writeFileSync(join(d, '0005.cards'), 'NOT A SPOOL FILE\n');
    const s = new Spool(d);
    expect(s.files.map((f) => f.id)).toEqual([1, 3]);
    expect(s.notes.join('\n')).toMatch(/0005\.cards is not a readable spool file/);
    const ids = [s.enqueue('A', 'B', 'PUN', [card('X')], 'X').id, s.enqueue('A', 'B', 'PUN', [card('Y')], 'Y').id];
    expect(ids).not.toContain(5);
    expect(readFileSync(join(d, '0005.cards'), 'utf8')).toBe('NOT A SPOOL FILE\n');
  });

  it('a card file made by someone else while CP runs is skipped, not overwritten', () => {
    const d = fresh();
    const s = new Spool(d);
    writeFileSync(join(d, '0001.cards'), 'SOMEONE ELSE');
    const f = s.enqueue('A', 'B', 'PUN', [card('MINE')], 'M');
    expect(f.id).toBe(2);
    expect(readFileSync(join(d, '0001.cards'), 'utf8')).toBe('SOMEONE ELSE');
  });
});

describe('spool files on disk', () => {
  it('cards are 80 bytes of anything: X\'0A\', X\'0D\', X\'00\' and X\'FF\' round-trip, one card each', () => {
    const d = fresh();
    const cards = [new Uint8Array(80).fill(0x0a), Uint8Array.from({ length: 80 }, (_, i) => (i * 37) & 255), new Uint8Array(80).fill(0x0d)];
    const s = new Spool(d);
    s.enqueue('A', 'B', 'PUN', cards, 'BIN DATA');
    const r = new SpoolReader(new Spool(d), 'B'); // read back after a restart
    const got: Uint8Array[] = [];
    for (;;) { const x = r.command(CMD_READ); if (x.status & UNIT_EXCEPTION) break; got.push(x.data!); }
    expect(got).toEqual(cards);
  });

  it('a CLOSE appends one journal line: the journal does not grow with the size of the spool', () => {
    const d = fresh();
    const s = new Spool(d);
    const growth: number[] = [];
    for (let i = 0; i < 600; i++) {
      const before = existsSync(J(d)) ? statSync(J(d)).size : 0;
      s.enqueue('A', 'B', 'PUN', [card(`C${i}`)], 'N');
      growth.push(statSync(J(d)).size - before);
    }
    expect(Math.max(...growth.slice(1))).toBeLessThan(200); // one line, never the whole index
    expect(new Spool(d).files.length).toBe(600);
    expect(statSync(join(d, '0600.cards')).size % CARD_BYTES).toBeGreaterThan(0); // header + one card
  });

  it('purges are journalled too, and the journal is compacted now and then', () => {
    const d = fresh();
    const s = new Spool(d);
    for (let i = 0; i < 1500; i++) s.purge(s.enqueue('A', 'B', 'PUN', [card('X')], 'N').id);
    expect(readFileSync(J(d), 'utf8').split('\n').length).toBeLessThan(1100);
    const t = new Spool(d);
    expect(t.files).toEqual([]);
    expect(t.notes).toEqual([]);
    expect(t.enqueue('A', 'B', 'PUN', [card('X')], 'N').id).toBe(1501);
  });
});
