/** Helpers for the debugger tests: a Debugger on a program file, a command runner, state fingerprints. */
import { resolve } from 'node:path';
import { execute } from '../src/debug/commands.ts';
import { Debugger, type DebuggerOptions } from '../src/debug/debugger.ts';
import { storageHash } from '../src/cpu/storage.ts';
import type { Mode } from '../src/session/session.ts';
import { buildOrThrow } from './guest-helpers.ts';

export const TRAPS = resolve(import.meta.dirname, '../programs/debug/traps.s');
export const ECHO = resolve(import.meta.dirname, '../programs/debug/echo.s');
export const HELLO = resolve(import.meta.dirname, '../programs/hello.s');

export interface Harness { d: Debugger; out: string[]; cmd(text: string): string[]; ok(text: string): boolean }

export function harness(file: string, mode: Mode, opts: Partial<DebuggerOptions> = {}): Harness {
  const b = buildOrThrow(file);
  const out: string[] = [];
  const d = new Debugger(b.image, b.asm, { mode, output: (l) => out.push(l), ...opts });
  return {
    d, out,
    cmd: (text) => { const r = execute(d, text); return [...r.lines, ...(r.stop?.lines ?? [])]; },
    ok: (text) => execute(d, text).ok,
  };
}

/** Everything a guest (or an observer of its devices) could tell apart, plus CP's bookkeeping. */
export function fullState(d: Debugger): Record<string, unknown> {
  const s = d.session;
  return {
    position: d.position, guest: s.guestState(), outcome: s.outcome, storage: storageHash(s.mem), output: [...d.outputLog],
    channel: JSON.stringify(s.devices.channel.save()), cpu: { ia: s.cpu.ia, flags: s.cpu.flags, cc: s.cpu.cc, now: s.cpu.now, n: s.cpu.counters.instructions },
    vm: s.vm ? { state: s.vm.state, counters: JSON.stringify(s.vm.counters), shadow: storageHash(s.vm.shadow), clocks: s.vm.clocks.save() } : null,
    cp: s.cp ? { realTime: s.cp.realTime } : null, clocks: s.cpu.clocks.save(),
  };
}
