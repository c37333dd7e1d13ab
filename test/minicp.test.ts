/**
 * minicp, the virtual machine monitor in tinycp assembly (programs/minicp/, docs/minicp.md):
 * programs run 1-3 levels deep in it, bare and under CP, must end the same way with the same
 * console output as on the bare machine (Popek & Goldberg's equivalence, and their theorem 2:
 * the monitor runs itself); and the cost of each level, measured (trap amplification).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildFile, buildSource } from '../src/host/build.ts';
import { Session, type Mode, type Outcome } from '../src/session/session.ts';
import { buildMinicp, nestImage, nestNarrator } from '../src/cli/nest.ts';
import { costTable, measureNesting } from '../src/cli/nest-costs.ts';
import { storageHash } from '../src/cpu/storage.ts';
import { generate } from './fuzz/generator.ts';
import { INPUT_LINES, READER_CARDS } from './fuzz/differential.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TESTS = join(ROOT, 'programs/tests');

interface Run { outcome: Outcome; out: string[]; session: Session; base: number }

/** Run a program `depth` levels deep in minicp (0: directly) on the bare machine or under CP. */
function run(file: string, depth: number, mode: Mode = 'bare', patch?: [string, number]): Run {
  const b = buildFile(file);
  if (!b.ok) throw new Error(b.errors.join('\n'));
  const n = nestImage(b.image, depth, 1 << 20);
  if (!n.ok) throw new Error(n.error);
  const out: string[] = [];
  const session = new Session(n.image, { mode, storage: n.storage, console: (l) => out.push(l) });
  if (patch) session.mem[(depth * n.base + b.image.symbols[patch[0]]) >>> 2] = patch[1];
  const outcome = session.run(500_000_000);
  return { outcome, out, session, base: n.base };
}

/** The same ending and the same console output as the program run directly. */
function expectSame(file: string, depth: number, mode: Mode = 'bare', patch?: [string, number]): Run {
  const direct = run(file, 0, 'bare', patch);
  const nested = run(file, depth, mode, patch);
  expect(direct.outcome.state, `${file} bare`).toBe('ended');
  expect(nested.outcome.message, `${file} at depth ${depth} ${mode}`).toBe(direct.outcome.message);
  expect(nested.out, `${file} at depth ${depth} ${mode}`).toEqual(direct.out);
  return nested;
}

