import { defineConfig } from 'vitest/config';

// Unit tests of every package, run from TypeScript source: the `switchboard-source` export
// condition points each workspace package at its src/index.ts, so nothing is built first.
export default defineConfig({
  resolve: { conditions: ['switchboard-source'] },
  ssr: { resolve: { conditions: ['switchboard-source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    typecheck: { enabled: false },
    environment: 'node',
  },
});
