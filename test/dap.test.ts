/**
 * The DAP server end to end with a real client (`DebugClient` from @vscode/debugadapter-testsupport)
 * in-process over a socket on port 0: breakpoints on source lines, line and instruction steps,
 * step back and reverse continue, exception filters with narrated stops, scopes, memory,
 * disassembly, and CP commands in the debug console.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listenDap } from '../src/dap/server.ts';
import { TRAPS } from './debug-helpers.ts';

const lineOf = (text: string) => readFileSync(TRAPS, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
const SUB = lineOf('sub:    L     R7,counter');
const AR = lineOf('AR    R8,R7');
const BAL = lineOf('BAL   R14,sub');
const BRCT = lineOf('BRCT  R6,loop');

let server: Server;
let dc: DebugClient;

beforeEach(async () => {
  server = await listenDap(0);
  const port = (server.address() as { port: number }).port;
  dc = new DebugClient('node', 'unused', 'tinycp');
  await dc.start(port);
});
afterEach(async () => {
  await dc.stop();
  await new Promise((r) => server.close(r));
});

async function top() {
  const st = await dc.stackTraceRequest({ threadId: 1 });
  return st.body.stackFrames[0];
}

describe.each(['bare', 'vm'] as const)('tinycp dap (%s)', (mode) => {
  it('stops on a source breakpoint, steps by line, over calls, by instruction, and back', async () => {
    await dc.hitBreakpoint({ program: TRAPS, mode }, { path: TRAPS, line: SUB });
    expect((await top()).name).toBe('SUB');
    await Promise.all([dc.stepInRequest({ threadId: 1 }), dc.assertStoppedLocation('step', { line: AR })]);
    await Promise.all([dc.stepBackRequest({ threadId: 1 }), dc.assertStoppedLocation('step', { line: SUB })]);
    await dc.setBreakpointsRequest({ source: { path: TRAPS }, breakpoints: [] });
    // Out of sub: BR R14 returns to the BRCT after the call.
    await Promise.all([dc.stepOutRequest({ threadId: 1 }), dc.assertStoppedLocation('step', { line: BRCT })]);
    for (let i = 0; i < 3; i++) await Promise.all([dc.nextRequest({ threadId: 1 }), dc.assertStoppedLocation('step', {})]);
    expect((await top()).line).toBe(BAL);
    // Step over the call: stop at the instruction after BAL, not inside sub.
    await Promise.all([dc.nextRequest({ threadId: 1 }), dc.assertStoppedLocation('step', { line: BRCT })]);
    await Promise.all([dc.nextRequest({ threadId: 1, granularity: 'instruction' }), dc.assertStoppedLocation('step', {})]);
    expect((await top()).instructionPointerReference).toBe('0x00020C');
    // Reverse continue with no traps in between: back to the start.
    await dc.setBreakpointsRequest({ source: { path: TRAPS }, breakpoints: [{ line: SUB }] });
    await Promise.all([dc.reverseContinueRequest({ threadId: 1 }), dc.assertStoppedLocation('breakpoint', { line: SUB })]);
  });

  it('exception filters stop on traps with the narration; scopes, memory, disassembly, evaluate', async () => {
    const init = dc.waitForEvent('initialized');
    await dc.launch({ program: TRAPS, mode, stopOnEntry: true });
    await init;
    await dc.setExceptionBreakpointsRequest({ filters: ['svc', 'diag'] });
    const entry = dc.waitForEvent('stopped');
    await dc.configurationDoneRequest();
    expect((await entry).body.reason).toBe('entry');
    const svc = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: 1 });
    const s = await svc;
    expect(s.body.reason).toBe('exception');
    expect(s.body.description).toContain('SVC 7');
    expect(s.body.description).toContain('traps.s:24');
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    expect(info.body.exceptionId).toBe('svc');
    const diag = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: 1 });
    expect((await diag).body.description).toMatch(mode === 'vm' ? /hypercall/ : /DIAG/);

    const threads = await dc.threadsRequest();
    expect(threads.body.threads).toHaveLength(1);
    const scopes = await dc.scopesRequest({ frameId: 0 });
    const names = scopes.body.scopes.map((x) => x.name);
    expect(names).toEqual(mode === 'vm' ? [
      'General registers', 'PSW', 'Virtual PSW', 'Control registers', 'Counters',
    ] : ['General registers', 'PSW', 'Control registers', 'Counters']);
    const gprs = await dc.variablesRequest({ variablesReference: scopes.body.scopes[0].variablesReference });
    expect(gprs.body.variables[5]).toMatchObject({ name: 'R5', value: '00000005 (5)' });
    const counters = await dc.variablesRequest({ variablesReference: scopes.body.scopes.at(-1)!.variablesReference });
    expect(counters.body.variables.length).toBeGreaterThan(4);

    const mem = await dc.customRequest('readMemory', { memoryReference: '0x2B0', count: 4 });
    expect(Buffer.from(mem.body.data, 'base64')).toEqual(Buffer.from([0, 0, 0, 5]));
    const dis = await dc.customRequest('disassemble', { memoryReference: '0x200', instructionCount: 3 });
    expect(dis.body.instructions.map((i: { instruction: string }) => i.instruction)).toEqual(['LHI R5,0', 'LHI R6,5', 'LHI R8,0']);
    expect(dis.body.instructions[0].line).toBe(lineOf('start:'));

    const q = await dc.evaluateRequest({ expression: 'D G5', context: 'repl' });
    expect(q.body.result).toBe('GPR 5 = 00000005');
    const stopped = dc.waitForEvent('stopped');
    const back = await dc.evaluateRequest({ expression: 'BACK TRAP', context: 'repl' });
    expect(back.body.result).toContain('SVC 7');
    expect((await stopped).body.reason).toBe('exception');
    if (mode === 'vm') expect((await dc.evaluateRequest({ expression: 'QUERY TIME', context: 'repl' })).body.result).toMatch(/^TIME: \d+ INSTRUCTIONS/);
  });

  it('sets registers from the Variables view and writes storage from the Memory view, refusing bad values with a reason', async () => {
    const init = dc.waitForEvent('initialized');
    await dc.launch({ program: TRAPS, mode, stopOnEntry: true });
    await init;
    const entry = dc.waitForEvent('stopped');
    await dc.configurationDoneRequest();
    await entry;
    const caps = (await dc.initializeRequest()).body!;
    expect(caps.supportsSetVariable && caps.supportsWriteMemoryRequest).toBe(true);
    const scopes = await dc.scopesRequest({ frameId: 0 });
    const gprRef = scopes.body.scopes[0].variablesReference;
    const set = await dc.setVariableRequest({ variablesReference: gprRef, name: 'R9', value: "X'1234'" });
    expect(set.body.value).toBe('00001234 (4660)');
    await expect(dc.setVariableRequest({ variablesReference: gprRef, name: 'R9', value: 'banana' })).rejects.toThrow(/32-bit number/);
    const w = await dc.customRequest('writeMemory', { memoryReference: '0x8000', data: Buffer.from([1, 2, 3]).toString('base64') });
    expect(w.body.bytesWritten).toBe(3);
    const mem = await dc.customRequest('readMemory', { memoryReference: '0x8000', count: 4 });
    expect([...Buffer.from(mem.body.data, 'base64')]).toEqual([1, 2, 3, 0]);
    await expect(dc.customRequest('writeMemory', { memoryReference: '0xFFFFF0', data: Buffer.from([1]).toString('base64') })).rejects.toThrow(/outside/);
    const gprs = await dc.variablesRequest({ variablesReference: gprRef });
    expect(gprs.body.variables[9].value).toBe('00001234 (4660)');
  });
});
