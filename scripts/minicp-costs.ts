/**
 * Print the trap-amplification table of docs/minicp.md, measured by running programs/ssm.s
 * bare and 1-3 levels deep in minicp (src/cli/nest-costs.ts). The figures are instruction
 * counts in virtual time, so they are exact and the same on every host; test/minicp.test.ts
 * checks that the document shows exactly this table.
 *
 *     node --import tsx scripts/minicp-costs.ts [--json]
 */
import { costTable, measureNesting } from '../src/cli/nest-costs.ts';

const costs = measureNesting(3);
process.stdout.write(process.argv.includes('--json') ? JSON.stringify(costs, null, 2) + '\n' : costTable(costs) + '\n');
