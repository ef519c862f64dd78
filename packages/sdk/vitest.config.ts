import { defineConfig } from 'vitest/config';

// Unit tests and the transport conformance suite run in Node; the suite starts a real server on an
// ephemeral port with a SQLite file in a temp dir, hence the generous timeout. No test asserts a timing.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
