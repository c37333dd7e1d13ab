/**
 * The time-sharing view: one xterm.js console per user of the demo directory, a lane per VM
 * showing the dispatcher's time slices on the one real CPU, and each VM's state and efficiency.
 * Loaded on demand (xterm.js and the second worker cost nothing until it is opened).
 */
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { FromTs, Slice, ToTs, VmStats } from './ts-engine.ts';
import { esc } from './views.ts';

const COLORS = ['#2563eb', '#059669', '#d97706', '#db2777', '#7c3aed', '#0891b2', '#dc2626', '#65a30d'];

export function startTimeSharing(root: HTMLElement): () => void {
  root.innerHTML = `<div class="ts-lanes-wrap"><canvas class="ts-lanes" role="img" aria-label="Dispatcher time slices, a lane per VM" height="10"></canvas></div>
    <table class="ts-stats" aria-label="Virtual machines"></table><div class="ts-consoles"></div>`;
  const worker = new Worker(new URL('./ts-worker.ts', import.meta.url), { type: 'module' });
  const send = (m: ToTs) => worker.postMessage(m);
  const canvas = root.querySelector('canvas')!;
  const table = root.querySelector('table')!;
  const box = root.querySelector('.ts-consoles') as HTMLElement;
  const terms: Terminal[] = [];
  /** Each console's text for screen readers and scripts (the terminal itself is a picture of it). */
  const logs: HTMLElement[] = [];
  let names: string[] = [];
  let slices: Slice[] = [];
  let realTime = 0;

  function draw(): void {
    const lane = 16, w = canvas.clientWidth || 600;
    canvas.width = w; canvas.height = names.length * lane + 14;
    const g = canvas.getContext('2d');
    if (!g) return;
    g.clearRect(0, 0, w, canvas.height);
    // The whole run so far (as far as slices are kept), left to right.
    const label = 64, from = slices[0]?.start ?? 0, scale = (w - label) / Math.max(1, realTime - from);
    g.font = '11px system-ui, sans-serif';
    names.forEach((n, i) => { g.fillStyle = i % 2 ? '#f3f4f6' : '#fafafa'; g.fillRect(label, i * lane, w - label, lane); g.fillStyle = '#374151'; g.fillText(n, 2, i * lane + 12); });
    for (const s of slices) {
      if (s.start + s.used < from) continue;
      g.fillStyle = COLORS[s.vm % COLORS.length];
      g.fillRect(label + (s.start - from) * scale, s.vm * lane + 2, Math.max(1, s.used * scale), lane - 4);
    }
    g.fillStyle = '#6b7280';
    g.fillText(`real CPU time ${from.toLocaleString('en')} to ${realTime.toLocaleString('en')} instructions: one slice per block`, label, names.length * lane + 11);
  }

  function stats(vms: VmStats[]): void {
    table.innerHTML = `<tr><th>user</th><th>state</th><th>instructions</th><th>handled by CP</th><th>efficiency</th></tr>` + vms.map((v, i) =>
      `<tr><td style="color:${COLORS[i % COLORS.length]}">${esc(v.name)}</td><td>${esc(v.state)}</td><td>${v.instructions}</td><td>${v.handled}</td><td>${(v.efficiency * 100).toFixed(2)}%</td></tr>`).join('');
  }

  worker.onmessage = (e: MessageEvent<FromTs>) => {
    const m = e.data;
    if (m.type === 'users') {
      names = m.users.map((u) => u.name);
      m.users.forEach((u, i) => {
        const cell = document.createElement('section');
        cell.className = 'ts-console';
        cell.setAttribute('aria-label', `Console of ${u.name}`);
        cell.innerHTML = `<h3>${esc(u.name)} <small>${esc(u.note)}</small></h3><div class="term" aria-hidden="true"></div><pre class="transcript" aria-live="polite" aria-label="Transcript of ${esc(u.name)}"></pre>`;
        box.append(cell);
        const t = new Terminal({ rows: 12, cols: 72, convertEol: true, fontSize: 12 });
        t.open(cell.querySelector('.term') as HTMLElement);
        let line = '';
        t.onData((d) => {
          for (const ch of d) {
            if (ch === '\r') { t.write('\r\n'); logs[i].append(line + '\n'); send({ type: 'input', vm: i, line }); line = ''; }
            else if (ch === '\x7f') { if (line) { line = line.slice(0, -1); t.write('\b \b'); } }
            else if (ch >= ' ' && line.length < 130) { line += ch; t.write(ch); }
          }
        });
        terms.push(t);
        logs.push(cell.querySelector('.transcript') as HTMLElement);
      });
      send({ type: 'start' });
    } else if (m.type === 'output') {
      terms[m.vm]?.write(m.lines.map((l) => l + '\n').join(''));
      logs[m.vm]?.append(m.lines.map((l) => l + '\n').join(''));
    }
    else if (m.type === 'slices') { slices = [...slices, ...m.slices].slice(-4000); }
    else if (m.type === 'stats') { realTime = m.realTime; stats(m.vms); draw(); }
  };
  return () => { worker.terminate(); for (const t of terms) t.dispose(); root.textContent = ''; };
}
