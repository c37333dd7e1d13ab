/**
 * Users reach only what is theirs (issue 9 §4): privilege classes (a guest's DIAGNOSE X'08' runs
 * with its user's classes only, so it cannot DIAL the operator's terminal), LOGON and LINK
 * passwords, and the minidisk overlap check on the real file, not its name.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commandClasses } from '../src/monitor/command-language.ts';
import { parseDirectory } from '../src/timesharing/directory.ts';
import { bootSystem, DEMO, workDir } from './system-helpers.ts';
import { prelude } from './guest-helpers.ts';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
const fresh = (files: Record<string, string> = {}) => { const d = workDir(files); dirs.push(d); return d; };
const cms = join(DEMO, 'minicms.s');

/** A guest that issues one CP command by DIAGNOSE X'08' and stops with the return code in R3. */
const diag8 = (command: string) => `${prelude()}        .org  0x200
start:  LARL  R2,cmd
        LHI   R3,cmdlen
        DIAG  R2,R3,DIAG_CP_COMMAND
        EXIT  0
        .align 4
cmd:    .ascii "${command}"
cmdlen = * - cmd
`;

describe('privilege classes', () => {
  it('a general user (class G) cannot DIAL the terminal away by DIAGNOSE X\'08\'', () => {
    const d = fresh({ 'evil.s': diag8('DIAL EVIL') });
    const sys = bootSystem(d, `USER OPER PW 256K AUTOLOG\n  IPL ${cms}\nUSER EVIL PW 64K AUTOLOG\n  IPL evil.s\n`);
    sys.mux.attached = 'OPER';
    sys.runUntilQuiet(1_000_000);
    expect(sys.users.get('EVIL')!.vm.gpr[3]).toBe(3); // RC 3: not allowed
    expect(sys.mux.attached).toBe('OPER');
    expect(sys.mux.linesOf('EVIL')).toContain('HCPCFM: DIAL IS A CLASS A COMMAND; USER EVIL HAS CLASS G: NOT ALLOWED');
    // A line typed at the terminal still goes to OPER, not to EVIL.
    sys.terminalLine('SECRET');
    expect(sys.mux.linesOf('OPER')).toContain('SECRET');
    expect(sys.mux.linesOf('EVIL')).not.toContain('SECRET');
    sys.shutdown();
  });

  it('a user the directory gives class A may DIAL by DIAGNOSE X\'08\'; the operator\'s terminal always may', () => {
    const d = fresh({ 'op.s': diag8('DIAL OP') });
    const sys = bootSystem(d, `USER OP PW 64K AUTOLOG CLASS AG\n  IPL op.s\nUSER B PW 256K AUTOLOG\n  IPL ${cms}\n  OPTION CLASS G\n`);
    sys.mux.attached = 'B';
    sys.runUntilQuiet(1_000_000);
    expect(sys.users.get('OP')!.vm.gpr[3]).toBe(0);
    expect(sys.mux.attached).toBe('OP');
    sys.mux.attached = 'B';
    sys.terminalLine('#CP DIAL OP'); // typed at the real terminal: the operator's console, class A
    expect(sys.mux.attached).toBe('OP');
    sys.shutdown();
  });

  it('the scripted INPUT of a class-G user cannot DIAL either (the script plays the user)', () => {
    const d = fresh();
    const sys = bootSystem(d, `USER A PW 256K AUTOLOG\n  IPL ${cms}\nUSER B PW 256K AUTOLOG\n  IPL ${cms}\nINPUT B #CP DIAL B\n`);
    sys.mux.attached = 'A';
    sys.runUntilQuiet(2_000_000);
    expect(sys.mux.attached).toBe('A');
    sys.shutdown();
  });

  it('commands have VM/370 classes: QUERY for everyone, DIAL for the operator, the rest for general users', () => {
    expect(commandClasses('QUERY')).toContain('G');
    expect(commandClasses('DIAL')).toBe('A');
    expect(commandClasses('LINK')).toBe('G');
    const p = parseDirectory('USER A PW 64K CLASS X\nUSER B PW 64K CLASS BA\n', join(DEMO, 'x.direct'));
    expect(p.errors).toEqual([expect.stringMatching(/x\.direct:1:21: bad CLASS 'X'/)]);
    expect(p.directory.users[1].classes).toBe('AB');
    expect(p.directory.users[0].classes).toBe('G');
  });
});

