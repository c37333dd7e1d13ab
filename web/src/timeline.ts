/**
 * The trap timeline: one column per event, three lanes (guest problem state, guest supervisor
 * state, CP). A CP entry is an arrow down from the lane the guest was in to CP and an arrow back
 * up to the lane CP resumed it in, coloured by cause; on the bare machine an interruption is one
 * arrow from the lane it interrupted to the lane of its handler. Each column is a button in a
 * list, so the timeline reads as "event 3 of 12: SVC 1 at 000208, reflected" to a screen reader.
 */
import type { EventView } from './protocol.ts';
import { esc, hex } from './views.ts';

/** Columns kept in the page (the engine keeps more for narration). */
const MAX_SHOWN = 600;
/** Lane centres and bands (the lane labels in index.html use the same heights: 36, 36, 40). */
const Y = { problem: 18, supervisor: 54, cp: 92 } as const;
const W = 30, H = 112;

export const CAUSE_LABEL: Record<string, string> = {
  privileged: 'privileged instruction', 'privileged-problem': 'privileged op in problem state', svc: 'SVC', program: 'program check',
  translation: 'shadow-table miss', external: 'external', io: 'I/O', diagnose: 'DIAGNOSE', command: 'CP command',
};

/** A few letters under each CP entry, so the lane reads without the colours. */
const TAG: Record<string, string> = { privileged: 'PRIV', 'privileged-problem': 'PRIV', svc: 'SVC', program: 'PGM', translation: 'TLB', external: 'EXT', io: 'I/O', diagnose: 'DIAG', command: 'CMD' };

function arrow(x: number, y1: number, y2: number): string {
  const dir = y2 > y1 ? 1 : -1;
  return `<line x1="${x}" y1="${y1}" x2="${x}" y2="${y2 - dir * 5}"/><polygon points="${x - 4},${y2 - dir * 6} ${x + 4},${y2 - dir * 6} ${x},${y2}"/>`;
}

function picture(e: EventView): string {
  const y1 = e.beforeProblem ? Y.problem : Y.supervisor, y2 = e.afterProblem ? Y.problem : Y.supervisor;
  let g: string;
  if (e.cp) g = arrow(9, y1, Y.cp - 4) + arrow(21, Y.cp - 4, y2);
  else g = y1 === y2 ? `<circle cx="15" cy="${y1}" r="5"/>` : arrow(15, y1, y2);
  const bands = `<rect class="lane-p" x="0" y="0" width="${W}" height="36"/><rect class="lane-s" x="0" y="36" width="${W}" height="36"/><rect class="lane-cp" x="0" y="72" width="${W}" height="40"/>`;
  const tag = e.cp ? `<text x="${W / 2}" y="${H - 3}">${esc(TAG[e.cause] ?? '')}</text>` : '';
  return `<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" aria-hidden="true" focusable="false">${bands}<g>${g}</g>${tag}</svg>`;
}

export function eventLabel(e: EventView): string {
  const what = CAUSE_LABEL[e.cause] ?? e.cause;
  const at = e.address !== null ? ` at ${hex(e.address, 6)}${e.text ? ` (${e.text})` : ''}` : '';
  return `#${e.seq} ${what}${e.cause === 'svc' || e.cause === 'diagnose' ? ` ${e.code}` : ''}${at}: ${e.action}${e.line !== null ? `, line ${e.line}` : ''}`;
}

export class TimelineView {
  private selected: number | null = null;
  /** Source lines of the events shown, by seq (to show the line of a picked event). */
  private readonly lines = new Map<number, number>();
  constructor(private readonly list: HTMLOListElement, private readonly onPick: (seq: number, line: number | null) => void) {
    list.addEventListener('click', (ev) => {
      const b = (ev.target as Element).closest('button[data-seq]') as HTMLButtonElement | null;
      if (b) this.pick(Number(b.dataset.seq));
    });
  }

  pick(seq: number): void {
    this.selected = seq;
    for (const b of this.list.querySelectorAll('button[aria-pressed="true"]')) b.setAttribute('aria-pressed', 'false');
    this.list.querySelector(`button[data-seq="${seq}"]`)?.setAttribute('aria-pressed', 'true');
    this.onPick(seq, this.lines.get(seq) ?? null);
  }

  reset(): void { this.list.textContent = ''; this.selected = null; this.lines.clear(); }

  add(events: EventView[]): void {
    for (const e of events) if (e.line !== null) this.lines.set(e.seq, e.line);
    if (this.lines.size > 4 * MAX_SHOWN) for (const k of [...this.lines.keys()].slice(0, this.lines.size - MAX_SHOWN)) this.lines.delete(k);
    const html = events.slice(-MAX_SHOWN).map((e) =>
      `<li class="ev cause-${esc(e.cause)}"><button data-seq="${e.seq}" aria-pressed="false" aria-label="${esc(eventLabel(e))}" title="${esc(eventLabel(e))}">${picture(e)}</button></li>`).join('');
    this.list.insertAdjacentHTML('beforeend', html);
    while (this.list.children.length > MAX_SHOWN) this.list.firstElementChild!.remove();
  }

  /** Forget events after `seq` (history forked after stepping back). */
  dropAfter(seq: number): void {
    for (const li of [...this.list.children]) {
      const s = Number((li.firstElementChild as HTMLElement).dataset.seq);
      if (s > seq) li.remove();
    }
  }

  /** Events after `nowSeq` happened later than the current position (we stepped back): dim them. */
  setNow(nowSeq: number): void {
    let last: Element | null = null;
    for (const li of this.list.children) {
      const s = Number((li.firstElementChild as HTMLElement).dataset.seq);
      li.classList.toggle('future', s > nowSeq);
      li.classList.remove('now');
      if (s <= nowSeq) last = li;
    }
    if (last) {
      last.classList.add('now');
      const box = this.list.parentElement!;
      const x = (last as HTMLElement).offsetLeft;
      if (x < box.scrollLeft + 60 || x > box.scrollLeft + box.clientWidth - 40) box.scrollLeft = Math.max(0, x - box.clientWidth + 80);
    }
  }

  get current(): number | null { return this.selected; }
}

export function legendHtml(): string {
  return ['privileged', 'svc', 'program', 'translation', 'external', 'io', 'diagnose']
    .map((c) => `<span class="cause-${c}"><i></i>${esc(CAUSE_LABEL[c])}</span>`).join('');
}
