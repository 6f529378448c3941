import { defineConfig } from 'vitest/config';

// Every wait in a test is bounded: a hung server or a lost promise fails the test instead of hanging CI.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    teardownTimeout: 10_000,
    pool: 'forks',
    restoreMocks: true,
    // a temporary HOME and state folder per worker (apply locks, the journal of applied plans)
    setupFiles: ['test/setup-state-dir.ts'],
  },
});
