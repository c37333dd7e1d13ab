import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Many tests spawn `tinycp` or run guests for millions of instructions; on a loaded 2-core
    // machine (a second test run going at the same time) vitest's 5 s default fails them.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ['test/global-temp.ts'],
  },
});
