import { defineConfig } from '@playwright/test';
import base from './playwright.config.ts';

// `npm run soak`: the long runs (about a minute each) kept out of `npm test`.
export default defineConfig({
  ...base,
  testDir: 'e2e/soak',
  workers: 1,
  // Twice the soak, plus setup: a slow machine stretches every step.
  timeout: Number(process.env.SOAK_MS ?? 60_000) * 2 + 60_000,
});
