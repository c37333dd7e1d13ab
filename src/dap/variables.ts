/**
 * The DAP scopes of a stopped guest: general registers, the PSW (under CP: the real PSW the
 * guest last ran with), the virtual PSW (under CP), control registers, and counters.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { PSW_DAT, PSW_EXT, PSW_IO, PSW_PROBLEM, PSW_WAIT } from '../cpu/arch.ts';
import type { PswData } from '../monitor/events.ts';
import { pswText } from '../monitor/narrate.ts';
import type { Debugger } from '../debug/debugger.ts';
import { hex } from '../debug/format.ts';

export const REF_GPR = 1, REF_PSW = 2, REF_VPSW = 3, REF_CR = 4, REF_COUNTERS = 5;

export const SCOPES: readonly { name: string; ref: number; vmOnly: boolean }[] = [
  { name: 'General registers', ref: REF_GPR, vmOnly: false },
  { name: 'PSW', ref: REF_PSW, vmOnly: false },
  { name: 'Virtual PSW', ref: REF_VPSW, vmOnly: true },
  { name: 'Control registers', ref: REF_CR, vmOnly: false },
  { name: 'Counters', ref: REF_COUNTERS, vmOnly: false },
];

const v = (name: string, value: string, memoryReference?: string): DebugProtocol.Variable => ({ name, value, variablesReference: 0, memoryReference });

function pswVars(p: PswData): DebugProtocol.Variable[] {
  const f = p.flags;
  return [
    v('PSW', pswText(p)),
    v('instruction address', hex(p.ia, 6), '0x' + hex(p.ia, 6)),
    v('condition code', String(p.cc)),
    v('state', f & PSW_PROBLEM ? 'problem' : 'supervisor'),
    v('wait', f & PSW_WAIT ? 'on' : 'off'),
    v('DAT', f & PSW_DAT ? 'on' : 'off'),
    v('I/O mask', f & PSW_IO ? 'on' : 'off'),
    v('external mask', f & PSW_EXT ? 'on' : 'off'),
  ];
}

/** The variables of one scope. */
export function scopeVariables(d: Debugger, ref: number): DebugProtocol.Variable[] {
  switch (ref) {
    case REF_GPR: return [...d.gpr].map((x, i) => v(`R${i}`, `${hex(x)} (${x})`, '0x' + hex(x & 0xffffff, 6)));
    case REF_CR: return [...d.cr].map((x, i) => v(`CR${i}`, hex(x)));
    case REF_VPSW: return d.session.virtual ? pswVars(d.psw()) : [];
    case REF_PSW: {
      if (!d.session.virtual) return pswVars(d.psw());
      return [...pswVars(d.session.realPsw()), v('note', 'the real PSW of the last dispatch: guests run in real problem state')];
    }
    case REF_COUNTERS: {
      const out = [v('instructions (debugger position)', String(d.position)), v('virtual time', String(d.session.time))];
      for (const [name, value] of d.session.counterRows()) out.push(v(name, value));
      return out;
    }
    default: return [];
  }
}
