import { defineConfig } from 'vitest/config';

// tests import the packages' TypeScript sources: the "source" export condition (see the packages' `exports`) before
// Vite's defaults for code that runs on Node
const conditions = ['source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['tests/**/*.test.ts'],
    // processes the tests start (hub, simulator, agents) run the built JavaScript: build it once, first
    globalSetup: ['tests/helpers/build-first.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // integration tests start brokers and processes: two cores, so keep files from piling up
    maxWorkers: 2,
    pool: 'forks',
  },
});
