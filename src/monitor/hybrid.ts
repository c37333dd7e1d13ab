/**
 * The hybrid virtual machine monitor of Popek & Goldberg's theorem 3 (`--hybrid`): while the
 * guest's virtual PSW is in supervisor state, CP looks at every instruction before it runs;
 * in virtual problem state it traps and emulates as usual (PoO 4.3.2).
 *
 * Theorem 1 needs every sensitive instruction to be privileged, because CP only sees what traps.
 * On a machine where some sensitive instruction does not trap (a leaky profile, src/cpu/profiles.ts)
 * CP can still keep control of the guest's supervisor code by interpreting it: each instruction is
 * fetched through the guest's translation and decoded against the ISA table; a sensitive one is
 * handed to the trap dispatcher exactly as if it had trapped (so CP emulates it against the virtual
 * state), an innocuous one runs directly on the real CPU for one instruction. The cost is one CP
 * decision per supervisor-state instruction. Theorem 3 says this is enough when every
 * *user*-sensitive instruction is privileged: problem-state code still runs at full speed.
 */
import { PGM_PRIVILEGED, PSW_DAT, PTE_PFRA, TLB_VALID } from '../cpu/arch.ts';
import { BY_OPCODE } from '../cpu/isa.ts';
import type { ControlProgram } from './cp.ts';
import type { VirtualMachine } from './vm.ts';

/**
 * Look at the guest's next instruction (virtual supervisor state). True: it is sensitive, and
 * `cp.cpu.icept` now describes it as a privileged-operation interception for the dispatcher.
 * False: run it directly, one instruction (a fetch that misses the shadow table is left to the
 * real CPU, which stops for the miss before it executes anything).
 */
export function hybridIntercept(cp: ControlProgram, vm: VirtualMachine): boolean {
  cp.hybridSteps++;
  const ia = vm.ia;
  let ra = ia;
  if (vm.flags & PSW_DAT) {
    const e = vm.shadow[ia >>> 12];
    if ((e & TLB_VALID) === 0) return false;
    ra = (e & PTE_PFRA) | (ia & 0xfff);
  }
  if (ra >= vm.size) return false;
  const w = vm.mem[ra >>> 2];
  const d = BY_OPCODE[w >>> 24];
  if (!d || d.sensitive === 'innocuous') return false;
  // The ISA table's rule (test/isa.test.ts): every sensitive instruction has an emulator.
  const i = cp.cpu.icept;
  i.kind = 'program'; i.code = PGM_PRIVILEGED; i.address = ia; i.word = w; i.failAddress = -1; i.write = false;
  cp.hybridHandled++;
  return true;
}
