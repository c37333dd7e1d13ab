/**
 * Shared helpers for tests that build and run guest programs: build-or-throw (the assembler's
 * `file:line:col` errors become the exception's message) and the guest prelude (the standard
 * include, the IPL PSW pointing at `start`, new PSWs for the interruptions a test handles).
 */
import { buildFile, buildSource, type Build } from '../src/host/build.ts';

/** A successful build. */
export type Built = Extract<Build, { ok: true }>;

function orThrow(b: Build): Built {
  if (!b.ok) throw new Error(b.errors.join('\n'));
  return b;
}

/** Build a `.s` file (or read an object file) and insist on success. */
export function buildOrThrow(file: string): Built { return orThrow(buildFile(file)); }

/** Assemble source text and insist on success. */
export function buildSourceOrThrow(source: string, file = 'test.s'): Built { return orThrow(buildSource(source, file)); }

/**
 * The guest prelude: `.include "tinycp.inc"`, the IPL PSW at 0 going to `start`, and for each
 * `{ LC_SVC_NEW: 'svch' }` a new PSW (supervisor state, interruptions masked) going to that label.
 * The program's own code follows, from `.org 0x200` unless the caller places it.
 */
export function prelude(newPsws: Readonly<Record<string, string>> = {}): string {
  const lines = ['        .include "tinycp.inc"', '        .org  0', '        .psw  0, start'];
  for (const [at, label] of Object.entries(newPsws)) lines.push(`        .org  ${at}`, `        .psw  0, ${label}`);
  return lines.join('\n') + '\n';
}

/**
 * A guest that reads `lines` console lines (one READ each, through an I/O interruption) and
 * writes each back with DIAGNOSE X'10', then EXITs: the CLI tests' echo program.
 */
export function echoSource(lines = 1): string {
  return `${prelude({ LC_IO_NEW: 'iodone' })}        .org 0x200
start:  LA    R1,ccw
        ST    R1,LC_CAW
        SIO   DEV_CONSOLE
        LPSW  waitio
iodone: L     R3,LC_CSW+4
        SLL   R3,16
        SRL   R3,16
        LHI   R4,80
        SR    R4,R3
        LA    R2,buf
        DIAG  R2,R4,DIAG_CONSOLE_WRITE
        AHI   R9,1
        CHI   R9,${lines}
        JNE   start
        EXIT
        .align 8
waitio: .psw  PSW_IO|PSW_WAIT, 0
ccw:    .ccw  CMD_READ, buf, CCW_SLI, 80
buf:    .space 80
`;
}
