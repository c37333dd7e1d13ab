/**
 * The machine views: the PSW field by field, registers, disassembly, storage with labels,
 * counters and the translation tables. Each draws a MachineView from the engine and marks what
 * differs from the previous one (the last step's changes).
 */
import { PSW_DAT, PSW_EXT, PSW_IO, PSW_KEY, PSW_MCHECK, PSW_PROBLEM, PSW_PROGRAM_MASK, PSW_WAIT } from '../../src/cpu/arch.ts';
import type { MachineView, PageRow, PswView } from './protocol.ts';

export const hex = (v: number, w = 8) => (v >>> 0).toString(16).toUpperCase().padStart(w, '0');
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The PSW's fields (PoO 3.1), each as [name, value text, title]. */
export function pswFields(p: PswView): [string, string, string][] {
  const bit = (m: number) => ((p.flags & m) !== 0 ? '1' : '0');
  return [
    ['DAT', bit(PSW_DAT), 'dynamic address translation'],
    ['I/O', bit(PSW_IO), 'I/O interruption mask'],
    ['EXT', bit(PSW_EXT), 'external interruption mask'],
    ['Key', String((p.flags & PSW_KEY) >>> 20), 'storage protection key'],
    ['MC', bit(PSW_MCHECK), 'machine-check mask'],
    ['Wait', bit(PSW_WAIT), 'wait state'],
    ['P', bit(PSW_PROBLEM), 'problem state (1) or supervisor state (0)'],
    ['CC', String(p.cc), 'condition code'],
    ['PM', hex((p.flags & PSW_PROGRAM_MASK) >>> 8, 1), 'program mask'],
    ['IA', hex(p.ia, 6), 'instruction address'],
  ];
}

/** A PSW as a row of labelled fields; fields that differ from `prev` are marked changed. */
export function pswTable(p: PswView, prev: PswView | null, caption: string): string {
  const now = pswFields(p), was = prev ? pswFields(prev) : null;
  const cells = now.map(([n, v, title], i) => `<td class="${was && was[i][1] !== v ? 'changed' : ''}" title="${esc(title)}"><span class="k">${n}</span>${esc(v)}</td>`);
  const state = (p.flags & PSW_PROBLEM) ? 'problem state' : 'supervisor state';
  return `<table class="psw"><caption>${esc(caption)} <small>${state}${p.flags & PSW_WAIT ? ', wait' : ''}${p.flags & PSW_DAT ? ', DAT on' : ''}</small></caption><tr>${cells.join('')}</tr></table>`;
}

export function renderPsw(v: MachineView, prev: MachineView | null): string {
  let h = pswTable(v.psw, prev?.psw ?? null, v.mode === 'vm' ? 'Virtual PSW (what the guest sees)' : 'PSW');
  if (v.real) h += pswTable(v.real, prev?.real ?? null, 'Real PSW (the last dispatch: the guest always runs in real problem state)');
  return h;
}

function regGrid(name: string, now: number[], was: number[] | undefined): string {
  return `<div class="regs" role="table" aria-label="${name}">${now.map((r, i) =>
    `<div role="row" class="reg ${was && was[i] !== r ? 'changed' : ''}"><span role="rowheader" class="k">${name === 'General registers' ? 'R' : 'CR'}${i}</span><span role="cell">${hex(r)}</span></div>`).join('')}</div>`;
}

export function renderRegs(v: MachineView, prev: MachineView | null): string {
  return `<h3>General</h3>${regGrid('General registers', v.gpr, prev?.gpr)}<h3>Control</h3>${regGrid('Control registers', v.cr, prev?.cr)}`;
}

export function renderDisasm(v: MachineView): string {
  return `<table class="disasm">${v.disasm.map((d) =>
    `<tr class="${d.current ? 'current' : ''}${d.breakpoint ? ' bp' : ''}"><td>${d.current ? '▶' : d.breakpoint ? '●' : ''}</td><td>${hex(d.address, 6)}</td><td>${esc(d.text)}</td><td class="src">${d.line !== null ? `line ${d.line}` : ''}</td></tr>`).join('')}</table>`;
}

