/**
 * A generated region of a Markdown document, between two marker comments: the docs generators
 * (gen-isa-doc.ts, gen-symbols-doc.ts) write one, and the drift tests read it back.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface DocRegion {
  /** The text between the markers (exclusive), or null when the markers are missing. */
  extract(doc: string): string | null;
  /** `doc` with the region between the markers replaced by `body`. Throws when the markers are missing. */
  replace(doc: string, body: string): string;
  /** Rewrite the region of the file at `path` with `body` (only when it changed); says which. */
  write(path: string, body: string, what: string): void;
}

export function docRegion(begin: string, end: string, generator: string): DocRegion {
  const bounds = (doc: string): [number, number] | null => {
    const b = doc.indexOf(begin), e = doc.indexOf(end);
    return b < 0 || e < b ? null : [b, e];
  };
  const region: DocRegion = {
    extract(doc) { const r = bounds(doc); return r ? doc.slice(r[0] + begin.length + 1, r[1]) : null; },
    replace(doc, body) {
      const r = bounds(doc);
      if (!r) throw new Error(`${generator}: markers ${begin} / ${end} not found`);
      return doc.slice(0, r[0]) + begin + '\n' + body + doc.slice(r[1]);
    },
    write(path, body, what) {
      const doc = readFileSync(path, 'utf8');
      const next = region.replace(doc, body);
      if (next !== doc) writeFileSync(path, next);
      console.log(`${path}: ${what} ${next === doc ? 'already up to date' : 'rewritten'}`);
    },
  };
  return region;
}
