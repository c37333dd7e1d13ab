/**
 * Reverse execution by snapshots and deterministic replay.
 *
 * The machine is deterministic: given the same state and the same operator actions at the same
 * instructions, it does the same thing (time is the instruction count; there is no wall clock).
 * So the timeline keeps
 * - marks: complete snapshots (snapshot.ts) every `interval` instructions, at most `max` of them
 *   (when there are more, the mark whose removal leaves the smallest gap goes, so older history
 *   gets sparser but never disappears: the start is always kept);
 * - a journal of operator actions (console input, STORE, EXTERNAL, IPL, CP commands), each at the
 *   instruction position where it was made.
 * Going to position p restores the last mark at or before p and replays forward, applying the
 * journal at the same positions, at full interpreter speed. An action made after stepping back
 * forks the timeline: the old future (later marks and journal entries) is dropped.
 */
import type { Debugger } from './debugger.ts';
import type { DebugEvent } from './events.ts';
import { restoreSnapshot, takeSnapshot, type Snapshot } from './snapshot.ts';

interface Mark { step: number; journalIndex: number; outLen: number; snap: Snapshot }
/** One operator action, replayable. */
export interface JournalEntry { step: number; text: string; apply: () => void }

/** What a backward search found (the debugger is left at that position). */
export interface Found { kind: 'trap' | 'breakpoint' | 'watch'; position: number; events: DebugEvent[]; watchHits: string[] }

export class Timeline {
  marks: Mark[] = [];
  readonly journal: JournalEntry[] = [];
  /** Journal entries applied so far (those before this index are in the machine's state). */
  applied = 0;
  /** The machine as loaded: what IPL returns to. */
  readonly initial: Snapshot;

  constructor(private readonly d: Debugger, readonly interval: number, readonly max: number) {
    this.initial = takeSnapshot(d.session);
    this.marks.push({ step: 0, journalIndex: 0, outLen: 0, snap: this.initial });
  }

  /** Apply the journal entries due at the current position. */
  applyJournal(): void {
    const j = this.journal;
    while (this.applied < j.length && j[this.applied].step === this.d.position) j[this.applied++].apply();
  }

  /** True when a journal entry is due at the current position (recorded input to replay). */
  get due(): boolean { return this.applied < this.journal.length && this.journal[this.applied].step === this.d.position; }

  private nextJournalStep(): number { return this.applied < this.journal.length ? this.journal[this.applied].step : Infinity; }

  /** Take a mark at the current position unless one is there. */
  private mark(): void {
    const d = this.d, p = d.position;
    let i = this.marks.length;
    while (i > 0 && this.marks[i - 1].step > p) i--;
    if (i > 0 && this.marks[i - 1].step === p) return;
    const snap = takeSnapshot(d.session, this.marks[i - 1]?.snap ?? null);
    this.marks.splice(i, 0, { step: p, journalIndex: this.applied, outLen: d.outputLog.length, snap });
    while (this.marks.length > this.max) {
      let best = 1, gap = Infinity;
      for (let k = 1; k < this.marks.length - 1; k++) {
        const g = this.marks[k + 1].step - this.marks[k - 1].step;
        if (g < gap) { gap = g; best = k; }
      }
      this.marks.splice(best, 1);
    }
  }

  private beforeRun(): void {
    this.applyJournal();
    if (!this.d.replaying && this.d.position % this.interval === 0) this.mark();
  }

  /** One instruction (the debugger's checked step). True when one ran. */
  advance(): boolean {
    this.beforeRun();
    return this.d.runChunk(1) === 1;
  }

  /** Up to `max` instructions at full speed, never past the next mark or journal entry. */
  forwardChunk(max: number): number {
    this.beforeRun();
    const p = this.d.position;
    const nextMark = (Math.floor(p / this.interval) + 1) * this.interval;
    return this.d.runChunk(Math.max(1, Math.min(max, nextMark - p, this.nextJournalStep() - p)));
  }

  /** Make the machine exactly what it was at position `target` (<= the furthest position reached). */
  goTo(target: number): void {
    const d = this.d;
    let i = this.marks.length - 1;
    while (i > 0 && this.marks[i].step > target) i--;
    const m = this.marks[i];
    restoreSnapshot(d.session, m.snap);
    d.position = m.step; this.applied = m.journalIndex; d.outputLog.length = m.outLen;
    const was = d.replaying;
    d.replaying = true;
    try {
      while (d.position < target) {
        this.applyJournal();
        const n = d.runChunk(Math.min(target - d.position, this.nextJournalStep() - d.position));
        if (n === 0) break;
      }
      this.applyJournal();
    } finally { d.replaying = was; }
    d.rebaseWatches();
  }

  /**
   * Search backward for the latest position before the current one where a breakpoint address was
   * next, a watched range changed, or an event accepted by `want` happened; go there. Each
   * segment between marks is replayed one instruction at a time, newest segment first.
   */
  searchBack(want: (e: DebugEvent) => boolean): Found | null {
    const d = this.d, cur = d.position;
    let hi = cur;
    let i = this.marks.length - 1;
    while (i >= 0 && this.marks[i].step >= cur) i--;
    for (; i >= 0; i--) {
      const m = this.marks[i];
      this.goTo(m.step);
      let found: Found | null = null;
      d.replaying = true;
      try {
        while (d.position < hi) {
          if (d.breakpoints.has(d.ia)) found = { kind: 'breakpoint', position: d.position, events: [], watchHits: [] };
          const r = d.stepChecked();
          if (!r.ran) break;
          if (d.position >= cur) continue;
          const ev = r.events.filter(want);
          if (ev.length) found = { kind: 'trap', position: d.position, events: ev, watchHits: [] };
          else if (r.watchHits.length) found = { kind: 'watch', position: d.position, events: [], watchHits: r.watchHits };
        }
      } finally { d.replaying = false; }
      if (found) { this.goTo(found.position); return found; }
      hi = m.step;
    }
    this.goTo(0);
    return null;
  }

  /** Apply and journal an operator action; drop the old future when it is made in the past. */
  intervene(text: string, apply: () => void): void {
    const p = this.d.position;
    this.journal.length = this.applied;
    this.marks = this.marks.filter((m) => m.step <= p);
    this.journal.push({ step: p, text, apply });
    this.applied++;
    apply();
  }

  /** The furthest position recorded (for front ends that show history). */
  get journalText(): string[] { return this.journal.map((j) => `${j.step}: ${j.text}`); }
}
