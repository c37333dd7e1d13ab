/**
 * The machine facade (src/session/machine.ts) and the structured events behind it
 * (src/cpu/events.ts): bare and VM answer the same questions the same way, any number of
 * subscribers see each event, and a machine nobody watches has no subscriber wired in.
 */
import { describe, expect, it } from 'vitest';
import { INT_CLASS_NAMES, INT_SVC } from '../src/cpu/arch.ts';
import { CpuEvents, EV_INTERRUPT, EV_PRIVILEGED, Listeners, type InterruptEvent } from '../src/cpu/events.ts';
import { STOP_NAMES, STOP_WAIT } from '../src/cpu/cpu.ts';
import { BY_OPCODE } from '../src/cpu/isa.ts';
import { STOP_REASONS } from '../src/cpu/stop.ts';
import { execute } from '../src/debug/commands.ts';
import { Debugger } from '../src/debug/debugger.ts';
import { buildFile } from '../src/host/build.ts';
import { Session, type Mode } from '../src/session/session.ts';

const BUDGET = 2_000_000;

function image(file: string) {
  const b = buildFile(file);
  if (!b.ok) throw new Error(b.errors.join('\n'));
  return b;
}

describe('the machine facade', () => {
  for (const file of ['programs/tests/int_svc.s', 'programs/tests/int_io.s', 'programs/tests/pgm_page.s', 'programs/tests/ctlregs.s']) {
    it(`${file}: bare and VM report the same stop, PSW, registers, time and count`, () => {
      const b = image(file);
      const run = (mode: Mode) => {
        const s = new Session(b.image, { mode });
        const o = s.run(BUDGET);
        return { reason: o.reason, state: o.state, success: o.success, psw: s.psw(), gpr: [...s.gpr], cr: [...s.cr], time: s.time, n: s.instructions };
      };
      const bare = run('bare'), vm = run('vm');
      expect(bare.success).toBe(true);
      expect(vm).toEqual(bare);
    });
  }

  it('names the machine and tells bare from virtual once', () => {
    const b = image('programs/tests/int_svc.s');
    const bare = new Session(b.image, { mode: 'bare' }), vm = new Session(b.image, { mode: 'vm', name: 'alice' });
    expect([bare.name, bare.virtual]).toEqual(['BARE', false]);
    expect([vm.name, vm.virtual]).toEqual(['ALICE', true]);
    vm.run(BUDGET); bare.run(BUDGET);
    expect(vm.cpEntries).toBeGreaterThan(0);
    expect(bare.cpEntries).toBe(0);
    expect(vm.statsObject()).toHaveProperty('cp_entries', vm.cpEntries);
    expect(bare.statsObject()).toHaveProperty('instructions', bare.instructions);
  });

  it('has one stop vocabulary: the CPU codes are named from it', () => {
    expect(STOP_NAMES).toBe(STOP_REASONS);
    expect(STOP_NAMES[STOP_WAIT]).toBe('input-wait');
  });
});

