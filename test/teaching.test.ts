/**
 * docs/teaching.md, checked against what the commands print: every command of the lesson plan is
 * run as a student types it, and the figures and facts the document quotes must be in the output.
 * A command added to the document without a check here fails the first test.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './tmp.ts';

const ROOT = join(import.meta.dirname, '..');
const DOC = readFileSync(join(ROOT, 'docs/teaching.md'), 'utf8');

/** Run a documented command line: `npx tinycp` is this checkout's bin/tinycp.mjs; pipes work. */
function sh(command: string, input = ''): { code: number | null; out: string; err: string } {
  const line = command.replace(
    /^npx tinycp /, `"${process.execPath}" bin/tinycp.mjs `,
  ).replace(/^npm run fuzz -- /, `"${process.execPath}" --import tsx test/fuzz/fuzz-cli.ts `);
  const r = spawnSync('sh', ['-c', line], { cwd: ROOT, input, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The value printed in a `--stats` row (`  CP entries      1`). */
function row(out: string, name: string): number {
  const m = new RegExp(`^ *${name} +(\\d+)$`, 'm').exec(out);
  if (!m) throw new Error(`no "${name}" row in:\n${out}`);
  return Number(m[1]);
}

/** The doc must quote the figure, and the command must print it. */
function quoted(figure: string): void { expect(DOC, `docs/teaching.md quotes ${figure}`).toContain(figure); }

type Check = (command: string) => void;
const CHECKS: Record<string, Check | string> = {
  'npx tinycp run --vm --stats --no-assist programs/bench/loop.s': (c) => {
    const r = sh(c);
    expect(r.code).toBe(0);
    quoted('20000004 guest instructions'); expect(row(r.out, 'guest instructions')).toBe(20000004);
    quoted('20000003 of them\nrun directly'); expect(row(r.out, 'run directly')).toBe(20000003);
    quoted('1 is handled by CP'); expect(row(r.out, 'handled by CP')).toBe(1);
    quoted('**one** CP entry (privileged'); expect(row(r.out, 'CP entries')).toBe(1); expect(row(r.out, 'privileged')).toBe(1);
  },
  'npx tinycp run --vm --stats --json --no-assist programs/bench/loop.s': (c) => {
    const r = sh(c);
    const stats = JSON.parse(r.out);
    quoted('20000003 / 20000004'); expect(stats.efficiency).toBe(20000003 / 20000004);
    quoted('unrounded,\n0.99999995.'); expect(String(stats.efficiency)).toMatch(/^0\.99999995/);
  },
  'npx tinycp run --vm --trace programs/syscall.s | head -30': (c) => {
    const r = sh(c);
    expect(r.out.split('\n')).toHaveLength(31);
    // Each SVC traps and is reflected; the handler's LPSW traps and is emulated.
    expect(r.out).toMatch(/SVC 1[^]*CP reflected[^]*LPSW[^]*CP emulated[^]*SVC 1/);
  },
  'npx tinycp run --vm --stats --no-assist programs/syscall.s': (c) => {
    const r = sh(c);
    expect(r.code).toBe(0);
    quoted('100,001 and 100,002'); expect(row(r.out, 'svc')).toBe(100_001); expect(row(r.out, 'privileged')).toBe(100_002);
  },
  "npx tinycp run --vm --stats --no-assist programs/syscall.s | grep -E 'CP entries|assist|hit ratio'": (c) => {
    const r = sh(c);
    quoted('**200003 CP entries**'); expect(row(r.out, 'CP entries')).toBe(200_003);
    expect(row(r.out, 'completed by assist')).toBe(0);
  },
  "npx tinycp run --vm --stats programs/syscall.s | grep -E 'CP entries|assist|hit ratio'": (c) => {
    const r = sh(c);
    quoted('**0 CP entries**'); expect(row(r.out, 'CP entries')).toBe(0);
    quoted('`completed by assist` is 200003'); expect(row(r.out, 'completed by assist')).toBe(200_003);
    quoted('**hit ratio** 100%'); expect(r.out).toMatch(/hit ratio +100\.0000%/);
  },
  "npx tinycp run --vm --stats --no-assist programs/mtos/mtos.s | grep -E 'hit ratio|SIO|LCTL|DIAG'": (c) => {
    const r = sh(c);
    expect(r.out).toMatch(/hit ratio +0\.0000%/);
    quoted('22 SIOs, 63 LCTLs'); expect(r.out).toMatch(/^ +SIO +0 \/ 22$/m); expect(r.out).toMatch(/^ +LCTL +0 \/ 63$/m);
    expect(r.out).toMatch(/^ +DIAG +0 \/ 1$/m);
  },
  "npx tinycp run --vm --stats programs/mtos/mtos.s | grep -E 'hit ratio|SIO|LCTL|DIAG'": (c) => {
    const r = sh(c);
    quoted('hit ratio going from 0% to\n**100%**'); expect(r.out).toMatch(/hit ratio +100\.0000%/);
    expect(r.out).toMatch(/^ +SIO +22 \/ 0$/m); expect(r.out).toMatch(/^ +LCTL +63 \/ 0$/m); expect(r.out).toMatch(/^ +DIAG +1 \/ 0$/m);
  },
  'npx tinycp run --vm --trace programs/tlbmiss.s': () => {
    // The flow the lesson narrates, read from the trace's JSON form (same events).
    const json = join(tempDir(), 'trace.jsonl');
    const r = sh(`npx tinycp run --vm --trace-json ${json} programs/tlbmiss.s`);
    expect(r.code).toBe(0);
    const ev = readFileSync(json, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { cause: string; action: string; instruction?: { text: string } });
    const flow = ev.map((e) => `${e.cause} ${e.action} ${e.instruction?.text.split(' ')[0] ?? ''}`.trim());
    const fault = flow.indexOf('translation reflected L');
    expect(fault, flow.join('\n')).toBeGreaterThan(0);
    expect(flow[fault - 1]).toBe('translation shadow-fill'); // the shadow table missed first
    expect(flow.slice(fault, fault + 4)).toEqual([
      'translation reflected L', 'privileged emulated PTLB', 'privileged emulated LPSW',
      'translation shadow-fill',
    ]);
    expect(sh('npx tinycp run programs/tlbmiss.s').code).toBe(0); // the bare machine ends the same way
  },
  'npx tinycp theorem': (c) => {
    const r = sh(c);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/every sensitive instruction is privileged/);
    expect(r.out).toMatch(/^ +equivalent:/m);
    expect(r.out).toMatch(/NOT equivalent: SSM executed directly/);
  },
  'npm run fuzz -- --seconds 60': () => {
    // The same fuzzer for one second: the document promises 0 divergences, not a rate.
    const r = sh('npm run fuzz -- --seconds 1 --json --seed 1');
    const j = JSON.parse(r.out);
    expect(j.programs).toBeGreaterThan(0);
    expect(j.divergences).toBe(0);
    expect(j.host_exceptions).toBe(0);
  },
  'npx tinycp run --nest 3 programs/hello.s': (c) => {
    const r = sh(c), bare = sh('npx tinycp run programs/hello.s');
    expect(r.code).toBe(0);
    expect(r.out).toBe(bare.out); // three monitors deep, the output of the bare machine
  },
  'npx tinycp run --vm --nest 2 programs/mtos/mtos.s': (c) => {
    const r = sh(c), bare = sh('npx tinycp run programs/mtos/mtos.s');
    expect(r.code).toBe(bare.code);
    expect(r.out).toBe(bare.out);
  },
  'npx tinycp theorem classify': (c) => {
    const r = sh(c);
    expect(r.code).toBe(0);
    quoted('17 privileged instructions, every one of them sensitive');
    const priv = /privileged \(trap in problem state\):\n((?: {4}.*\n)+)/.exec(r.out)![1];
    expect(priv.trim().split(/\s+/).filter((x) => /^[A-Z]+$/.test(x))).toHaveLength(17);
    quoted('*a trap-and-emulate VMM can be built*'); expect(r.out).toMatch(/a trap-and-emulate VMM can be built/);
  },
  'npx tinycp theorem classify --profile leaky-popf': (c) => {
    const r = sh(c);
    expect(r.out).toMatch(/Theorem 1: sensitive but unprivileged: SSM STNSM STOSM:/);
    quoted('names STNSM and STOSM for theorem 3'); expect(r.out).toMatch(/Theorem 3: user-sensitive but unprivileged: STNSM STOSM:/);
  },
  'npx tinycp theorem classify --profile leaky-read --json': (c) => {
    const j = JSON.parse(sh(c).out);
    quoted('STCTL and LRA read the real control registers'); expect(j.violations.sort()).toEqual(['LRA', 'STCTL']);
    expect(j.classes.STCK).toBe('innocuous');
  },
  'npx tinycp theorem counterexamples': (c) => {
    const r = sh(c);
    expect(r.code).toBe(0);
    for (const m of ['STCTL', 'LRA', 'SSM', 'STNSM', 'STOSM']) {
      const line = `^${m} on profile leaky-\\w+: bare disabled wait, code 0 \\(success\\); under CP disabled wait, code X'8'; `;
      expect(r.out).toMatch(new RegExp(line + 'under CP --hybrid disabled wait, code 0', 'm'));
    }
    quoted("X'12345678' bare and X'00000000'");
    expect(r.out).toMatch(/STCTL R3,R3,\S+` at [^]*?bare 12345678, under CP 00000000[^]*?last event before it: #1 LCTL/);
  },
  'npx tinycp theorem --demote SPT': (c) => {
    const r = sh(c);
    quoted('*outputs agree, but NOT by construction*'); expect(r.out).toMatch(/outputs agree, but NOT by construction: SPT ran directly 1 time/);
  },
  'npx tinycp theorem --profile leaky-popf --hybrid': (c) => {
    const r = sh(c);
    quoted('plain CP ends `theorem.s` with code 8'); expect(r.out).toMatch(/under CP, leaky-popf +disabled wait, code X'8'/);
    quoted('after looking at 16 supervisor-state instructions');
    expect(r.out).toMatch(/under CP --hybrid, leaky-popf +disabled wait, code 0 \(success\).*16 instructions interpreted/);
  },
  'npx tinycp run --vm --hybrid --profile leaky-popf programs/theorem.s': (c) => {
    quoted('with code 0 (success), like the bare machine');
    expect(sh(c).code).toBe(0);
    expect(sh('npx tinycp run --vm --profile leaky-popf programs/theorem.s').code).toBe(1);
  },
  'npx tinycp run --vm --profile leaky-popf programs/theory/para-ssm.s': (c) => {
    const r = sh(c);
    quoted('runs it to code 0'); expect(r.code).toBe(0);
    quoted('(CP answers `STORED PSW`'); expect(r.out).toBe('STORED PSW\n');
  },
  'npx tinycp theorem costs': (c) => {
    const r = sh(c);
    expect(r.code).toBe(0);
    const row = (op: string) => r.out.split('\n').find((l) => l.startsWith(op))!.trim().split(/\s{2,}/);
    quoted('A system call is 5 instructions bare and 2 CP entries');
    expect(row('system call')[1]).toMatch(/^5 \d+ns$/); expect(row('system call')[2]).toMatch(/^2e \d+ns$/);
    quoted('2 instructions bare, 181 one minicp deep, 1313 two deep, 10381 three deep');
    expect(row('mask change').slice(1).map((x) => x.split(' ')[0])).toEqual(['2', '1e', '1+2i', '181', '1313', '10381', '0e+1a', '1e']);
  },
  'node --import tsx scripts/minicp-costs.ts': (c) => {
    // The table docs/minicp.md prints is this script's (test/minicp.test.ts compares them row by row).
    const r = sh(c);
    expect(r.code).toBe(0);
    const doc = readFileSync(join(ROOT, 'docs/minicp.md'), 'utf8');
    const rows = r.out.split('\n').filter((l) => /^\| *\d/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const l of rows) expect(doc).toContain(l);
  },
};

describe('docs/teaching.md', () => {
  const commands = [...DOC.matchAll(/```sh\n([^]*?)```/g)].flatMap((m) => m[1].trim().split('\n'));

  it('every command in the lesson plan has a check here, and every check a command', () => {
    expect(commands.sort()).toEqual(Object.keys(CHECKS).sort());
  });

  for (const [command, check] of Object.entries(CHECKS)) {
    it(`prints what the lesson quotes: ${command}`, () => { if (typeof check === 'function') check(command); }, 180_000);
  }

  it('"Going further": BACK 1 steps back across the trap you are stopped at; BACK TRAP goes to the one before', () => {
    expect(DOC).toMatch(/`TRACE SVC NORUN`, `BEGIN`, `DISPLAY PSW`,\n +`BACK 1`, `DISPLAY PSW`/);
    const r = sh('npx tinycp debug --vm programs/syscall.s', 'TRACE SVC NORUN\nBEGIN\nDISPLAY PSW\nBACK 1\nDISPLAY PSW\nBEGIN\nBACK TRAP\nQUIT\n');
    const after = (cmd: string) => r.out.split(`CP> ${cmd}\n`)[1].split('CP> ')[0];
    const psws = r.out.split('CP> DISPLAY PSW\n').slice(1).map((s) => /VIRTUAL PSW = (\w+ \w+) +(.*)/.exec(s)!);
    expect(psws[0][1]).toBe('00000000 00000218'); // stopped in the SVC handler, supervisor state
    expect(psws[0][2]).toMatch(/^supervisor state/);
    expect(after('BACK 1')).toMatch(/^back to instruction \d+.*\n00020C  SVC 1/); // back at the SVC ...
    expect(psws[1][1]).toBe('00010000 0000020C');
    expect(psws[1][2]).toMatch(/^problem state/); // ... in problem state, before CP reflected it
    expect(after('BACK TRAP')).toMatch(/no earlier trap/); // the trap before the first SVC: none (only SVCs are traced)
  });
});
