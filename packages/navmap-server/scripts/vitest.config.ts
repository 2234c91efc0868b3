import { defineConfig } from 'vitest/config';

// The App Service package's test: run against a built zip (npm run package first; the release check runs it on the
// zip it builds from its registry), apart from the unit tests of src/.
export default defineConfig({ test: { include: ['scripts/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } });
