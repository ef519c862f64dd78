import { defineConfig } from 'vitest/config';

// Tests run beside the source in Node against real peers (SQLite files in temp dirs, ephemeral ports),
// hence the generous per-test timeout; nothing here asserts on timings.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
