import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Real SQLite files and child processes: keep to the machine's two cores.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    env: { TZ: 'UTC', LOG_LEVEL: 'silent' },
    reporters: ['default', './test/reporters/summary-line.ts'],
  },
});