describe('minicp', () => {
  it('assembles, and its header says where the guest goes', () => {
    const m = buildMinicp();
    expect(m.ok).toBe(true);
    const n = nestImage({ segments: [], entry: 0x200 }, 2, 1 << 20);
    expect(n.ok && n.base).toBe(0x10000);
    expect(n.ok && n.storage).toBe((1 << 20) + 2 * 0x10000);
  });

  it('refuses a depth it cannot build, with the reason', () => {
    expect(nestImage({ segments: [], entry: 0x200 }, 9, 1 << 20)).toMatchObject({ ok: false, error: '--nest must be 0..8' });
    expect(nestImage({ segments: [], entry: 0x200 }, 2, 16 << 20)).toMatchObject({ ok: false });
  });

  it('runs hello one, two and three deep with the output of the bare machine', () => {
    for (const d of [1, 2, 3]) {
      const r = expectSame(join(ROOT, 'programs/hello.s'), d);
      expect(r.out).toEqual(['Hello, world']);
    }
  });

  it('runs syscall, timer and tlbmiss as the bare machine does', () => {
    expectSame(join(ROOT, 'programs/syscall.s'), 1, 'bare', ['COUNT', 500]);
    expect(expectSame(join(ROOT, 'programs/timer.s'), 1).out).toEqual(['tick 1', 'tick 2', 'tick 3', 'tick 4', 'tick 5']);
    expectSame(join(ROOT, 'programs/tlbmiss.s'), 1);
  });

  it('runs MTOS one deep bare, and two deep under CP, with the bare console output', () => {
    expectSame(join(ROOT, 'programs/mtos/mtos.s'), 1);
    expectSame(join(ROOT, 'programs/mtos/mtos.s'), 2, 'vm');
  }, 120_000);

  it('runs MTOS three deep on the bare machine', () => {
    expectSame(join(ROOT, 'programs/mtos/mtos.s'), 3);
  }, 120_000);

  it('narrates which level handled each event', () => {
    const b = buildFile(join(ROOT, 'programs/hello.s'));
    if (!b.ok) throw new Error(b.errors.join('\n'));
    const n = nestImage(b.image, 2, 1 << 20);
    if (!n.ok) throw new Error(n.error);
    const s = new Session(n.image, { mode: 'bare', storage: n.storage, console: () => {} });
    const lines: string[] = [];
    const poll = nestNarrator(s.mem, 2, n.base, (l) => lines.push(l));
    s.events.on('interrupt', () => poll());
    expect(s.run(10_000_000).success).toBe(true);
    poll();
    // the guest's SIO reaches level 1 first, which reflects it; level 2 emulates it, which takes
    // a real SIO, trapped and emulated by level 1
    const sio = lines.findIndex((l) => /^\*\*\* level 2 minicp: program interruption code X'0002' at 00020C: emulated SIO 0x9 at 000208/.test(l));
    expect(sio).toBeGreaterThan(0);
    const before = lines.slice(0, sio);
    const reflectedLine = /^\*\*\* level 1 minicp: program interruption code X'0002' at 00020C: reflected program X'0002' into its guest/;
    const reflected = before.map((l) => reflectedLine.test(l)).lastIndexOf(true);
    expect(reflected).toBeGreaterThanOrEqual(0);
    expect(before.slice(reflected).some((l) => /^\*\*\* level 1 minicp: .*emulated SIO 0\(R11\)/.test(l))).toBe(true);
    // level 2's own exit path (SPT, SCK, LPSW) is emulated by level 1
    const after = lines.slice(sio + 1).filter((l) => l.startsWith('*** level 1') && l.includes('emulated')).slice(0, 3);
    expect(after.map((l) => l.replace(/.*emulated (\w+).*/, '$1'))).toEqual(['SPT', 'SCK', 'LPSW']);
    expect(lines[0]).toBe('*** level 1 minicp: started its guest from its IPL PSW');
  });

  it('tells the guest how deep it is: DIAGNOSE IDENTIFY one level below its host', () => {
    const levelOf = (r: Run, depth: number) => {
      const b = buildFile(join(TESTS, 'diag.s'));
      return r.session.mem[(depth * r.base + (b.ok ? b.image.symbols.LEVEL : 0)) >>> 2];
    };
    expect(levelOf(run(join(TESTS, 'diag.s'), 1), 1)).toBe(1);
    expect(levelOf(run(join(TESTS, 'diag.s'), 1, 'vm'), 1)).toBe(2);
    expect(levelOf(run(join(TESTS, 'diag.s'), 3), 3)).toBe(3);
  });
});

