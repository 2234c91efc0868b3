import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // navmap-server's integration tests live here, where both it and the local environment are dependencies.
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Most of these tests wait on real timers (TTLs, Retry-After, drains), not on the CPU: two files at once whatever
    // the core count (vitest's default is one fewer worker than cores: one, on a 2-core CI machine). Measured on 2
    // cores: 177 s with one worker, 90 s with two; four made the 1-2 s TTL windows of some tests miss under load.
    maxWorkers: 2,
  },
});
