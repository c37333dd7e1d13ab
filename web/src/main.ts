/**
 * The playground page: editor, controls and views, all in plain TypeScript. The machine runs in
 * a Web Worker (worker.ts); this file sends it commands and draws what it reports.
 */
import type { EditorView } from '@codemirror/view';
import { breakpointLines, createEditor, setDoc, showCurrent } from './editor.ts';
import { EXAMPLES, FILES, type Example } from './files.ts';
import type { Control, FromEngine, MachineView, ToEngine } from './protocol.ts';
import { legendHtml, TimelineView } from './timeline.ts';
import { esc, pswTable, renderCounters, renderDisasm, renderPsw, renderRegs, renderStorage, renderTables } from './views.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (m: ToEngine) => worker.postMessage(m);

/* ---- the program: an example, or text kept in the URL ---- */

let example: Example | null = null;
let file = 'program.s';
/** The text the engine has loaded (null: must load before the next control). */
let loadedText: string | null = null;
let loadedMode: string | null = null;

function encode(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function decode(b64: string): string | null {
  try {
    const bin = atob(b64.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch { return null; }
}

/** `#example=syscall`, or `#file=x.s&code=<base64url>`; `&bare` for the bare machine. */
function fromHash(): { text: string; ex: Example | null; file: string; vm: boolean } {
  const p = new URLSearchParams(location.hash.slice(1));
  const vm = !p.has('bare');
  const code = p.get('code');
  const text = code !== null ? decode(code) : null;
  if (text !== null) {
    const f = (p.get('file') ?? 'program.s').replace(/[^A-Za-z0-9_./-]/g, '');
    return { text, ex: null, file: f || 'program.s', vm };
  }
  const ex = EXAMPLES.find((e) => e.id === p.get('example')) ?? EXAMPLES.find((e) => e.id === 'syscall')!;
  return { text: FILES[ex.file], ex, file: ex.file, vm: p.has('bare') ? false : ex.vm };
}

function toHash(): void {
  const text = editor.state.doc.toString();
  const p = new URLSearchParams();
  if (example && text === FILES[example.file]) p.set('example', example.id);
  else { p.set('file', file); p.set('code', encode(text)); }
  if (!underCp.checked) p.set('bare', '');
  history.replaceState(null, '', `#${p.toString().replace(/bare=(&|$)/, 'bare$1')}`);
}

/* ---- page elements ---- */

const underCp = $<HTMLInputElement>('under-cp');
const breakSsm = $<HTMLInputElement>('break-ssm');
const select = $<HTMLSelectElement>('examples');
const statusEl = $('status');
const guestOut = $('guest-out'), cpOut = $('cp-out');
let guestLines: string[] = [];
const cpLines: string[] = [];
let prev: MachineView | null = null;
let latest: MachineView | null = null;
let interactive = false;

for (const e of EXAMPLES) select.add(new Option(e.title, e.id));
select.add(new Option('(your own program)', ''));
$('legend').innerHTML = legendHtml();

const start = fromHash();
example = start.ex; file = start.file; underCp.checked = start.vm;
select.value = example?.id ?? '';

let hashTimer = 0;
const editor: EditorView = createEditor($('editor'), start.text, {
  file: () => file,
  onDocChange: () => {
    loadedText = null;
    clearTimeout(hashTimer);
    hashTimer = window.setTimeout(toHash, 400);
  },
  onBreakpoints: () => { if (loadedText !== null) send({ type: 'breakpoints', lines: breakpointLines(editor) }); },
});

const timeline = new TimelineView($<HTMLOListElement>('events'), (seq, line) => {
  send({ type: 'event', seq });
  // The instruction that trapped: put the cursor on its line (the next instruction keeps its own mark).
  if (line !== null && line <= editor.state.doc.lines) {
    const at = editor.state.doc.line(line).from;
    editor.dispatch({ selection: { anchor: at, head: editor.state.doc.line(line).to }, scrollIntoView: true });
  }
});

function cpSay(lines: string[]): void {
  cpLines.push(...lines);
  if (cpLines.length > 1500) cpLines.splice(0, cpLines.length - 1500);
  cpOut.textContent = cpLines.join('\n');
  cpOut.scrollTop = cpOut.scrollHeight;
}

/** Assemble and load the editor's text into the engine unless it is loaded already. */
function ensureLoaded(): void {
  const text = editor.state.doc.toString();
  const mode = `${underCp.checked} ${breakSsm.checked}`;
  if (loadedText === text && loadedMode === mode) return;
  loadedText = text; loadedMode = mode;
  // An example's console script is typed only into the example as shipped; its disk stays when it is edited.
  const asShipped = example && text === FILES[example.file] ? example : null;
  send({ type: 'load', source: text, file, vm: underCp.checked, input: asShipped?.input, disk: example?.disk, demote: breakSsm.checked ? 'SSM' : undefined });
  send({ type: 'breakpoints', lines: breakpointLines(editor) });
}

function control(what: Control): void {
  if (what !== 'pause') ensureLoaded();
  send({ type: 'control', what });
}

for (const id of ['run', 'pause', 'step', 'stepOver', 'back', 'backTrap', 'reverseContinue', 'runToTrap'] as const) {
  $(id).addEventListener('click', () => control(id));
}

$('goto-event').addEventListener('click', () => send({ type: 'goto', seq: Number($('goto-event').dataset.seq) }));
$('restart').addEventListener('click', () => { loadedText = null; ensureLoaded(); });

/* Keyboard: Alt+R run, Alt+P pause, Alt+S step, Alt+O step over, Alt+B back, Alt+T next trap, Alt+Shift+T previous trap, Alt+Shift+R reverse continue. */
window.addEventListener('keydown', (e) => {
  if (!e.altKey || e.ctrlKey || e.metaKey) return;
  const k = e.code.replace(/^Key/, '');
  const map: Record<string, Control> = e.shiftKey ? { T: 'backTrap', R: 'reverseContinue' } : { R: 'run', P: 'pause', S: 'step', O: 'stepOver', B: 'back', T: 'runToTrap' };
  const c = map[k];
  if (c) { e.preventDefault(); control(c); }
});

select.addEventListener('change', () => {
  const ex = EXAMPLES.find((x) => x.id === select.value);
  if (!ex) { example = null; file = 'program.s'; return; }
  example = ex; file = ex.file; underCp.checked = ex.vm;
  setDoc(editor, FILES[ex.file]);
  loadedText = null;
  toHash();
  ensureLoaded();
});
underCp.addEventListener('change', () => { loadedText = null; toHash(); ensureLoaded(); });
breakSsm.addEventListener('change', () => { loadedText = null; ensureLoaded(); });

$('guest-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const i = $<HTMLInputElement>('guest-in');
  ensureLoaded();
  send({ type: 'input', line: i.value });
  i.value = '';
});
$('cp-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const i = $<HTMLInputElement>('cp-in');
  if (!i.value.trim()) return;
  ensureLoaded();
  send({ type: 'command', text: i.value });
  i.value = '';
});
$('mem-form').addEventListener('submit', (e) => {
  e.preventDefault();
  send({ type: 'storage', address: $<HTMLInputElement>('mem-at').value });
});

/* ---- what the engine reports ---- */

function render(v: MachineView): void {
  prev = latest && latest.position !== v.position ? latest : prev;
  latest = v;
  const p = prev && prev.mode === v.mode ? prev : null;
  statusEl.textContent = `${v.mode === 'vm' ? 'under CP' : 'bare machine'} · ${v.status}`;
  $('cp-lane').textContent = v.mode === 'vm' ? 'CP' : 'no CP (bare)';
  $('psw').innerHTML = renderPsw(v, p);
  $('regs').innerHTML = renderRegs(v, p);
  $('disasm').innerHTML = renderDisasm(v);
  $('storage').innerHTML = renderStorage(v, p);
  $('counters').innerHTML = renderCounters(v);
  $('tables').innerHTML = renderTables(v);
  timeline.setNow(v.nowSeq);
  const cur = v.disasm.find((d) => d.current);
  if (!v.running) showCurrent(editor, v.line !== null && cur && !v.ended ? { line: v.line, text: cur.text } : null);
  document.body.classList.toggle('running', v.running);
  if (!interactive) {
    interactive = true;
    performance.mark('tinycp:interactive');
    document.body.dataset.ready = 'true';
  }
}

worker.onmessage = (e: MessageEvent<FromEngine>) => {
  const m = e.data;
  switch (m.type) {
    case 'loaded':
      if (!m.ok) {
        statusEl.textContent = `assembly failed: ${m.errors.length} error(s)`;
        cpSay(m.errors.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`));
        loadedText = null;
      } else {
        prev = null; latest = null;
        // A new program: the last one's event is gone.
        $('event-title').textContent = '(click a trap in the timeline)';
        $('goto-event').hidden = true;
        $('event-psw').textContent = ''; $('event-text').textContent = '';
      }
      break;
    case 'view': render(m.view); break;
    case 'events':
      if (m.reset) timeline.reset();
      if (m.dropAfter !== null) timeline.dropAfter(m.dropAfter);
      timeline.add(m.events);
      if (latest) timeline.setNow(latest.nowSeq);
      break;
    case 'output':
      guestLines = [...guestLines.slice(0, m.keep), ...m.lines].slice(-2000);
      guestOut.textContent = guestLines.join('\n');
      guestOut.scrollTop = guestOut.scrollHeight;
      break;
    case 'console': cpSay(m.lines); break;
    case 'stopped': cpSay(m.lines); break;
    case 'narration':
      $('event-title').textContent = `#${m.seq}`;
      $('goto-event').hidden = false;
      $('goto-event').dataset.seq = String(m.seq);
      $('event-psw').innerHTML = pswTable(m.before, null, m.cp ? 'virtual PSW before CP acted' : 'PSW before the interruption')
        + pswTable(m.after, m.before, m.cp ? 'virtual PSW after' : 'PSW after (the new PSW)');
      $('event-text').innerHTML = esc(m.lines.join('\n'));
      break;
  }
};

/* ---- time-sharing: loaded on first use ---- */
let stopTs: (() => void) | null = null;
$('ts-start').addEventListener('click', async () => {
  if (stopTs) return;
  const { startTimeSharing } = await import('./timesharing-ui.ts');
  stopTs = startTimeSharing($('ts'));
  $('ts-start').hidden = true; $('ts-stop').hidden = false;
});
$('ts-stop').addEventListener('click', () => {
  stopTs?.(); stopTs = null;
  $('ts-start').hidden = false; $('ts-stop').hidden = true;
});

ensureLoaded();
toHash();
