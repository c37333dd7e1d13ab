/**
 * The playground's build: `npm run build:web` writes a static site to dist/web (relative URLs,
 * so any static host or a sub-folder serves it) and prints its size.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

/** Print the bundle's total size, and gzipped, once the build is written. */
function sizeReport(): Plugin {
  return {
    name: 'tinycp-size-report',
    async writeBundle(_opts, bundle) {
      const { gzipSync } = await import('node:zlib');
      let raw = 0, gz = 0;
      const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
      for (const f of Object.values(bundle)) {
        const data = f.type === 'chunk' ? f.code : f.source;
        const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
        const z = gzipSync(bytes).length;
        raw += bytes.length; gz += z;
        console.log(`  ${f.fileName.padEnd(40)} ${kib(bytes.length).padStart(11)} ${kib(z).padStart(11)} gzipped`);
      }
      console.log(`tinycp web: bundle ${kib(raw)}, ${kib(gz)} gzipped (${Object.keys(bundle).length} files; the time-sharing view's worker and xterm.js load only when it is opened)`);
    },
  };
}

export default defineConfig({
  root,
  base: './',
  logLevel: 'warn',
  // The plugin-timings check only says this 2-core machine is busy: not a finding about the site.
  build: { outDir: `${repo}/dist/web`, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000, rolldownOptions: { checks: { pluginTimings: false } } },
  worker: { format: 'es' },
  server: { fs: { allow: [repo] } },
  plugins: [sizeReport()],
});
