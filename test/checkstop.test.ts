/**
 * Every cause that stops the machine (PoO 5.9, 5.2.1, 5.1.2) has one name and one sentence, the
 * same on the bare machine, in a VM under CP (`tinycp run --vm`) and in a time-sharing VM: an
 * invalid IPL PSW, an invalid new PSW met by an interruption (naming the class and the PSW), and
 * an interruption loop.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from '../src/session/session.ts';
import { bootSystem, workDir } from './system-helpers.ts';
import { buildSourceOrThrow, prelude } from './guest-helpers.ts';

const CASES: { name: string; src: string; reason: string; message: RegExp }[] = [
  {
    name: 'an invalid IPL PSW',
    src: `        .org 0\n        .psw 0xFF000000, start\n        .org 0x200\nstart:  J start\n`,
    reason: 'check-stop', message: /^check-stop: the IPL PSW at X'000' is invalid \(FF000000 00000200\)$/,
  },
  {
    name: 'an invalid program new PSW',
    src: `${prelude()}        .org LC_PROGRAM_NEW\n        .word 0, 0x203\n        .org 0x200\nstart:  .word 0\n`,
    reason: 'check-stop', message: /^check-stop: the program new PSW at X'068' is invalid \(00000000 00000203\)$/,
  },
  {
    name: 'an invalid SVC new PSW',
    src: `${prelude()}        .org LC_SVC_NEW\n        .word 0x00080000, 0x300\n        .org 0x200\nstart:  SVC 1\n`,
    reason: 'check-stop', message: /^check-stop: the svc new PSW at X'060' is invalid \(00080000 00000300\)$/,
  },
  {
    name: 'an interruption loop',
    src: `${prelude()}        .org LC_PROGRAM_NEW\n        .psw 0, 0x300\n        .org 0x200\nstart:  J 0x300\n        .org 0x300\n        .word 0\n`,
    reason: 'interruption-loop', message: /^interruption loop: 65 interruptions in a row with no instruction completed$/,
  },
];

describe('check-stop reasons: one per cause, the same bare and under CP', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const b = buildSourceOrThrow(c.src, 'cs.s');
      const msgs = (['bare', 'vm'] as const).map((mode) => {
        const o = new Session(b.image, { mode, storage: 64 * 1024 }).run(10_000);
        expect(o.reason, mode).toBe(c.reason);
        expect(o.state, mode).toBe('ended');
        return o.message;
      });
      expect(msgs[0]).toMatch(c.message);
      expect(msgs[1]).toBe(msgs[0]);
    });
  }

  it('a time-sharing VM IPLed with an invalid IPL PSW stops with the same reason', () => {
    const dir = workDir();
    try {
      writeFileSync(join(dir, 'bad.s'), CASES[0].src);
      const sys = bootSystem(dir, `USER BAD PW 64K AUTOLOG\n  IPL ${join(dir, 'bad.s')}\n`);
      sys.run(1000);
      const vm = sys.users.get('BAD')!.vm;
      expect(vm.state).toBe('stopped');
      expect(vm.stop).toMatchObject({ reason: 'check-stop' });
      expect(vm.stop!.detail).toMatch(CASES[0].message);
      sys.shutdown();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
