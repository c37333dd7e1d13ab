/**
 * `tinycp theorem counterexamples` and `tinycp theorem costs` (src/theory/counterexample.ts,
 * src/theory/costs.ts), loaded only when asked for.
 */
import { PROFILES, profileByName, type Profile } from '../cpu/profiles.ts';
import { counterexamples, narrateCounterexample } from '../theory/counterexample.ts';
import type { TheoremOptions } from './theorem.ts';

export function counterexamplesCommand(o: TheoremOptions): number {
  let profiles: Profile[];
  if (o.profile !== undefined) {
    const p = profileByName(o.profile);
    if ('error' in p) { console.error(`tinycp: ${p.error}`); return 3; }
    profiles = [p];
  } else profiles = Object.values(PROFILES).filter((p) => Object.keys(p.leaks).length > 0);
  const all = profiles.flatMap((p) => counterexamples(p));
  if (o.json) { console.log(JSON.stringify(all.map((c) => (typeof c === 'string' ? { error: c } : c)))); return 0; }
  if (all.length === 0) console.log(`profile ${profiles[0].name} has no leaky instructions: no counter-example exists (theorem 1 holds).`);
  for (const c of all) {
    if (typeof c === 'string') console.log(c);
    else for (const l of narrateCounterexample(c)) console.log(l);
  }
  return 0;
}

export async function costsCommand(o: TheoremOptions): Promise<number> {
  const { costTable, costText } = await import('../theory/costs.ts');
  const t = costTable({ measure: true });
  if (o.json) console.log(JSON.stringify(t)); else for (const l of costText(t)) console.log(l);
  return 0;
}
