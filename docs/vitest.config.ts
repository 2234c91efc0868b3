import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['drift/**/*.test.ts'],
  },
});
