import { describe, expect, it } from 'vitest';
import { assemble, load, readObject, writeObject } from '../src/guest/index.ts';
import { makeStorage, loadWord, loadByte } from '../src/cpu/storage.ts';

const prog = assemble('  .org 0x200\nstart: LHI R1,5\n  BR R14\nmsg: .ascii "hi"\n', { file: 'p.s' });

describe('object files', () => {
  it('round-trips segments, entry, symbols and the source map', () => {
    const text = writeObject(prog);
    const o = JSON.parse(text);
    expect(o).toMatchObject({
      format: 'tinycp-object', version: 1, entry: 0x200,
      segments: [{ address: 0x200, hex: 'c010000507fe00006869' }], symbols: { START: 0x200, MSG: 0x208 },
    });
    const r = readObject(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.image.entry).toBe(0x200);
    expect(r.image.segments).toEqual([{ address: 0x200, bytes: new Uint8Array([0xc0, 0x10, 0, 5, 7, 0xfe, 0, 0, 0x68, 0x69]) }]);
    expect(r.image.symbols).toEqual({ START: 0x200, MSG: 0x208 });
    expect(r.image.lines).toEqual([
      { file: 'p.s', line: 2, address: 0x200, length: 4 },
      { file: 'p.s', line: 3, address: 0x204, length: 4 },
      { file: 'p.s', line: 4, address: 0x208, length: 2 },
    ]);
  });
  it('rejects bad input with a reason, never throwing', () => {
    const bad: [string, RegExp][] = [
      ['not json', /invalid JSON/],
      ['[]', /expected a JSON object/],
      ['{"format":"elf"}', /"format" is "elf"/],
      ['{"format":"tinycp-object","version":2}', /version 2/],
      ['{"format":"tinycp-object","version":1,"entry":-1,"segments":[]}', /"entry" must be/],
      ['{"format":"tinycp-object","version":1,"segments":{}}', /"segments" must be an array/],
      ['{"format":"tinycp-object","version":1,"segments":[{"address":0,"hex":"abc"}]}', /segment 0: "hex"/],
      ['{"format":"tinycp-object","version":1,"segments":[{"address":16777215,"hex":"0000"}]}', /runs past/],
      ['{"format":"tinycp-object","version":1,"segments":[{"address":0,"hex":"0000"},{"address":1,"hex":"00"}]}', /overlap/],
      ['{"format":"tinycp-object","version":1,"segments":[],"symbols":{"A":"x"}}', /symbol A/],
      ['{"format":"tinycp-object","version":1,"segments":[],"lines":[{}]}', /lines\[0\]/],
    ];
    for (const [t, re] of bad) {
      const r = readObject(t);
      expect(r.ok, t).toBe(false);
      if (!r.ok) expect(r.error, t).toMatch(re);
    }
  });
});

describe('loader', () => {
  it('loads segments and generates an IPL PSW pointing at the entry', () => {
    const mem = makeStorage(64 * 1024);
    mem[0] = -1; // the loader must overwrite a stale PSW
    expect(load(mem, prog)).toEqual({ ok: true, entry: 0x200, psw: 'generated' });
    expect([loadWord(mem, 0), loadWord(mem, 4)]).toEqual([0, 0x200]);
    expect(loadWord(mem, 0x200)).toBe(0xc0100005 | 0);
    expect([loadByte(mem, 0x208), loadByte(mem, 0x209)]).toEqual([0x68, 0x69]);
  });
  it('uses the image\'s own IPL PSW when it defines address 0..7', () => {
    const r = assemble('  .org 0\n  .psw PSW_EXT, go\n  .org 0x400\ngo: LHI R1,1\n');
    const mem = makeStorage(64 * 1024);
    expect(load(mem, r)).toEqual({ ok: true, entry: 0x400, psw: 'image' });
    expect([loadWord(mem, 0), loadWord(mem, 4)]).toEqual([0x01000000, 0x400]);
  });
  it('reports segments that do not fit', () => {
    const r = assemble('  .org 0x10000\n  .word 1, 2\n');
    expect(load(makeStorage(64 * 1024), r)).toEqual({ ok: false, error: "segment at X'10000' (8 bytes) does not fit in storage of 65536 bytes" });
  });
  it('reports a half-defined IPL PSW and a missing entry point', () => {
    expect(load(makeStorage(65536), assemble('.word 5'))).toMatchObject({ ok: false, error: expect.stringMatching(/only part of the IPL PSW/) });
    expect(load(makeStorage(65536), { segments: [], entry: undefined })).toMatchObject({ ok: false, error: expect.stringMatching(/no entry point/) });
    expect(load(makeStorage(65536), { segments: [], entry: 0x20000 })).toMatchObject({ ok: false, error: expect.stringMatching(/outside storage/) });
  });
  it('loads what readObject returns', () => {
    const r = readObject(writeObject(prog));
    if (!r.ok) throw new Error(r.error);
    const mem = makeStorage(65536);
    expect(load(mem, r.image)).toMatchObject({ ok: true, entry: 0x200 });
    expect(loadWord(mem, 0x204)).toBe(0x07fe0000);
  });
});
