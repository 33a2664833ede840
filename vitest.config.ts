// Unit tests sit beside the code they test (foo.test.ts next to foo.ts); integration tests against the real ledger live in test/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'shared/**/*.test.ts',
      'renderer/**/*.test.ts',
      'electron/**/*.test.ts',
      'scripts/**/*.test.ts',
      'server/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