describe('minicp passes endings down', () => {
  const src = (body: string) => `        .include "tinycp.inc"\n        .org 0\n        .psw 0,start\n${body}`;
  function endOf(text: string, depth: number): Outcome {
    const b = buildSource(text, 'end.s');
    if (!b.ok) throw new Error(b.errors.join('\n'));
    const n = nestImage(b.image, depth, 1 << 20);
    if (!n.ok) throw new Error(n.error);
    return new Session(n.image, { mode: 'bare', storage: n.storage }).run(10_000_000);
  }
  it('an interruption loop (PoO 5.2.1) ends the run as it does bare', () => {
    // a program new PSW whose first instruction is an operation exception: a loop
    const loop = src('        .org LC_PROGRAM_NEW\n        .psw 0,bad\n        .org 0x200\nstart:  .word 0\nbad:    .word 0\n');
    for (const d of [0, 1, 2]) expect(endOf(loop, d), `depth ${d}`).toMatchObject({ state: 'ended', reason: 'interruption-loop' });
  });
  it('an invalid new PSW check-stops (PoO 5.9) as it does bare', () => {
    const stop = src('        .org LC_SVC_NEW\n        .word 0xFFFFFFFF,0\n        .org 0x200\nstart:  SVC 1\n');
    for (const d of [0, 1, 2]) expect(endOf(stop, d), `depth ${d}`).toMatchObject({ state: 'ended', reason: 'check-stop' });
  });
  it('the comparison can fail: a minicp whose alarm clock goes off one instruction late is caught', () => {
    const m = buildMinicp();
    if (!m.ok) throw new Error('minicp');
    // in run.s the timer value is D - vnow + 3 (LHI R3,3 after AL_SET); make it + 4
    const seg = m.image.segments.find((g) => g.address <= m.image.symbols.AL_SET && m.image.symbols.AL_SET < g.address + g.bytes.length)!;
    const bytes = Uint8Array.from(seg.bytes);
    let at = -1;
    for (let o = m.image.symbols.AL_SET - seg.address; o < bytes.length - 4 && at < 0; o += 4) {
      if (bytes[o] === 0xc0 && bytes[o + 1] === 0x30 && bytes[o + 2] === 0 && bytes[o + 3] === 3) at = o;
    }
    expect(at).toBeGreaterThan(0);
    bytes[at + 3] = 4;
    const late = (prog: Parameters<typeof nestImage>[0]) => {
      const n = nestImage(prog, 1, 1 << 20);
      if (!n.ok) throw new Error(n.error);
      const segments = n.image.segments.map((g) => (g.address === seg.address ? { ...g, bytes } : g));
      const out: string[] = [];
      const r = new Session({ ...n.image, segments }, { mode: 'bare', storage: n.storage, console: (l) => out.push(l) }).run(10_000_000);
      return { r, out };
    };
    // int_external.s checks the instruction count at which its timer interruptions arrive
    const e = buildFile(join(TESTS, 'int_external.s'));
    if (!e.ok) throw new Error('build');
    expect(late(e.image).r.message).not.toBe('test result: PASS');
    expect(run(join(TESTS, 'int_external.s'), 1).outcome.message).toBe('test result: PASS');
  });
});

describe("minicp hands the guest its TOD clock exactly", () => {
  // SCK then STCK, each value chosen so that the clock minicp sets on the way out (2 less than
  // the guest's, run.s) borrows across the low word, or sits at the top of the range or near
  // its bottom: the STCKs must read what they read on the bare machine, one and two deep.
  const values = [
    [0, -1], [1, 0], [0, 0], [-1, -1], [0x001fffff, -1], [0x7fffffff, -3], [0x7fffffff, -1],
    [0x80000000 | 0, 0], [0x80000000 | 0, 1], [0x80000000 | 0, 2],
  ];
  const body = values.map(([h, l], i) => `        SCK   v${i}\n        STCK  t${i}\n        STCK  t${i}+8\n`).join('') +
    '        SCK   v7\n        LR    R1,R1\n        STCK  tx\n' + // X'8000...' again, then an instruction that reads no clock

    '        LPSW  done\n        .align 8\ndone:   .psw  PSW_WAIT,0x998\n' +
    values.map(([h, l], i) => `v${i}:    .word ${h},${l}\nt${i}:    .word 0,0,0,0\n`).join('') + 'tx:     .word 0,0,0,0\n';
  const text = `        .include "tinycp.inc"\n        .org 0\n        .psw 0,start\n        .org 0x200\nstart:\n${body}`;
  const read = (depth: number) => {
    const b = buildSource(text, 'tod.s');
    if (!b.ok) throw new Error(b.errors.join('\n'));
    const n = nestImage(b.image, depth, 1 << 20);
    if (!n.ok) throw new Error(n.error);
    const s = new Session(n.image, { mode: 'bare', storage: n.storage });
    expect(s.run(10_000_000)).toMatchObject({ state: 'ended', reason: 'disabled-wait' });
    return [...values.map((_, i) => `T${i}`), 'TX'].map((t) => [0, 1, 2, 3].map((k) => s.mem[(depth * n.base + b.image.symbols[t] + 4 * k) >>> 2]));
  };
  it('across a borrow from the high word, at the top, near the bottom', () => {
    const bare = read(0);
    expect(bare[0]).toEqual([1, 0, 1, 1]); // X'00000000FFFFFFFF' + 1, + 2
    expect(read(1)).toEqual(bare);
    expect(read(2)).toEqual(bare);
  }, 60_000);
});

