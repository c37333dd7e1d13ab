/**
 * `tinycp lab isolation [--trials N] [--json] [--svg FILE]` and `tinycp lab relocate [--json]`:
 * the isolation lab of issue 14 (docs/lab-isolation.md). The experiments load only when run.
 */
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { parsePort, parseRelocate, type RelocateTarget } from '../lab/relocate-args.ts';

function positiveInt(v: string): number {
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0 || n > 100_000) throw new InvalidArgumentError('expected a positive integer up to 100000');
  return n;
}

/** `tinycp system --relocate USER:PORT@N`. */
export function relocateOption(v: string): RelocateTarget {
  const r = parseRelocate(v);
  if (!r) throw new InvalidArgumentError('expected USER:PORT@N, e.g. MOVER:4000@50000 (port 1-65535, N a CP real instruction count)');
  return r;
}

/** `tinycp system --accept-relocation PORT`. */
export function portOption(v: string): number {
  const p = parsePort(v);
  if (p === null) throw new InvalidArgumentError('expected a port, 0-65535 (0: any free port)');
  return p;
}

export function addLabCommands(program: Command): void {
  const lab = program.command('lab').description('the isolation lab: VMs, containers and library OSes measured on tinycp (docs/lab-isolation.md)');
  lab.command('isolation')
    .description('blast radius, noisy neighbour, aging, footprint and driver-domain outage for the three models')
    .option('--trials <n>', 'bit-flip trials per model', positiveInt, 1000)
    .option('--json', 'print the results as one JSON object (one key per model)')
    .option('--svg <file>', 'also write a bar chart of the main results')
    .action(async (o: { trials: number; json?: boolean; svg?: string }) => {
      const { formatIsolation, isolation, isolationSvg } = await import('../lab/isolation.ts');
      const r = isolation(o.trials, (what) => { if (!o.json) process.stderr.write(`lab: ${what}\n`); });
      if (o.svg) {
        try { writeFileSync(o.svg, isolationSvg(r)); } catch (e) {
          console.error(`tinycp: cannot write ${o.svg}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
          process.exitCode = 3;
          return;
        }
      }
      process.stdout.write(o.json ? JSON.stringify(r, null, 2) + '\n' : formatIsolation(r));
    });

  lab.command('relocate')
    .description('move a running VM between two tinycp system processes on 127.0.0.1 and compare with a run that never moved')
    .option('--json', 'print the result as one JSON object')
    .action(async (o: { json?: boolean }) => {
      const { formatRelocate, relocateLab } = await import('../lab/relocate-lab.ts');
      const r = await relocateLab();
      process.stdout.write(o.json ? JSON.stringify(r, null, 2) + '\n' : formatRelocate(r));
      if (!r.identical) process.exitCode = 1;
    });
}