describe('structured events', () => {
  it('a listener that unsubscribes while an event is told does not rob the others of it', () => {
    const ev = new CpuEvents();
    const got: string[] = [];
    const offA = ev.on('interrupt', () => { got.push('a'); offA(); });
    ev.on('interrupt', () => got.push('b'));
    expect(ev.mask).toBe(EV_INTERRUPT);
    ev.interrupt(INT_SVC, 1, 0x104, 0x100, 0x0a000001, -1, 7);
    ev.interrupt(INT_SVC, 2, 0x108, 0x104, 0x0a000002, -1, 8);
    expect(got).toEqual(['a', 'b', 'b']);
    const offP = ev.on('privileged', () => {});
    expect(ev.mask).toBe(EV_INTERRUPT | EV_PRIVILEGED);
    offP();
    expect(ev.mask).toBe(EV_INTERRUPT);
  });

  for (const mode of ['bare', 'vm'] as const) {
    it(`${mode}: every subscriber sees every interruption; unsubscribing unwires`, () => {
      const b = image('programs/tests/int_svc.s');
      const s = new Session(b.image, { mode, recordInterrupts: true });
      const a: string[] = [], c: string[] = [];
      const offA = s.events.on('interrupt', (e) => a.push(`${INT_CLASS_NAMES[e.cls]} ${e.code} ${e.oldIa}`));
      const offC = s.events.on('interrupt', (e) => c.push(`${INT_CLASS_NAMES[e.cls]} ${e.code} ${e.oldIa}`));
      s.run(BUDGET);
      expect(a.length).toBeGreaterThan(0);
      expect(c).toEqual(a);
      expect(a).toEqual(s.interrupts.map((i) => `${i.cls} ${i.code} ${i.oldIa}`));
      const owner = mode === 'bare' ? s.cpu.events : s.vm!.events;
      offA(); offC();
      expect(owner.mask & EV_INTERRUPT).not.toBe(0); // the session's own recorder still listens
    });
  }

  it('bare: an interruption comes with the instruction that caused it (no re-fetching)', () => {
    const b = image('programs/tests/int_svc.s');
    const s = new Session(b.image, { mode: 'bare' });
    const svcs: InterruptEvent[] = [];
    s.events.on('interrupt', (e) => { if (e.cls === INT_SVC) svcs.push({ ...e }); });
    s.run(BUDGET);
    expect(svcs.length).toBeGreaterThan(0);
    for (const e of svcs) {
      expect(BY_OPCODE[e.word >>> 24]?.mnemonic).toBe('SVC');
      expect(e.address).toBe((e.oldIa - 4) & 0xffffff);
      expect(e.code).toBe(e.word & 0xff);
    }
  });

  it('privileged instructions: events on the bare machine, CP trap events under CP', () => {
    const b = image('programs/tests/ctlregs.s');
    const bare = new Session(b.image, { mode: 'bare' });
    const seen: string[] = [];
    bare.events.on('privileged', (e) => seen.push(BY_OPCODE[e.word >>> 24]!.mnemonic));
    bare.events.on('trap', () => { throw new Error('nothing traps on the bare machine'); });
    bare.run(BUDGET);
    expect(seen).toContain('LCTL');
    expect(seen.every((m) => BY_OPCODE.find((d) => d?.mnemonic === m)!.privileged)).toBe(true);

    const vm = new Session(b.image, { mode: 'vm' });
    const traps: string[] = [];
    vm.events.on('privileged', () => { throw new Error('under CP the guest never runs a privileged instruction itself'); });
    vm.events.on('trap', (e) => { if ((e.cause === 'privileged' || e.cause === 'diagnose') && e.instruction) traps.push(e.instruction!.text.split(' ')[0]); });
    vm.run(BUDGET);
    expect(traps).toEqual(seen);
  });

  it('the deprecated cpu.onInterrupt slot still sees what the events see (compatibility path)', () => {
    const b = image('programs/tests/int_svc.s');
    const s = new Session(b.image, { mode: 'bare' });
    const old: number[] = [], now: number[] = [];
    s.cpu.onInterrupt = (cls, code) => old.push(cls * 1000 + code);
    s.events.on('interrupt', (e) => now.push(e.cls * 1000 + e.code));
    s.run(BUDGET);
    expect(old.length).toBeGreaterThan(0);
    expect(old).toEqual(now);
  });

  for (const mode of ['bare', 'vm'] as const) {
    it(`${mode}: with nobody subscribed no event is emitted (nothing built)`, () => {
      const b = image('programs/tests/int_io.s');
      const s = new Session(b.image, { mode });
      const saved = { i: CpuEvents.prototype.interrupt, p: CpuEvents.prototype.privileged, s: CpuEvents.prototype.step, e: Listeners.prototype.emit };
      const fail = () => { throw new Error('an event was emitted with nobody listening'); };
      CpuEvents.prototype.interrupt = fail; CpuEvents.prototype.privileged = fail; CpuEvents.prototype.step = fail; Listeners.prototype.emit = fail;
      try {
        expect(s.run(BUDGET).success).toBe(true);
      } finally {
        Object.assign(CpuEvents.prototype, { interrupt: saved.i, privileged: saved.p, step: saved.s });
        Listeners.prototype.emit = saved.e;
      }
      expect(s.cpu.counters.interruptions.reduce((a, n) => a + n, 0) + (s.vm?.counters.reflected ?? 0)).toBeGreaterThan(0);
    });
  }

  it('CCWs: several subscribers at once', () => {
    const b = image('programs/tests/int_io.s');
    const s = new Session(b.image, { mode: 'bare' });
    let x = 0, y = 0;
    s.events.on('ccw', () => { x++; });
    const off = s.events.on('ccw', () => { y++; });
    s.run(BUDGET);
    expect(x).toBeGreaterThan(0);
    expect(y).toBe(x);
    off();
    expect(s.devices.channel.ccws.active).toBe(true);
  });

  it('output: console lines reach the sink and every subscriber, alike bare and under CP', () => {
    const b = image('programs/hello.s');
    const run = (mode: Mode) => {
      const sink: string[] = [], seen: string[] = [];
      const s = new Session(b.image, { mode, console: (l) => sink.push(l) });
      s.events.on('output', (e) => seen.push(`${e.device}: ${e.line}`));
      s.run(BUDGET);
      expect(seen).toEqual(sink.map((l) => `console: ${l}`));
      return seen;
    };
    const bare = run('bare');
    expect(bare.length).toBeGreaterThan(0);
    expect(run('vm')).toEqual(bare);
  });

  for (const mode of ['bare', 'vm'] as const) {
    it(`${mode}: the debugger wires its listeners only while it traces, and two front ends coexist`, () => {
      const b = image('programs/tests/int_svc.s');
      const d = new Debugger(b.image, b.asm, { mode });
      const s = d.session;
      const mine: number[] = [];
      s.events.on('interrupt', (e) => mine.push(e.cls)); // another front end, before the debugger traces
      const idle = () => s.cpu.events.mask === (mode === 'bare' ? EV_INTERRUPT : 0) && !s.devices.channel.ccws.active && !(s.cp?.tracing ?? false);
      expect(idle()).toBe(true);
      execute(d, 'TRACE ALL RUN');
      expect(idle()).toBe(false);
      const stop = d.resume();
      expect(stop.lines.length).toBeGreaterThan(1); // traced lines
      execute(d, 'TRACE END');
      expect(idle()).toBe(true);
      expect(mine.length).toBeGreaterThan(0); // the debugger did not take the other front end's events
    });
  }
});
