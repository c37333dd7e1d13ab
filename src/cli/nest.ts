/**
 * `tinycp run --nest N`: run a program N levels deep in minicp, the virtual machine monitor
 * written in tinycp assembly (programs/minicp/, docs/minicp.md).
 *
 * minicp's header (the word at X'1FC', label HDR_BASE) says where its guest's storage starts:
 * guest-real address 0 is minicp's real address GUEST_BASE. So the nested image is a stack:
 * minicp at 0, minicp again at GUEST_BASE (the first minicp's guest), ..., the program at
 * N x GUEST_BASE with its IPL PSW there (PoO 5.1.2). Each minicp gives its guest all storage
 * above its own GUEST_BASE, so the machine gets N x GUEST_BASE more than the program asked for
 * and the program sees exactly the storage size it would see bare.
 */
import { buildFile, type Build } from '../host/build.ts';
import { buildMinicp, nestImage } from '../host/nest-image.ts';
import { disassemble } from '../guest/disasm.ts';
import { hex } from '../cpu/hex.ts';

// The nested image is built in the host layer (theory's cost table builds it too).
export { buildMinicp, MAX_NEST, MINICP_SOURCE, minicpGuestBase, nestImage, type Nested } from '../host/nest-image.ts';

/**
 * Build `file` and nest it `depth` deep for `tinycp run --nest`: a Build whose image is the
 * stack (no source map: addresses are the outermost machine's), and the storage it needs.
 */
export function nestBuild(
  file: string, depth: number, storage: number,
): { ok: true; build: Build; storage: number; depth: number; base: number } | { ok: false; error: string } {
  const b = buildFile(file);
  if (!b.ok) return { ok: false, error: b.errors.join('\n') };
  const n = nestImage(b.image, depth, storage);
  if (!n.ok) return n;
  return { ok: true, build: { ok: true, image: n.image, asm: null, warnings: b.warnings }, storage: n.storage, depth, base: n.base };
}

/**
 * Narrate which level of minicp handled each event (`tinycp run --nest N --trace`). Each minicp
 * records its last event in words of its own storage (EV_SEQ ... in minicp.s) and counts it as it
 * resumes its guest; this reads every level's record (level k's storage is at (k - 1) x base) and
 * writes one line per new event, outermost level first. Call the returned function whenever the
 * machine (or CP) has just handled something, and once at the end.
 */
export function nestNarrator(mem: Int32Array, depth: number, base: number, write: (line: string) => void): () => void {
  const m = buildMinicp();
  if (!m.ok) return () => {};
  const sym = m.image.symbols;
  const seen = new Array<number>(depth).fill(0);
  const CLS = ['restart', 'external', 'SVC', 'program', 'machine-check', 'I/O'];
  return () => {
    for (let k = 0; k < depth; k++) {
      const w = (name: string) => mem[(k * base + sym[name]) >>> 2];
      const seq = w('EV_SEQ');
      if (seq === seen[k]) continue;
      seen[k] = seq;
      const cls = w('EV_CLS'), code = w('EV_CODE'), ia = w('EV_IA') & 0xffffff, act = w('EV_ACT');
      if (seq === 1 && cls === 0) { write(`*** level ${k + 1} minicp: started its guest from its IPL PSW`); continue; }
      const cause = cls === 5 ? `I/O interruption from device ${hex(code, 3)}` : `${CLS[cls] ?? cls} interruption code X'${hex(code, 4)}' at ${hex(ia, 6)}`;
      let what: string;
      if (act === 1) {
        const word = w('EV_WORD'), at = (ia - 4) & 0xffffff;
        what = `emulated ${disassemble(word, at).text} at ${hex(at, 6)} (virtual supervisor state)`;
      } else if (act === 2) what = `reflected ${CLS[w('EV_RCLS')] ?? '?'} X'${hex(w('EV_RCODE'), 4)}' into its guest`;
      else if (act === 3) what = 'filled a shadow-table entry and retried (invisible to its guest)';
      else if (cls === 1) what = 'its alarm clock: nothing due yet';
      else if (cls === 5) what = 'held the status until the guest\'s time reaches it';
      else what = 'resumed its guest';
      write(`*** level ${k + 1} minicp: ${cause}: ${what}`);
    }
  };
}
