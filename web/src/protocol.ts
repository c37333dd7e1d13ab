/**
 * The messages between the page and the engine's Web Worker. The page only ever sends commands
 * and draws what comes back; the machine lives in the worker (engine.ts), so a guest that spins
 * with every interruption masked cannot freeze the page.
 */
import type { Diagnostic } from '../../src/guest/asm/types.ts';

export type Control = 'run' | 'pause' | 'step' | 'stepOver' | 'back' | 'backTrap' | 'reverseContinue' | 'runToTrap';

export type ToEngine =
  | { type: 'load'; source: string; file: string; vm: boolean; input?: string[]; disk?: number; demote?: string }
  | { type: 'control'; what: Control }
  | { type: 'breakpoints'; lines: number[] }
  | { type: 'command'; text: string }
  | { type: 'input'; line: string }
  | { type: 'event'; seq: number }
  | { type: 'goto'; seq: number }
  | { type: 'storage'; address: string };

/** A PSW as the views need it. */
export interface PswView { flags: number; cc: number; ia: number }

/** One trap-timeline entry (the narration comes on request: `event`). */
export interface EventView {
  seq: number;
  time: number;
  cause: string;
  code: number;
  action: string;
  /** Instruction text and address, if one caused it. */
  text: string;
  address: number | null;
  /** The debugger's position (instructions executed) when the instruction that caused it started. */
  position: number;
  line: number | null;
  beforeProblem: boolean;
  afterProblem: boolean;
  /** True for a CP entry (under CP); false for an interruption the bare machine delivered. */
  cp: boolean;
}

/** A translation-table row: virtual page -> frame. */
export interface PageRow { page: number; frame: number; protect: boolean }

/** Everything the views show, sent at each stop and now and then while running. */
export interface MachineView {
  mode: 'bare' | 'vm';
  running: boolean;
  ended: boolean;
  waiting: boolean;
  status: string;
  position: number;
  time: number;
  psw: PswView;
  /** Under CP, the real PSW of the last dispatch. */
  real: PswView | null;
  gpr: number[];
  cr: number[];
  /** Source line (main file, 1-based) of the next instruction, or null. */
  line: number | null;
  /** Disassembly around the next instruction. */
  disasm: { address: number; text: string; line: number | null; current: boolean; breakpoint: boolean }[];
  storage: { address: number; bytes: number[]; labels: { offset: number; name: string }[] };
  counters: { direct: number; handled: number; efficiency: number; entries: Record<string, number>; instructions: number; interruptions: Record<string, number> };
  tables: { guest: PageRow[]; shadow: PageRow[] | null; tlb: PageRow[]; dat: boolean; filled: number | null };
  /** Highest event seq that has happened at the current position (later ones are the future, after Back). */
  nowSeq: number;
}

export type FromEngine =
  | { type: 'loaded'; ok: boolean; errors: Diagnostic[] }
  | { type: 'view'; view: MachineView }
  | { type: 'events'; events: EventView[]; reset: boolean; dropAfter: number | null }
  | { type: 'output'; lines: string[]; keep: number }
  | { type: 'console'; lines: string[] }
  | { type: 'narration'; seq: number; lines: string[]; before: PswView; after: PswView; cp: boolean }
  | { type: 'stopped'; reason: string; lines: string[] };