const files = readdirSync(TESTS).filter((f) => f.endsWith('.s')).sort();

describe('the guest tests under minicp compare with the bare machine', () => {
  it('finds the test programs', () => { expect(files.length).toBeGreaterThanOrEqual(25); });
  for (const f of files) {
    it(`${f}, one deep`, () => {
      const r = expectSame(join(TESTS, f), 1);
      expect(r.outcome.message).toBe('test result: PASS');
    });
  }
  // Deeper, the timing-sensitive and translation-heavy ones (diag.s checks a level of at most 1).
  for (const f of ['timers.s', 'clocks64.s', 'int_io.s', 'int_external.s', 'dat.s', 'pgm_page.s', 'pgm_protection.s']) {
    it(`${f}, three deep`, () => { expect(expectSame(join(TESTS, f), 3).outcome.message).toBe('test result: PASS'); }, 60_000);
    it(`${f}, two deep under CP`, () => { expect(expectSame(join(TESTS, f), 2, 'vm').outcome.message).toBe('test result: PASS'); }, 60_000);
  }
});

describe("the fuzzer's random programs under minicp compare with the bare machine", () => {
  // Everything the guest can observe, read from inside minicp at the end: its registers (saved at
  // its last trap), virtual PSW and control registers, virtual time, all of its storage, and the
  // devices' output. The generator's options at their defaults: clock values at the edges of
  // the 64-bit range (2^53, 2^63, "never", -2^63) and near its top included.
  const m = buildMinicp();
  const sym = m.ok ? m.image.symbols : {};
  function observe(seed: number): { bare: unknown; nested: unknown } | null {
    const img = generate(seed);
    const one = (image: Parameters<typeof nestImage>[0], storage: number) => {
      const out: string[] = [];
      const s = new Session(
        image,
        {
          mode: 'bare', storage, console: (l) => out.push('C ' + l), printer: (l) => out.push('P ' + l),
          punch: (c) => out.push('U ' + String.fromCharCode(...c)), input: INPUT_LINES, cards: READER_CARDS,
        },
      );
      s.cpu.level = 1; // IDENTIFY: the nested guest is at level 1 too
      return { s, out };
    };
    const b = one(img, 64 * 1024);
    const br = b.s.run(200_000);
    if (br.state !== 'ended') return null; // a run that does not end compares nothing
    const n = nestImage(img, 1, 64 * 1024);
    if (!n.ok) throw new Error(n.error);
    const v = one(n.image, n.storage);
    const vr = v.s.run(50_000_000);
    const w = (a: number) => v.s.mem[a >>> 2];
    const regs = br.reason === 'halt' || br.reason === 'disabled-wait';
    const st = b.s.guestState();
    return {
      bare: { end: [br.reason, br.code], out: b.out, mem: storageHash(b.s.mem), ...(regs ? { gpr: st.gpr, cr: st.cr, psw: st.psw, time: st.time } : {}) },
      nested: {
        end: [vr.reason, vr.code], out: v.out, mem: storageHash(v.s.mem.subarray(n.base >>> 2, (n.base + 64 * 1024) >>> 2)),
        ...(regs ? {
          gpr: [...Array(16).keys()].map((i) => w(sym.GREGS + 4 * i)), cr: [...Array(16).keys()].map((i) => w(sym.VCR + 4 * i)),
          psw: [w(sym.VPSW), w(sym.VPSW + 4)], time: w(sym.VNOW + 4),
        } : {}),
      },
    };
  }
  it('seeds 1-200: the same ending, output, registers, PSW, control registers, time and storage', () => {
    let compared = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const r = observe(seed);
      if (!r) continue;
      compared++;
      expect(r.nested, `seed ${seed}`).toEqual(r.bare);
    }
    expect(compared).toBeGreaterThan(140);
  }, 120_000);
  it("seeds 361 and 1257: a device's record ends a data chain early; a program check inside one", () => {
    // 361: a data-chained SENSE of 8 bytes ends its chain after its one byte (PoO 9.1.1);
    // 1257: a program check at a data-chained CCW means the command never ran (PoO 8.4.1)
    for (const seed of [361, 1257]) {
      const r = observe(seed);
      expect(r, `seed ${seed}`).not.toBeNull();
      expect(r!.nested, `seed ${seed}`).toEqual(r!.bare);
    }
  }, 60_000);
});

