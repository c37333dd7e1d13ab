/**
 * The playground's engine (web/src/engine.ts) driven in Node the way the page drives it through
 * its worker: load an example, run to the first traps, step back, run to the end, pause a guest
 * that spins with every interruption masked, and report assembly errors by line.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../web/src/engine.ts';
import { EXAMPLES, FILES } from '../web/src/files.ts';
import type { EventView, FromEngine, MachineView, ToEngine } from '../web/src/protocol.ts';

function harness() {
  const got: FromEngine[] = [];
  const e = new Engine((m) => got.push(m), () => new Promise<void>((r) => setImmediate(r)));
  const send = (m: ToEngine) => e.handle(m);
  const last = <T extends FromEngine['type']>(t: T) => got.filter((m) => m.type === t).at(-1) as Extract<FromEngine, { type: T }> | undefined;
  const view = () => last('view')!.view as MachineView;
  const events = () => got.flatMap((m) => (m.type === 'events' ? m.events : [])) as EventView[];
  const output = () => {
    let lines: string[] = [];
    for (const m of got) if (m.type === 'output') lines = [...lines.slice(0, m.keep), ...m.lines];
    return lines;
  };
  const load = (id: string, vm = true) => {
    const ex = EXAMPLES.find((x) => x.id === id)!;
    return send({ type: 'load', source: FILES[ex.file], file: ex.file, vm, input: ex.input, disk: ex.disk });
  };
  return { got, send, last, view, events, output, load };
}

describe('the playground engine', () => {
  it('bundles every example with its includes, and each one assembles', async () => {
    for (const ex of EXAMPLES) {
      const h = harness();
      await h.load(ex.id);
      expect(h.last('loaded')?.ok, ex.id).toBe(true);
    }
  });

  it('runs every example to its documented end, bare and under CP (CMS: to its wait for input)', async () => {
    for (const ex of EXAMPLES) {
      for (const vm of [false, true]) {
        const h = harness();
        await h.load(ex.id, vm);
        await h.send({ type: 'control', what: 'run' });
        const v = h.view();
        if (ex.id === 'cms') expect(v.waiting, `${ex.id} ${vm}`).toBe(true);
        else expect(v.status, `${ex.id} ${vm ? 'under CP' : 'bare'}`).toMatch(/ended: (disabled wait, code 0 \(success\)|test result: PASS)/);
      }
    }
  }, 120_000);

  it('shows the system-call flow: LPSW emulated, SVC reflected; BACK returns before the trap', async () => {
    const h = harness();
    await h.load('syscall');
    await h.send({ type: 'control', what: 'runToTrap' });
    expect(h.last('stopped')!.reason).toBe('trap');
    await h.send({ type: 'control', what: 'runToTrap' });
    await h.send({ type: 'control', what: 'runToTrap' });
    const ev = h.events();
    expect(ev.map((e) => `${e.cause}/${e.action}`)).toEqual(['privileged/emulated', 'svc/reflected', 'privileged/emulated']);
    expect(ev[1]).toMatchObject({ beforeProblem: true, afterProblem: false, cp: true, text: 'SVC 1' });
    const at = h.view().position;
    await h.send({ type: 'event', seq: ev[1].seq });
    expect(h.last('narration')!.lines.join('\n')).toMatch(/reflect/i);
    await h.send({ type: 'control', what: 'back' });
    expect(h.view().position).toBe(at - 1);
    await h.send({ type: 'control', what: 'backTrap' });
    expect(h.view().nowSeq).toBeLessThan(ev[2].seq);
    // Go to a trap by its event: the machine just after it, as the narration's "after" PSW says.
    await h.send({ type: 'goto', seq: ev[1].seq });
    expect(h.view().position).toBe(ev[1].position + 1);
    expect(h.view().psw).toMatchObject({ ia: 0x218 });
    expect(h.view().psw.flags & 0x10000).toBe(0); // the SVC handler: supervisor state
    await h.send({ type: 'goto', seq: ev[0].seq });
    expect(h.view().position).toBe(3); // L, LHI, then the LPSW that trapped
    expect(h.view().psw.flags & 0x10000).toBe(0x10000); // CP put the guest in problem state
    // Going forward again replays: no event is recorded twice.
    await h.send({ type: 'control', what: 'runToTrap' });
    await h.send({ type: 'control', what: 'runToTrap' });
    expect(h.events().length).toBe(h.events().filter((e, i, a) => a.findIndex((x) => x.seq === e.seq) === i).length);
  });

  it('runs hello to its console line and a successful end, bare and under CP', async () => {
    for (const vm of [false, true]) {
      const h = harness();
      await h.load('hello', vm);
      await h.send({ type: 'control', what: 'run' });
      expect(h.output()).toEqual(['Hello, world']);
      expect(h.view().ended).toBe(true);
      expect(h.view().status).toMatch(/success/);
    }
  });

  it('runs the CMS session on its in-memory A-disk, then takes console input', async () => {
    const h = harness();
    await h.load('cms');
    await h.send({ type: 'control', what: 'run' });
    expect(h.view().waiting).toBe(true);
    expect(h.output()).toContain('Hello from CMS');
    await h.send({ type: 'input', line: 'LISTFILE' }); // the waiting guest goes on by itself
    expect(h.output().filter((l) => /HELLO\s+TEXT/.test(l)).length).toBe(2);
  });

  it('pauses a guest that spins with every interruption masked', async () => {
    const h = harness();
    await h.send({ type: 'load', source: '        .org 0\n        .psw 0, spin\n        .org 0x200\nspin:   J spin\n', file: 'spin.s', vm: true });
    const run = h.send({ type: 'control', what: 'run' });
    await new Promise((r) => setTimeout(r, 50));
    await h.send({ type: 'control', what: 'pause' });
    await run;
    expect(h.last('stopped')!.lines[0]).toMatch(/paused/);
    expect(h.view().position).toBeGreaterThan(0);
    // Loading another program while one runs: the old run ends, the new one takes commands.
    const again = h.send({ type: 'control', what: 'run' });
    await new Promise((r) => setTimeout(r, 20));
    await h.load('hello');
    await again;
    await h.send({ type: 'control', what: 'run' });
    expect(h.output()).toEqual(['Hello, world']);
  });

  it('takes a breakpoint set while running, between slices', async () => {
    const h = harness();
    await h.send({ type: 'load', source: '        .org 0\n        .psw 0, spin\n        .org 0x200\nspin:   J spin\n', file: 'spin.s', vm: false });
    const run = h.send({ type: 'control', what: 'run' });
    await new Promise((r) => setTimeout(r, 30));
    await h.send({ type: 'breakpoints', lines: [4] });
    await run;
    expect(h.last('stopped')!.reason).toBe('breakpoint');
  });

  it('stops at a breakpoint set by source line and answers CP console commands', async () => {
    const h = harness();
    await h.load('hello');
    const line = FILES['hello.s'].split('\n').findIndex((l) => l.startsWith('iodone:')) + 1;
    await h.send({ type: 'breakpoints', lines: [line] });
    await h.send({ type: 'control', what: 'run' });
    expect(h.last('stopped')!.reason).toBe('breakpoint');
    expect(h.view().line).toBe(line);
    await h.send({ type: 'command', text: 'DISPLAY G2' });
    expect(h.got.filter((m) => m.type === 'console').flatMap((m) => m.lines).join('\n')).toMatch(/GPR\s+2/);
  });

  it('steps over a call, and continues backward to the last breakpoint (or the start when there is none)', async () => {
    const h = harness();
    const src = ['        .include "tinycp.inc"', '        .org 0', '        .psw 0, start', '        .org 0x200',
      'start:  BAL   R14,sub', '        LHI   R3,2', '        LHI   R4,3', '        EXIT',
      'sub:    LHI   R2,1', '        AHI   R2,1', '        BR    R14', ''].join('\n');
    await h.send({ type: 'load', source: src, file: 'call.s', vm: true });
    await h.send({ type: 'control', what: 'stepOver' });
    expect(h.view()).toMatchObject({ line: 6, position: 4 });
    expect(h.view().gpr[2]).toBe(2);
    await h.send({ type: 'breakpoints', lines: [7] });
    await h.send({ type: 'control', what: 'run' });
    expect(h.view().line).toBe(7);
    const at = h.view().position;
    await h.send({ type: 'control', what: 'run' });
    expect(h.view().ended).toBe(true);
    await h.send({ type: 'control', what: 'reverseContinue' });
    expect(h.view()).toMatchObject({ line: 7, position: at, ended: false });
    await h.send({ type: 'breakpoints', lines: [] });
    await h.send({ type: 'control', what: 'reverseContinue' });
    expect(h.view().position).toBe(0);
  });

  it('breaks theorem 1 on request: with SSM unprivileged the theorem example diverges under CP, and CP never sees SSM', async () => {
    const h = harness();
    const ex = EXAMPLES.find((x) => x.id === 'theorem')!;
    await h.send({ type: 'load', source: FILES[ex.file], file: ex.file, vm: true, demote: 'SSM' });
    await h.send({ type: 'control', what: 'run' });
    // As `tinycp theorem` shows: SSM acted on the real PSW, and the run diverged (no success).
    expect(h.view().ended).toBe(true);
    expect(h.view().status).not.toMatch(/success/);
    expect(h.events().some((e) => e.text.startsWith('SSM'))).toBe(false);
    await h.send({ type: 'load', source: FILES[ex.file], file: ex.file, vm: true });
    await h.send({ type: 'control', what: 'run' });
    expect(h.view().status).toMatch(/success/);
    expect(h.events().some((e) => e.text.startsWith('SSM') && e.action === 'emulated')).toBe(true);
  });

  it('reports an assembly error with its line', async () => {
    const h = harness();
    await h.send({ type: 'load', source: '        .org 0x200\n        LHX R1,1\n', file: 'bad.s', vm: false });
    const l = h.last('loaded')!;
    expect(l.ok).toBe(false);
    expect(l.errors[0]).toMatchObject({ line: 2 });
  });
});
