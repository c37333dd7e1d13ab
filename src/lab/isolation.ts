/**
 * `tinycp lab isolation`: every experiment for every model, as one JSON object (one key per
 * model), a text table and an SVG chart. Deterministic: the same trials give the same numbers.
 */
import { agingDowntime, type AgingResult } from './aging.ts';
import { blastRadius, type BlastResult } from './blast.ts';
import { driverOutage, type DriverResult } from './driver.ts';
import { footprints, type FootprintRow } from './footprint.ts';
import { MODELS, type Model } from './models.ts';
import { neighbourThroughput, type NeighbourResult } from './neighbour.ts';

export interface ModelResult {
  blast_radius: BlastResult;
  neighbour_throughput: NeighbourResult;
  aging_downtime: AgingResult;
  bytes_per_service: FootprintRow[];
  driver_outage?: DriverResult;
}

export type IsolationReport = { trials: number } & Record<Model, ModelResult>;

export const DEFAULT_TRIALS = 1000;

export function isolation(trials = DEFAULT_TRIALS, progress: (what: string) => void = () => {}): IsolationReport {
  const out = { trials } as IsolationReport;
  for (const m of MODELS) {
    progress(`${m}: blast radius (${trials} trials)`);
    const blast_radius = blastRadius(m, trials);
    progress(`${m}: noisy neighbour`);
    const neighbour_throughput = neighbourThroughput(m);
    progress(`${m}: aging`);
    const aging_downtime = agingDowntime(m);
    progress(`${m}: footprint`);
    const bytes_per_service = footprints(m);
    out[m] = { blast_radius, neighbour_throughput, aging_downtime, bytes_per_service };
    if (m === 'vm') { progress('vm: driver domain'); out[m].driver_outage = driverOutage(); }
  }
  return out;
}

/** The report as a table, one column per model. */
export function formatIsolation(r: IsolationReport): string {
  const rows: [string, (x: ModelResult) => string][] = [
    [`blast radius: services hurt per flip (mean, ${r.trials} flips)`, (x) => String(x.blast_radius.mean)],
    ['  flips that hurt 0/1/2/3 services', (x) => x.blast_radius.distribution.join('/')],
    ['  mean when the flip is in the kernel / a service', (x) => `${x.blast_radius.by_region.kernel.mean} / ${x.blast_radius.by_region.service.mean}`],
    ['neighbour: others\' lines/M instr, quiet', (x) => String(x.neighbour_throughput.quiet)],
    ['  beside a spinner / a flooder (QoS on)', (x) => `${x.neighbour_throughput.spin} / ${x.neighbour_throughput.flood}`],
    [
      '  the same, shared kernel\'s QoS off',
      (x) => x.neighbour_throughput.spin_no_qos === null ? '-' : `${x.neighbour_throughput.spin_no_qos} / ${x.neighbour_throughput.flood_no_qos}`,
    ],
    ['aging: crashes x services down each', (x) => `${x.aging_downtime.crashes} x ${x.aging_downtime.services_per_crash}`],
    ['  downtime per service (real instr)', (x) => String(x.aging_downtime.downtime_per_service)],
    ['  requests lost per service', (x) => String(x.aging_downtime.requests_lost_per_service)],
    ...[0, 1, 2].map((k): [string, (x: ModelResult) => string] => [`footprint N=${r.vm.bytes_per_service[k].n}: bytes/service, start instr`,
      (x) => `${x.bytes_per_service[k].bytes_per_service}, ${x.bytes_per_service[k].start_instructions}`]),
  ];
  const head = ['', ...MODELS];
  const body = rows.map(([label, f]) => [label, ...MODELS.map((m) => f(r[m]))]);
  const w = head.map((_, i) => Math.max(head[i].length, ...body.map((b) => b[i].length)));
  const fmt = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  ');
  let s = [fmt(head), ...body.map(fmt)].join('\n') + '\n';
  const d = r.vm.driver_outage;
  if (d) {
    s += `driver domain (vm): ${d.clients} clients, ${d.requests} writes; driver killed at ${d.killed_at}, restarted at ${d.restarted_at}; ` +
      `outage ${d.outage} real instructions; ${d.retries} requests resent; ${d.acknowledged} acknowledged, ${d.lost_acknowledged} of them lost\n`;
  }
  return s;
}

/** Four bar panels: blast radius, neighbour ratio, aging downtime, bytes per service at N = 100. */
export function isolationSvg(r: IsolationReport): string {
  const colours: Record<Model, string> = { vm: '#4472c4', container: '#ed7d31', libos: '#70ad47' };
  const last = (x: ModelResult) => x.bytes_per_service[x.bytes_per_service.length - 1];
  const panels: { title: string; value: (x: ModelResult) => number }[] = [
    { title: 'blast radius: services hurt per bit flip', value: (x) => x.blast_radius.mean },
    {
      title: 'others\' throughput beside a spinner (QoS off in the shared kernel)',
      value: (x) => x.neighbour_throughput.spin_no_qos ?? x.neighbour_throughput.spin,
    },
    { title: 'aging: downtime per service (real instructions)', value: (x) => x.aging_downtime.downtime_per_service },
    { title: `bytes per service, N = ${last(r.vm).n}`, value: (x) => last(x).bytes_per_service },
  ];
  const W = 360, H = 200, bar = 60;
  const parts: string[] = [];
  panels.forEach((p, k) => {
    const x0 = (k % 2) * (W + 20) + 10, y0 = Math.floor(k / 2) * (H + 30) + 10;
    const vals = MODELS.map((m) => p.value(r[m])), max = Math.max(...vals, 1e-9);
    parts.push(`<text x="${x0}" y="${y0 + 14}" font-size="12">${esc(p.title)}</text>`);
    vals.forEach((v, i) => {
      const h = Math.round((v / max) * (H - 60)), x = x0 + 30 + i * (bar + 40), y = y0 + H - 25 - h;
      parts.push(`<rect x="${x}" y="${y}" width="${bar}" height="${h}" fill="${colours[MODELS[i]]}"/>`);
      parts.push(`<text x="${x + bar / 2}" y="${y - 4}" font-size="11" text-anchor="middle">${v}</text>`);
      parts.push(`<text x="${x + bar / 2}" y="${y0 + H - 10}" font-size="11" text-anchor="middle">${MODELS[i]}</text>`);
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W + 40}" height="${2 * (H + 30) + 10}" font-family="sans-serif">\n` +
    `<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
