/**
 * The `tinycp` command. Exit codes: 0 the program ended the documented successful way; 1 it
 * ended otherwise (disabled wait with a non-zero code, failed test result, check-stop); 2 it did
 * not end (instruction budget spent, or waiting for input that will not come); 3 bad input
 * (assembly errors, unreadable files, bad options).
 */
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { disassembleRange, formatListing, writeObject } from '../guest/index.ts';
import { buildFile } from '../host/build.ts';
import { runProgram } from './run.ts';
import { makeStorage } from '../cpu/storage.ts';
import { load } from '../guest/loader.ts';
import { PROFILE_NAMES, PROFILES, profileByName, type Profile } from '../cpu/profiles.ts';
import { addLabCommands, portOption, relocateOption } from './lab.ts';

export const EXIT_OK = 0, EXIT_FAIL = 1, EXIT_UNFINISHED = 2, EXIT_BAD_INPUT = 3;

function positiveInt(v: string): number {
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/**
 * A repeatable option (`--input a --input b`). Options never take a variable number of values:
 * `--input a b prog.s` would take the program's name as a line of input.
 */
function repeat(v: string, prev: string[] | undefined): string[] { return [...(prev ?? []), v]; }

/** `--profile NAME`: one of the instruction-set profiles (src/cpu/profiles.ts). */
function profileOption(v: string): Profile {
  const p = profileByName(v);
  if ('error' in p) throw new InvalidArgumentError(p.error);
  return p;
}

function storageSize(v: string): number {
  const m = /^(\d+)([KM]?)$/i.exec(v.trim());
  if (!m) throw new InvalidArgumentError('expected a size like 1M, 256K or 65536');
  return Number(m[1]) * (m[2].toUpperCase() === 'M' ? 1 << 20 : m[2].toUpperCase() === 'K' ? 1024 : 1);
}

export function makeProgram(): Command {
  const program = new Command('tinycp')
    .description('tinycp: a small System/370-like computer and a trap-and-emulate control program (CP) for it')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program.command('run')
    .description('assemble, load and run a program on the bare machine (default) or in a virtual machine under CP')
    .argument('<program>', 'assembly source (.s) or tinycp object file')
    .option('--vm', 'run in a virtual machine under CP (trap-and-emulate)')
    .option('--bare', 'run on the bare machine (the default)')
    .option('--max-instructions <n>', 'instruction budget', positiveInt, 100_000_000)
    .option('--storage <size>', 'storage size (e.g. 1M, 256K)', storageSize, 1 << 20)
    .option('--trace', 'under CP: narrate every trap (what the guest did, why it trapped, what CP decided); bare: every interruption')
    .option('--trace-json <file>', 'write the trace as JSON lines to a file (CP trap events, or bare interruptions)')
    .option('--stats', 'under CP: CP entries by cause, direct vs handled instructions, efficiency; bare: instructions and interruptions')
    .option('--json', 'with --stats: print the statistics as one JSON object')
    .option('--no-assist', 'under CP: turn the virtual-machine assist off (CP handles every trap)')
    .option('--input <line>', 'a console input line; repeat for more (otherwise lines are read from stdin when it is not a terminal)', repeat)
    .option('--reader <file>', 'queue reader cards (X\'00C\'): one card per text line, blank-padded to 80 bytes')
    .option('--reader-binary <file>', 'queue reader cards: 80-byte records of any bytes (what --punch writes)')
    .option('--printer <file>', 'write printer lines (X\'00E\') to a file (default: stdout, each line labelled "printer: ")')
    .option('--punch <file>', 'write punched cards (X\'00D\') to a file as 80-byte records (default: stdout, labelled "punch: ")')
    .option('--nest <n>', 'run the program n levels deep in minicp, the monitor written in tinycp assembly (docs/minicp.md)', (v) => Number(v))
    .option('--profile <name>', `instruction-set profile of the machine: ${PROFILE_NAMES.join(', ')} (docs/teaching.md, lab 8)`,
      profileOption, PROFILES.default)
    .option('--hybrid', 'with --vm: the hybrid VMM of theorem 3 (CP interprets the guest while its virtual PSW is in supervisor state)')
    .action(async (file: string, o) => {
      if (o.vm && o.bare) throw new InvalidArgumentError('choose one of --vm and --bare');
      if (o.hybrid && !o.vm) throw new InvalidArgumentError('--hybrid needs --vm');
      const nested = o.nest === undefined ? undefined : (await import('./nest.ts')).nestBuild(file, o.nest, o.storage);
      if (nested && !nested.ok) { console.error(`tinycp: ${nested.error}`); process.exitCode = EXIT_BAD_INPUT; return; }
      process.exitCode = await runProgram(file, {
        mode: o.vm ? 'vm' : 'bare', budget: o.maxInstructions, storage: nested?.storage ?? o.storage, trace: !!o.trace,
        traceJson: o.traceJson, stats: !!o.stats, json: !!o.json, input: o.input, assist: o.assist,
        printer: o.printer, punch: o.punch, reader: o.reader, readerBinary: o.readerBinary,
        build: nested?.build, nest: nested ? { depth: nested.depth, base: nested.base } : undefined, profile: o.profile, hybrid: !!o.hybrid,
      });
    })
    .addHelpText('after', `
Exit codes: 0 the program ended the documented successful way; 1 it ended otherwise (the reason
on stderr); 2 it did not end (budget spent, or waiting for input that will not come); 3 bad input
(assembly errors, a file that cannot be read or written, bad options).
Files read (program, .include, --reader) must be regular files under a size cap (README).`);

  program.command('debug')
    .description('debug a program at a CP console: ADSTOP, TRACE, STEP, BACK, DISPLAY, STORE... (see docs/debugging.md)')
    .argument('<program>', 'assembly source (.s) or tinycp object file')
    .option('--vm', 'run in a virtual machine under CP')
    .option('--bare', 'run on the bare machine (the default)')
    .option('--storage <size>', 'storage size (e.g. 1M, 256K)', storageSize, 1 << 20)
    .option('--trace-json <file>', 'write trap events as JSON lines (schema tinycp-trace/1)')
    .option('--input <line>', 'a console input line queued before the program starts; repeat for more', repeat)
    .option('--max-instructions <n>', 'most instructions one BEGIN, STEP n or STEP OVER/RETURN runs', positiveInt, 50_000_000)
    .option('--profile <name>', `instruction-set profile of the machine: ${PROFILE_NAMES.join(', ')}`, profileOption, PROFILES.default)
    .option('--hybrid', 'with --vm: the hybrid VMM of theorem 3')
    .option('--no-assist', 'under CP: turn the virtual-machine assist off (CP handles every trap)')
    .action(async (file: string, o) => {
      if (o.vm && o.bare) throw new InvalidArgumentError('choose one of --vm and --bare');
      if (o.hybrid && !o.vm) throw new InvalidArgumentError('--hybrid needs --vm');
      const { debugProgram } = await import('./debug.ts');
      process.exitCode = await debugProgram(file, {
        mode: o.vm ? 'vm' : 'bare', storage: o.storage, traceJson: o.traceJson, input: o.input, maxInstructions: o.maxInstructions, assist: o.assist,
        profile: o.profile, hybrid: !!o.hybrid,
      });
    });

  program.command('dap')
    .description('serve the Debug Adapter Protocol on stdio (or on 127.0.0.1 with --port)')
    .option('--port <n>', 'listen on this TCP port of 127.0.0.1 instead of stdio', positiveInt)
    .option('--token <t>', 'require this token in each launch request (default: $TINYCP_DAP_TOKEN)')
    .action(async (o) => {
      const { serveDap } = await import('../dap/server.ts');
      await serveDap(o.port, o.token ?? (process.env.TINYCP_DAP_TOKEN || undefined));
    });

  // Time-sharing: CP with a user directory (src/cli/system-command.ts, docs/timesharing.md).
  const systemOptions = (c: Command) => c
    .option('--work <dir>', 'folder for the spool, printer files, console logs and disk images (default: a new temporary folder)')
    .option('--images <dir>', 'folder that relative MDISK image paths resolve against (default: the work folder)')
    .option('--quantum <n>', 'time slice in instructions', positiveInt, 20_000)
    .option('--max-instructions <n>', 'instruction budget, all VMs together', positiveInt, 500_000_000)
    .option('--batch', 'do not attach the terminal even when stdin is one')
    .option('--json', 'print the final table as one JSON object')
    .option('--no-assist', 'turn the virtual-machine assist off (CP handles every trap)')
    .addHelpText('after', `
Without --work, the temporary folder is removed when the command ends.
Exit codes: 0 every VM ended up idle or stopped (each guest's own end is in the table); 2 the
instruction budget was spent first; 3 bad input: an unreadable or invalid directory, or an AUTOLOG
user whose IPL program could not be read, assembled or loaded (each named on stderr).`);
  systemOptions(program.command('system')
    .description('boot CP with a user directory: log on the AUTOLOG users and time-share them')
    .argument('<directory>', 'user directory file (docs/timesharing.md)')
    .option(
      '--relocate <user:port@n>',
      'live relocation: at CP real instruction n, send the user\'s VM to the system accepting on 127.0.0.1:port (docs/lab-isolation.md)',
      relocateOption,
    )
    .option('--accept-relocation <port>', 'accept one relocated VM on 127.0.0.1:port (0: any free port, printed)', portOption))
    .action(async (file: string, o) => {
      const { runSystem } = await import('./system-command.ts');
      process.exitCode = await runSystem(file, {
        work: o.work, images: o.images, quantum: o.quantum, budget: o.maxInstructions, batch: !!o.batch, json: !!o.json, assist: o.assist,
        relocate: o.relocate, acceptRelocation: o.acceptRelocation,
      });
    });
  systemOptions(program.command('demo')
    .description('the time-sharing demo: several users, spooling between two of them, a multitasking OS, a compute-bound guest'))
    .action(async (o) => {
      const { demoDirectory, runSystem } = await import('./system-command.ts');
      process.exitCode = await runSystem(demoDirectory(), {
        work: o.work, images: o.images, quantum: o.quantum, budget: o.maxInstructions, batch: true, json: !!o.json, assist: o.assist,
      });
    });

  program.command('theorem')
    .description("Popek & Goldberg's theorems by experiment: a program bare, under CP, and under CP on a machine where"
      + ' sensitive instructions leak; or classify, counterexamples, costs')
    .argument('[program]', "assembly source or object file, or 'classify', 'counterexamples', 'costs'", 'programs/theorem.s')
    .option('--demote <mnemonic>', 'the privileged instruction to make unprivileged (default SSM)')
    .option('--profile <name>', 'instruction-set profile: default, leaky-read, leaky-popf (src/cpu/profiles.ts)')
    .option('--hybrid', 'also run the hybrid VMM of theorem 3 (CP interprets supervisor-state code)')
    .option('--json', 'print one JSON object')
    .action(async (file: string, o) => {
      const { theoremCommand } = await import('./theorem.ts');
      process.exitCode = await theoremCommand(file, { demote: o.demote, profile: o.profile, hybrid: !!o.hybrid, json: !!o.json });
    });

  program.command('web')
    .description('the browser playground: build it if needed, serve it on 127.0.0.1 and print its address')
    .option('--port <n>', 'port to listen on (default: a free one)', (v) => (v === '0' ? 0 : positiveInt(v)), 0)
    .option('--build', 'rebuild the site first (npm run build:web) even if it is built')
    .action(async (o) => {
      const { webCommand } = await import('./web.ts');
      process.exitCode = await webCommand({ port: o.port, host: '127.0.0.1', build: !!o.build });
    });

  addLabCommands(program);

  program.command('asm')
    .description('assemble a source file into a tinycp object file')
    .argument('<source>', 'assembly source')
    .option('-o, --output <file>', 'object file to write (default: <source>.tco)')
    .option('--listing', 'print the listing (addresses, bytes, source, symbol table) on stdout')
    .action((file: string, o) => {
      const b = buildFile(file);
      if (!b.ok) { for (const e of b.errors) console.error(e); process.exitCode = EXIT_BAD_INPUT; return; }
      for (const w of b.warnings) console.error(w);
      const out = o.output ?? file.replace(/\.(s|asm)$/i, '') + '.tco';
      try { writeFileSync(out, writeObject({ ...b.image, lines: undefined }, { sourceMap: false })); } catch (e) {
        console.error(`tinycp: ${out}: cannot write: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
        process.exitCode = EXIT_BAD_INPUT;
        return;
      }
      if (o.listing && b.asm) process.stdout.write(formatListing(b.asm));
      process.exitCode = EXIT_OK;
    });

  program.command('disasm')
    .description('disassemble a program (assembled first if it is a source file)')
    .argument('<program>', 'tinycp object file or assembly source')
    .action((file: string) => {
      const b = buildFile(file);
      if (!b.ok) { for (const e of b.errors) console.error(e); process.exitCode = EXIT_BAD_INPUT; return; }
      const mem = makeStorage(16 << 20);
      const l = load(mem, b.image);
      if (!l.ok) { console.error(`${file}: ${l.error}`); process.exitCode = EXIT_BAD_INPUT; return; }
      const names = new Map(Object.entries(b.image.symbols).map(([k, v]) => [v, k] as [number, string]));
      for (const seg of b.image.segments) {
        const from = seg.address & ~3, to = seg.address + seg.bytes.length;
        for (const d of disassembleRange(mem, from, to, { symbols: names })) {
          const label = names.get(d.address);
          if (label) console.log(`${label}:`);
          console.log(`  ${d.address.toString(16).toUpperCase().padStart(6, '0')}  ${(d.word >>> 0).toString(16).toUpperCase().padStart(8, '0')}  ${d.text}`);
        }
      }
      process.exitCode = EXIT_OK;
    });

  return program;
}

/** Entry point: parse argv, run, and turn option errors into exit code 3 with a one-line reason. */
export async function main(argv: string[]): Promise<void> {
  // A reader that stops early (`| head`) is not an error of ours.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); else throw e; });
  const program = makeProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    const err = e as { code?: string; exitCode?: number; message?: string };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') { process.exitCode = 0; return; }
    if (err.code?.startsWith('commander.')) { process.exitCode = EXIT_BAD_INPUT; return; }
    if (e instanceof InvalidArgumentError) { console.error(`tinycp: ${e.message}`); process.exitCode = EXIT_BAD_INPUT; return; }
    throw e;
  }
}
