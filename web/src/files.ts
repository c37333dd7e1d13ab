/// <reference types="vite/client" />
/**
 * The example programs and the standard includes, bundled into the page as text (Vite `?raw`
 * glob imports), and an include reader for `assemble()` that resolves `.include` against them
 * the way src/host/build.ts does against the file system: relative to the including file,
 * then in the standard include directory `include/`.
 */

/** Bundled sources by path relative to programs/ (e.g. `syscall.s`, `mtos/mtos.inc`). */
export const FILES: Readonly<Record<string, string>> = (() => {
  const raw = import.meta.glob(['../../programs/*.s', '../../programs/include/*.inc', '../../programs/mtos/*', '../../programs/cms/*', '../../programs/demo/*.{s,inc,direct}'],
    { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) out[k.replace(/^(\.\.\/)+programs\//, '')] = v;
  return out;
})();

/** One example of the chooser. */
export interface Example {
  id: string;
  title: string;
  /** Main file, relative to programs/. */
  file: string;
  /** Run it under CP by default. */
  vm: boolean;
  /** Console lines typed before it starts (the CMS session). */
  input?: string[];
  /** Attach an in-memory A-disk at X'191' of this many blocks (CMS). */
  disk?: number;
}

export const EXAMPLES: readonly Example[] = [
  { id: 'hello', title: 'Hello, world (a channel program and an I/O interruption)', file: 'hello.s', vm: true },
  { id: 'syscall', title: "System calls (OSTEP's flow: SVC reflected, LPSW emulated)", file: 'syscall.s', vm: true },
  { id: 'tlbmiss', title: "TLB miss (OSTEP's flow: CP's shadow table)", file: 'tlbmiss.s', vm: true },
  { id: 'timer', title: 'Timer ticks (external interruptions)', file: 'timer.s', vm: true },
  { id: 'theorem', title: "Popek & Goldberg's theorem 1 (SSM is sensitive)", file: 'theorem.s', vm: true },
  { id: 'mtos', title: 'MTOS: a multitasking guest OS', file: 'mtos/mtos.s', vm: true },
  { id: 'cms', title: 'A CMS session (console commands, a file system on a minidisk)', file: 'cms/cms.s', vm: true, disk: 300,
    input: ['FORMAT', 'CREATE HELLO TEXT', 'Hello from CMS', 'second line', '', 'LISTFILE', 'TYPE HELLO TEXT'] },
];

/** The normalised path `dir/path` ('.' and '..' segments resolved). */
function join(dir: string, path: string): string {
  const out: string[] = [];
  for (const part of `${dir}/${path}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop(); else out.push(part);
  }
  return out.join('/');
}

/** `readFile` for assemble(): the including file's directory first, then include/. */
export function readInclude(path: string, fromFile: string): string | undefined {
  const dir = fromFile.includes('/') ? fromFile.slice(0, fromFile.lastIndexOf('/')) : '';
  return FILES[join(dir, path)] ?? FILES[join('include', path)];
}