describe('passwords', () => {
  const DIRECT = `USER OWNER OPW 256K AUTOLOG
  IPL ${cms}
  MDISK 191 d.img 0 8 MW RSECRET WSECRET
  MDISK 192 d.img 8 8 W ALL
  MDISK 193 d.img 16 8 W
USER OTHER XPW 256K AUTOLOG
  IPL ${cms}
`;

  it('LINK to another user\'s minidisk needs the MDISK password for the mode', () => {
    const sys = bootSystem(fresh(), DIRECT);
    sys.run(100_000);
    const o = sys.users.get('OTHER')!;
    expect(sys.cp.command(o.vm, 'LINK OWNER 191 391 R')).toBe(3);
    expect(sys.cp.command(o.vm, 'LINK OWNER 191 391 R WRONG')).toBe(3);
    expect(sys.cp.command(o.vm, 'LINK OWNER 191 391 W RSECRET')).toBe(3); // the read password does not give write
    expect(o.disks.has(0x391)).toBe(false);
    expect(sys.cp.command(o.vm, 'LINK OWNER 191 391 R RSECRET')).toBe(0);
    expect(sys.cp.command(o.vm, 'LINK OWNER 191 491 W WSECRET')).toBe(0);
    expect(sys.cp.command(o.vm, 'LINK OWNER 192 392 R')).toBe(0); // read password ALL: anyone may read
    expect(sys.cp.command(o.vm, 'LINK OWNER 193 393 R ANYTHING')).toBe(3); // no read password: no links by command
    const lines = sys.mux.linesOf('OTHER');
    expect(lines).toContain('HCPLNK: PASSWORD INCORRECT FOR OWNER 191 MODE R');
    expect(lines).toContain('HCPLNK: OWNER 193 HAS NO READ PASSWORD: LINK NOT ALLOWED');
    // The owner links its own disks without a password.
    expect(sys.cp.command(sys.users.get('OWNER')!.vm, 'LINK OWNER 193 593 R')).toBe(0);
    sys.shutdown();
  });

  it('LOGON at the terminal checks the user\'s password; PASSWORDS OFF runs the system open', () => {
    const sys = bootSystem(fresh(), DIRECT.replace(/ AUTOLOG/g, ''));
    const cp = () => sys.mux.transcript.filter((l) => l.startsWith('CP: ')).at(-1);
    sys.terminalLine('#CP LOGON OTHER');
    expect(cp()).toBe('CP: HCPLGN: LOGON UNSUCCESSFUL--INCORRECT USERID OR PASSWORD');
    sys.terminalLine('#CP LOGON OTHER OPW');
    sys.terminalLine('#CP LOGON NOBODY XPW');
    expect(sys.users.size).toBe(0);
    sys.terminalLine('#CP LOGON OTHER XPW');
    expect([...sys.users.keys()]).toEqual(['OTHER']);
    expect(sys.mux.attached).toBe('OTHER');
    sys.shutdown();

    const open = bootSystem(fresh(), 'PASSWORDS OFF\n' + DIRECT.replace(/ AUTOLOG/g, ''));
    open.terminalLine('#CP LOGON OWNER');
    open.terminalLine('#CP LOGON OTHER');
    open.runUntilQuiet(1_000_000);
    expect(open.cp.command(open.users.get('OTHER')!.vm, 'LINK OWNER 193 393 R')).toBe(0);
    open.shutdown();
  });

  it('directory LINK statements need no password (the administrator wrote them)', () => {
    const sys = bootSystem(fresh(), DIRECT + '  LINK OWNER 193 393 R\n');
    expect(sys.users.get('OTHER')!.disks.has(0x393)).toBe(true);
    sys.shutdown();
  });
});

describe('minidisk overlap is checked on the real file', () => {
  it('the same image named relative and absolute is one file: overlapping extents are refused', () => {
    const d = fresh();
    const text = `USER A PW 64K\n  MDISK 191 d.img 0 10 W\nUSER B PW 64K\n  MDISK 191 ${join(d, 'd.img')} 5 10 W\n`;
    const p = parseDirectory(text, join(d, 'user.direct'));
    expect(p.errors).toEqual([expect.stringMatching(/user\.direct:4:1: minidisk 191 \(blocks 5-14 of .*d\.img\) overlaps A's minidisk 191/)]);
    // Also through ./ and .. spellings.
    const q = parseDirectory(`USER A PW 64K\n  MDISK 191 ./x/../d.img 0 10 W\nUSER B PW 64K\n  MDISK 191 d.img 9 1 W\n`, join(d, 'user.direct'));
    expect(q.errors).toHaveLength(1);
  });

  it('at logon CP refuses an extent that overlaps one already open, whatever its name', () => {
    const d = fresh();
    // Booted in spite of the directory check (as if the images had moved since): CP's own guard at logon.
    const sys = bootSystem(
      d,
      `USER A PW 64K AUTOLOG\n  MDISK 191 d.img 0 10 W\nUSER B PW 64K AUTOLOG\n  MDISK 191 ${join(d, 'd.img')} 5 10 W\n`,
      { boot: false, check: false },
    );
    sys.logon('A'); sys.logon('B');
    expect(sys.users.get('B')!.disks.has(0x191)).toBe(false);
    expect(sys.mux.linesOf('B').join('\n')).toMatch(/OVERLAPS A 191/);
    sys.shutdown();
  });
});
