/**
 * The cost of recursion, measured (docs/minicp.md): a guest loop of privileged instructions
 * (programs/ssm.s) run bare and 1..N levels deep in minicp; per guest privileged instruction,
 * how many times each level's minicp is entered (trap amplification), how many of those are
 * privileged instructions it emulates, and how many instructions each level executes. Time is
 * virtual (one unit per instruction, PoO 7), so every figure is exact and reproducible; each is
 * the difference between two runs of different lengths, so start-up costs cancel out.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFile } from '../host/build.ts';
import { Session, type Mode } from '../session/session.ts';
import { buildMinicp, nestImage } from './nest.ts';

const SSM = resolve(dirname(fileURLToPath(import.meta.url)), '../../programs/ssm.s');

/** What one level of minicp reports about itself (its statistics words, minicp.s). */
export interface LevelCost { entries: number; emulated: number; reflected: number; fills: number; instructions: number }
/** Per guest privileged instruction, at one nesting depth. */
export interface DepthCost { depth: number; mode: Mode; machineInstructions: number; levels: LevelCost[] }

function runSsm(depth: number, mode: Mode, count: number): { total: number; levels: LevelCost[] } {
  const b = buildFile(SSM);
  if (!b.ok) throw new Error(b.errors.join('\n'));
  const n = nestImage(b.image, depth, 1 << 20);
  if (!n.ok) throw new Error(n.error);
  const s = new Session(n.image, { mode, storage: n.storage });
  s.mem[(depth * n.base + b.image.symbols.COUNT) >>> 2] = count;
  const r = s.run(2_000_000_000);
  if (!r.success) throw new Error(`ssm.s at depth ${depth}: ${r.message}`);
  const m = buildMinicp();
  if (!m.ok) throw new Error('minicp does not assemble');
  const sym = m.image.symbols;
  const word = (k: number, name: string) => s.mem[(k * n.base + sym[name]) >>> 2] >>> 0;
  const levels: LevelCost[] = [];
  for (let k = 0; k < depth; k++) {
    levels.push({
      entries: word(k, 'STAT_TRAPS'), emulated: word(k, 'STAT_PRIV'), reflected: word(k, 'STAT_REFLECT'), fills: word(k, 'STAT_FILLS'),
      instructions: word(k, 'STAT_INSTR'),
    });
  }
  return { total: s.time, levels };
}

/** Costs per guest SSM at each depth 0..maxDepth, on the bare machine or under CP. */
export function measureNesting(maxDepth: number, mode: Mode = 'bare', k1 = 50, k2 = 150): DepthCost[] {
  const out: DepthCost[] = [];
  for (let d = 0; d <= maxDepth; d++) {
    const a = runSsm(d, mode, k1), b = runSsm(d, mode, k2);
    const per = (x: number, y: number) => (y - x) / (k2 - k1);
    out.push({
      depth: d, mode, machineInstructions: per(a.total, b.total),
      levels: a.levels.map((l, i) => ({
        entries: per(l.entries, b.levels[i].entries), emulated: per(l.emulated, b.levels[i].emulated),
        reflected: per(l.reflected, b.levels[i].reflected), fills: per(l.fills, b.levels[i].fills), instructions: per(l.instructions, b.levels[i].instructions),
      })),
    });
  }
  return out;
}

/**
 * The table of docs/minicp.md: one row per depth, columns for the machine and each level
 * (entries into that level's minicp; how many of them were privileged instructions it emulated,
 * interruptions it reflected, shadow-table fills; and that level's own instructions), per guest
 * privileged instruction.
 */
export function costTable(costs: DepthCost[]): string {
  const deepest = Math.max(...costs.map((c) => c.depth));
  const head = ['depth', 'machine instructions'];
  for (let k = 1; k <= deepest; k++) head.push(`level ${k}: entries`, `level ${k}: emulated / reflected / fills`, `level ${k}: instructions`);
  const rows = [head, head.map(() => '---')];
  for (const c of costs) {
    const r = [String(c.depth), String(c.machineInstructions)];
    for (let k = 1; k <= deepest; k++) {
      const l = c.levels[k - 1];
      r.push(l ? String(l.entries) : '', l ? `${l.emulated} / ${l.reflected} / ${l.fills}` : '', l ? String(l.instructions) : '');
    }
    rows.push(r);
  }
  return rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
}
