import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration tests against the local environment run in @sdap/local-stack (test/navmap-server/).
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
