/**
 * Why a run stopped: one vocabulary, named once, for every layer (STYLE.md item 7: run with a
 * budget and say why you stopped). Each layer stops for a subset of these reasons, and each
 * subset below is derived from the one union, so a name means the same thing everywhere:
 *
 * - the real CPU (`CPU.run`) returns a STOP_* integer for speed; `STOP_REASONS[code]` is its name;
 * - CP stops a virtual machine for a `VmStopReason` (`VirtualMachine.stop`);
 * - a machine behind the front-end facade (`Session.run`, src/session/machine.ts) reports a
 *   `MachineStopReason` in its `Outcome`;
 * - the debugger stops for a `DebugStopReason` (src/debug/debugger.ts `Stop`).
 */
export type StopReason =
  | 'budget' // the instruction budget is spent; run again to go on
  | 'input-wait' // an enabled wait with nothing scheduled: the machine waits for console input
  | 'disabled-wait' // a wait no interruption can end: the program's end (code: the PSW's address)
  | 'halt' // DIAGNOSE X'F0' reported a test result
  | 'check-stop' // the machine stopped (an invalid new or IPL PSW, a host failure)
  | 'interruption-loop' // interruptions with no instruction completing: stopped rather than hang
  | 'breakpoint' // the next instruction is at a breakpoint (ADSTOP) address
  | 'intercept' // the real CPU stopped for its host (CP): see `CPU.icept`
  | 'operator' // CP's operator stopped the VM (ADSTOP, TRACE ... NORUN); BEGIN resumes
  | 'entry' // the debugger: the program is loaded and has not run
  | 'step' // the debugger: a STEP (over, return) is done
  | 'watchpoint' // the debugger: watched storage changed
  | 'trap' // the debugger: a traced event with NORUN
  | 'ended' // the debugger: the program had already ended
  | 'limit' // the debugger: the run limit (--max-instructions) passed with no stop condition met
  | 'back'; // the debugger: a step back in time is done

/** The real CPU's stops, by STOP_* code (cpu.ts): index = code. */
export const STOP_REASONS = ['budget', 'input-wait', 'disabled-wait', 'intercept', 'breakpoint', 'check-stop', 'halt'] as const satisfies readonly StopReason[];
export type CpuStopReason = (typeof STOP_REASONS)[number];

/** Why CP stopped a virtual machine. */
export type VmStopReason = Extract<StopReason, 'disabled-wait' | 'halt' | 'check-stop' | 'interruption-loop' | 'operator'>;

/** Why a machine behind the facade stopped (`Outcome.reason`). */
export type MachineStopReason = Extract<StopReason, 'budget' | 'input-wait' | 'breakpoint' | 'disabled-wait' | 'halt' | 'check-stop' | 'interruption-loop'>;

/** Why the debugger stopped. */
export type DebugStopReason = Extract<StopReason, 'entry' | 'step' | 'breakpoint' | 'watchpoint' | 'trap' | 'ended' | 'input-wait' | 'limit' | 'back'>;
