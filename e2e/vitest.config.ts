import { defineConfig } from 'vitest/config';

// Only the runner's own unit tests: the Playwright specs (specs/, remote/, client/) run under Playwright.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 60_000 } });
