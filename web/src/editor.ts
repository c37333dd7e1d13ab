/**
 * The source editor: CodeMirror 6 with tinycp assembly (lang.ts), breakpoints toggled by
 * clicking the gutter, and the line of the next instruction highlighted with its disassembly
 * beside it.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching } from '@codemirror/language';
import { lintGutter } from '@codemirror/lint';
import { EditorState, RangeSet, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, gutter, GutterMarker, highlightActiveLine, keymap, lineNumbers, WidgetType, type DecorationSet } from '@codemirror/view';
import { asmLinter, highlighting, tinycpAsm } from './lang.ts';

const toggleBreakpoint = StateEffect.define<{ pos: number; on: boolean }>({ map: (v, m) => ({ pos: m.mapPos(v.pos), on: v.on }) });
const clearBreakpoints = StateEffect.define<null>();

class BreakpointMarker extends GutterMarker {
  override toDOM() {
    const s = document.createElement('span');
    s.className = 'bp-dot';
    s.textContent = '●';
    return s;
  }
}
const bpMarker = new BreakpointMarker();
/** Sizes the gutter (CodeMirror renders it hidden): a marker of the same width that is no breakpoint. */
class SpacerMarker extends GutterMarker {
  override toDOM() { const s = document.createElement('span'); s.className = 'bp-spacer'; s.textContent = '●'; return s; }
}

const breakpointField = StateField.define<RangeSet<GutterMarker>>({
  create: () => RangeSet.empty,
  update(set, tr) {
    set = set.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(clearBreakpoints)) set = RangeSet.empty;
      if (e.is(toggleBreakpoint)) {
        set = e.value.on ? set.update({ add: [bpMarker.range(e.value.pos)] }) : set.update({ filter: (from) => from !== e.value.pos });
      }
    }
    return set;
  },
});

/** Lines (1-based) that carry a breakpoint. */
export function breakpointLines(view: EditorView): number[] {
  const out: number[] = [];
  const it = view.state.field(breakpointField).iter();
  for (; it.value; it.next()) out.push(view.state.doc.lineAt(it.from).number);
  return [...new Set(out)];
}

function toggleAt(view: EditorView, pos: number): void {
  let on = true;
  view.state.field(breakpointField).between(pos, pos, () => { on = false; });
  view.dispatch({ effects: toggleBreakpoint.of({ pos, on }) });
}

/** The gutter that shows and toggles breakpoints (click, or Ctrl-B / Cmd-B on the cursor line). */
function breakpointGutter(onChange: () => void): Extension {
  return [
    breakpointField,
    gutter({
      class: 'cm-breakpoint-gutter',
      markers: (v) => v.state.field(breakpointField),
      initialSpacer: () => new SpacerMarker(),
      domEventHandlers: {
        mousedown(view, line) { toggleAt(view, line.from); onChange(); return true; },
      },
    }),
    keymap.of([{ key: 'Mod-b', run: (view) => { toggleAt(view, view.state.doc.lineAt(view.state.selection.main.head).from); onChange(); return true; } }]),
  ];
}

/* ---- the next instruction's line ---- */

const setCurrent = StateEffect.define<{ line: number; text: string } | null>();

class DisasmWidget extends WidgetType {
  constructor(readonly text: string) { super(); }
  override eq(o: DisasmWidget) { return o.text === this.text; }
  override toDOM() {
    const s = document.createElement('span');
    s.className = 'cm-disasm';
    s.textContent = `  ◀ ${this.text}`;
    return s;
  }
}

const currentField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setCurrent)) continue;
      if (!e.value || e.value.line > tr.state.doc.lines) { deco = Decoration.none; continue; }
      const l = tr.state.doc.line(e.value.line);
      deco = Decoration.set([
        Decoration.line({ class: 'cm-current-insn' }).range(l.from),
        Decoration.widget({ widget: new DisasmWidget(e.value.text), side: 1 }).range(l.to),
      ]);
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** Mark the line of the next instruction (null: none) and show its disassembly beside it. */
export function showCurrent(view: EditorView, at: { line: number; text: string } | null): void {
  view.dispatch({ effects: setCurrent.of(at) });
  if (at && at.line <= view.state.doc.lines) {
    const pos = view.state.doc.line(at.line).from;
    view.dispatch({ effects: EditorView.scrollIntoView(pos, { y: 'nearest' }) });
  }
}

export interface EditorHooks { file: () => string; onDocChange: () => void; onBreakpoints: () => void }

export function createEditor(parent: HTMLElement, doc: string, hooks: EditorHooks): EditorView {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(), breakpointGutter(hooks.onBreakpoints), lintGutter(), history(), bracketMatching(), highlightActiveLine(),
        tinycpAsm, highlighting, asmLinter(hooks.file), currentField,
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.contentAttributes.of({ 'aria-label': 'Program source' }),
        EditorView.updateListener.of((u) => { if (u.docChanged) hooks.onDocChange(); }),
      ],
    }),
  });
}

/** Replace the whole text (an example was chosen); breakpoints go with the old text. */
export function setDoc(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, effects: [clearBreakpoints.of(null), setCurrent.of(null)] });
}
