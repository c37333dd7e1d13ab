/**
 * The CMS workload in plain JavaScript: the same console session (bench/workloads.ts `CMS_SCRIPT`)
 * against a 512-byte-block A-disk in the toy CMS's on-disk format (docs/guests.md): a label block,
 * a directory block of 32-byte entries, files as chains of blocks (4-byte link, then records of a
 * length byte and the text). It prints what the toy CMS prints; the bench checks the transcripts
 * agree. No channel programs, no DIAGNOSE: the limit of doing this work in JavaScript.
 */
const BLK = 512, ENTRY = 32;

export function cmsSession(script: readonly string[], blocks: number): string[] {
  const disk = new Uint8Array(blocks * BLK);
  const out: string[] = ['TINYCMS 1.0: A TOY CMS FOR TINYCP'];
  let formatted = false;
  const word = (o: number) => ((disk[o] << 24) | (disk[o + 1] << 16) | (disk[o + 2] << 8) | disk[o + 3]) >>> 0;
  const setWord = (o: number, v: number) => { disk[o] = v >>> 24; disk[o + 1] = v >>> 16; disk[o + 2] = v >>> 8; disk[o + 3] = v; };
  const used = (b: number) => (disk[16 + (b >> 3)] & (0x80 >> (b & 7))) !== 0;
  const use = (b: number, on: boolean) => { if (on) disk[16 + (b >> 3)] |= 0x80 >> (b & 7); else disk[16 + (b >> 3)] &= ~(0x80 >> (b & 7)); };
  const key = (fn: string, ft: string) => fn.padEnd(8).slice(0, 8) + ft.padEnd(8).slice(0, 8);
  const nameAt = (e: number) => String.fromCharCode(...disk.subarray(BLK + e, BLK + e + 16));
  const find = (k: string) => { for (let e = 0; e < BLK; e += ENTRY) if (disk[BLK + e] !== 0 && nameAt(e) === k) return e; return -1; };
  const alloc = () => { for (let b = 2; b < blocks; b++) if (!used(b)) { use(b, true); disk.fill(0, b * BLK, b * BLK + BLK); return b; } return -1; };
  const records = (e: number): string[] => {
    const recs: string[] = [];
    for (let b = word(BLK + e + 16); b !== 0; b = word(b * BLK)) {
      for (let o = b * BLK + 4; o < b * BLK + BLK && disk[o] !== 0 && recs.length < disk[BLK + e + 23]; o += 1 + disk[o]) {
        recs.push(String.fromCharCode(...disk.subarray(o + 1, o + 1 + disk[o])));
      }
    }
    return recs;
  };
  const write = (k: string, recs: string[]): void => {
    let e = 0;
    while (disk[BLK + e] !== 0) e += ENTRY;
    for (let i = 0; i < 16; i++) disk[BLK + e + i] = k.charCodeAt(i);
    let b = alloc(), o = b * BLK + 4, nblocks = 1;
    setWord(BLK + e + 16, b);
    for (const r of recs) {
      if (o + 1 + r.length > b * BLK + BLK) { const nb = alloc(); setWord(b * BLK, nb); b = nb; o = b * BLK + 4; nblocks++; }
      disk[o] = r.length;
      for (let i = 0; i < r.length; i++) disk[o + 1 + i] = r.charCodeAt(i);
      o += 1 + r.length;
    }
    disk[BLK + e + 23] = recs.length; disk[BLK + e + 27] = nblocks;
  };
  out.push('A-DISK 191 IS NOT FORMATTED; USE FORMAT', 'Ready;');
  for (let i = 0; i < script.length; i++) {
    const t = script[i].toUpperCase().split(/\s+/).filter((x) => x !== '').map((x) => x.slice(0, 8));
    switch (t[0]) {
      case 'FORMAT':
        disk.fill(0); disk.set([67, 77, 83, 49]); setWord(4, blocks); use(0, true); use(1, true); formatted = true;
        out.push(`FORMAT: A-DISK 191 FORMATTED, ${blocks} BLOCKS`, 'Ready;'); break;
      case 'CREATE': {
        out.push('INPUT:');
        const recs: string[] = [];
        while (script[++i] !== '') recs.push(script[i]);
        write(key(t[1], t[2]), recs); out.push('Ready;'); break;
      }
      case 'LISTFILE':
        out.push('FILENAME FILETYPE FM   RECS BLOCKS');
        for (let e = 0; e < BLK; e += ENTRY) {
          if (disk[BLK + e] === 0) continue;
          const n = nameAt(e);
          out.push(`${n.slice(0, 8).trimEnd().padEnd(9)}${n.slice(8).trimEnd().padEnd(9)}A1${String(disk[BLK + e + 23]).padStart(6)}${String(disk[BLK + e + 27]).padStart(6)}`);
        }
        out.push('Ready;'); break;
      case 'TYPE': out.push(...records(find(key(t[1], t[2]))), 'Ready;'); break;
      case 'COPYFILE': write(key(t[3], t[4]), records(find(key(t[1], t[2])))); out.push('Ready;'); break;
      case 'ERASE': {
        const e = find(key(t[1], t[2]));
        for (let b = word(BLK + e + 16); b !== 0; b = word(b * BLK)) use(b, false);
        disk.fill(0, BLK + e, BLK + e + ENTRY); out.push('Ready;'); break;
      }
      case 'LOGOFF': out.push('LOGOFF: CMS ENDS'); return formatted ? out : [];
      default: throw new Error(`cms.ts: command ${t[0]} is not part of the benchmark session`);
    }
  }
  return out;
}
