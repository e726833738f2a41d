import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // integration tests start brokers and processes: two cores, so keep files from piling up
    maxWorkers: 2,
    pool: 'forks',
  },
});
