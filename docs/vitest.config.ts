import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['drift/**/*.test.ts'],
    // Kusto's language service is 16 MB of JavaScript: loading it takes a few seconds on a busy machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
