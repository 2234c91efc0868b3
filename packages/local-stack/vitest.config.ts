import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // navmap-server's integration tests live here, where both it and the local environment are dependencies.
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