export function renderStorage(v: MachineView, prev: MachineView | null): string {
  const s = v.storage, p = prev && prev.storage.address === s.address ? prev.storage.bytes : null;
  const labels = new Map(s.labels.map((l) => [l.offset, l.name]));
  const rows: string[] = [];
  for (let r = 0; r < s.bytes.length; r += 16) {
    let cells = '', text = '';
    const names: string[] = [];
    for (let i = r; i < r + 16; i++) {
      const b = s.bytes[i];
      const name = labels.get(i);
      if (name) names.push(`${name}=${hex(s.address + i, 6)}`);
      cells += `<span class="${p && p[i] !== b ? 'changed' : ''}${name ? ' labelled' : ''}" ${name ? `title="${esc(name)}"` : ''}>${hex(b, 2)}</span>${(i & 3) === 3 ? ' ' : ''}`;
      text += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    rows.push(`<div class="mrow"><span class="k">${hex(s.address + r, 6)}</span> ${cells}<span class="ascii">${esc(text)}</span>${names.length ? `<span class="lbl">${esc(names.join(' '))}</span>` : ''}</div>`);
  }
  return `<div class="storage">${rows.join('')}</div>`;
}

const CAUSES = ['privileged', 'svc', 'program', 'translation', 'external', 'io', 'diagnose'] as const;

export function renderCounters(v: MachineView): string {
  const c = v.counters;
  if (v.mode === 'bare') {
    const ints = Object.entries(c.interruptions).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
    return `<p>Bare machine: <b>${c.instructions}</b> instructions, all run directly (no CP). Interruptions: ${esc(ints)}.</p>`;
  }
  const total = Math.max(1, ...CAUSES.map((k) => c.entries[k] ?? 0));
  const bars = CAUSES.map((k) => `<div class="bar"><span class="k">${k}</span><span class="fill cause-${k}" style="width:${((c.entries[k] ?? 0) / total) * 100}%"></span><span>${c.entries[k] ?? 0}</span></div>`).join('');
  return `<p>Direct <b>${c.direct}</b> · handled by CP <b>${c.handled}</b> · efficiency <b>${(c.efficiency * 100).toFixed(2)}%</b> · virtual time ${v.time}</p><div class="bars" aria-label="CP entries by cause">${bars}</div>`;
}

/** Consecutive pages mapped alike (frames consecutive too, or all one frame) as one row; the filled page alone. */
function runs(rows: PageRow[], filled: number | null): { first: PageRow; last: PageRow; n: number }[] {
  const out: { first: PageRow; last: PageRow; n: number }[] = [];
  for (const r of rows) {
    const g = out[out.length - 1];
    const step = g ? (g.n === 1 ? r.frame - g.last.frame : (g.last.frame - g.first.frame) / (g.n - 1)) : -1;
    if (g && r.page !== filled && g.first.page !== filled && r.page === g.last.page + 0x1000 && r.protect === g.last.protect
      && (step === 0 || step === 0x1000) && r.frame - g.last.frame === step) { g.last = r; g.n++; } else out.push({ first: r, last: r, n: 1 });
  }
  return out;
}

function pageTable(title: string, rows: PageRow[] | null, filled: number | null, note = ''): string {
  if (rows === null) return '';
  const body = rows.length ? runs(rows, filled).map(({ first, last, n }) => {
    const pages = n === 1 ? hex(first.page, 6) : `${hex(first.page, 6)}–${hex(last.page, 6)}`;
    const frames = n === 1 || first.frame === last.frame ? hex(first.frame, 6) : `${hex(first.frame, 6)}–${hex(last.frame, 6)}`;
    return `<tr class="${first.page === filled ? 'filled' : ''}"><td>${pages}</td><td>${frames}${first.protect ? ' P' : ''}${n > 1 ? ` <small>(${n} pages)</small>` : ''}</td></tr>`;
  }).join('') : '<tr><td colspan="2">(no valid entries)</td></tr>';
  return `<table class="pt"><caption>${esc(title)}${note ? `<br><small>${esc(note)}</small>` : ''}</caption><tr><th>virtual page</th><th>frame</th></tr>${body}</table>`;
}

export function renderTables(v: MachineView): string {
  const t = v.tables;
  const head = `<p>DAT is ${t.dat ? 'on' : 'off'} in the ${v.mode === 'vm' ? 'virtual ' : ''}PSW.${t.filled !== null ? ` Last shadow fill: page ${hex(t.filled, 6)} (highlighted).` : ''}</p>`;
  return head + `<div class="tables">${pageTable("Guest's page table (its own, in its storage)", t.guest, t.filled)}${
    pageTable("CP's shadow table (guest-virtual → guest-real)", t.shadow, t.filled)}${
    pageTable(v.mode === 'vm' ? 'Real TLB' : 'TLB', t.tlb, t.filled, v.mode === 'vm' ? 'while the VM runs, the real TLB is its shadow table' : '')}</div>`;
}
