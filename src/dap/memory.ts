/**
 * The Memory and Disassembly views: guest storage read for the client, each request checked and
 * capped (LIMITS in adapter.ts) so one request's work is bounded.
 */
import { resolve } from 'node:path';
import { Source } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { readBytes } from '../cpu/storage.ts';
import type { Debugger } from '../debug/debugger.ts';
import { hex } from '../debug/format.ts';
import { address, optInt, reqInt, type Args } from './validate.ts';

/** Caps on one memory request. */
export const MEMORY_LIMITS = { readBytes: 1 << 16, instructions: 4_096 };

/** readMemory: up to 64 KiB; bytes outside storage are counted as unreadable. */
export function readMemory(d: Debugger, a: Args): DebugProtocol.ReadMemoryResponse['body'] {
  const size = d.mem.length * 4;
  const start = address(a, 'memoryReference') + (optInt(a, 'offset', -0xffffff, 0xffffff) ?? 0);
  const count = reqInt(a, 'count', 0, MEMORY_LIMITS.readBytes);
  const from = Math.max(0, Math.min(size, start)), to = Math.max(from, Math.min(size, start + count));
  const bytes = readBytes(d.mem, from, to - from);
  return { address: '0x' + hex(from, 6), data: Buffer.from(bytes).toString('base64'), unreadableBytes: count - bytes.length };
}

/** disassemble: up to 4,096 instructions (words), each with its source line when known. */
export function disassemble(d: Debugger, a: Args): DebugProtocol.DisassembleResponse['body'] {
  const size = d.mem.length * 4;
  const base = address(a, 'memoryReference') + (optInt(a, 'offset', -0xffffff, 0xffffff) ?? 0);
  const start = (base & ~3) + 4 * (optInt(a, 'instructionOffset', -0x400000, 0x400000) ?? 0);
  const count = reqInt(a, 'instructionCount', 0, MEMORY_LIMITS.instructions);
  const instructions: DebugProtocol.DisassembledInstruction[] = [];
  for (let i = 0; i < count; i++) {
    const at = start + 4 * i;
    if (at < 0 || at >= size) { instructions.push({ address: '0x' + hex(Math.max(0, at), 6), instruction: '??', presentationHint: 'invalid' }); continue; }
    const w = d.mem[at >>> 2];
    const loc = d.locate(at);
    instructions.push({
      address: '0x' + hex(at, 6), instructionBytes: hex(w), instruction: d.source.disassemble(w, at), symbol: d.source.names.get(at),
      location: loc ? new Source(loc.file.split(/[\\/]/).pop()!, resolve(loc.file)) : undefined, line: loc?.line,
    });
  }
  return { instructions };
}