describe('the cost of recursion (docs/minicp.md)', () => {
  const costs = measureNesting(3);

  it('one guest privileged instruction enters each level below more often (trap amplification)', () => {
    expect(costs[0]).toMatchObject({ depth: 0, machineInstructions: 2, levels: [] });
    for (const c of costs.slice(1)) {
      // the innermost monitor sees the guest's one SSM and emulates it
      expect(c.levels[c.depth - 1]).toMatchObject({ entries: 1, emulated: 1, reflected: 0 });
      // each level is entered more often than the one above it
      for (let k = 0; k + 1 < c.depth; k++) expect(c.levels[k].entries).toBeGreaterThan(c.levels[k + 1].entries);
      // every entry is accounted for: emulated, reflected, a shadow fill, or an interruption of its own
      for (const l of c.levels) expect(l.emulated + l.reflected + l.fills).toBeLessThanOrEqual(l.entries);
      // every machine instruction is accounted for: the guest's two, each level's own, and the
      // faulting tries behind shadow fills (counted by the machine, not by any level's time)
      const sum = 2 + c.levels.reduce((s, l) => s + l.instructions + l.fills, 0);
      expect(c.machineInstructions).toBe(sum);
    }
    // the structure repeats: level k of depth d costs what level k-1 of depth d-1 does
    expect(costs[3].levels[1]).toEqual(costs[2].levels[0]);
    expect(costs[3].levels[2]).toEqual(costs[2].levels[1]);
  }, 60_000);

  it('the same figures under CP', () => {
    const vm = measureNesting(2, 'vm');
    expect(vm.map((c) => c.levels)).toEqual(costs.slice(0, 3).map((c) => c.levels));
  }, 60_000);

  it('docs/minicp.md prints the measured table', () => {
    const doc = readFileSync(join(ROOT, 'docs/minicp.md'), 'utf8');
    expect(doc).toContain(costTable(costs));
  });
});

describe('tinycp run --nest', () => {
  const BIN = join(ROOT, 'bin', 'tinycp.mjs');
  const tinycp = (args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT, timeout: 60_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  it('runs hello two deep bare and under CP', () => {
    expect(tinycp(['run', '--nest', '2', 'programs/hello.s'])).toMatchObject({ code: 0, out: 'Hello, world\n', err: '' });
    expect(tinycp(['run', '--vm', '--nest', '2', 'programs/hello.s'])).toMatchObject({ code: 0, out: 'Hello, world\n' });
  }, 60_000);
  it('exits 3 with a reason for a depth out of range', () => {
    expect(tinycp(['run', '--nest', '12', 'programs/hello.s'])).toMatchObject({ code: 3, err: 'tinycp: --nest must be 0..8\n' });
  }, 60_000);
});
