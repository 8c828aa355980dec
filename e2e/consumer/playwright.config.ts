import { defineConfig } from '@playwright/test';
// Relative: the config is loaded before any workspace resolution applies.
import { debianChromium } from '../../packages/testing/src/playwright/debian-chromium.ts';

// The consumer test: the packages as a team installs them from their tarballs (see consumer-app.ts).
// Its pages are served by Playwright from the app's build, so it needs no server and no port.
export default defineConfig({
  testDir: '.',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  fullyParallel: true,
  reporter: 'list',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: debianChromium(),
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'consumer setup', testMatch: 'consumer.setup.ts' },
    { name: 'consumer', testMatch: '*.spec.ts', dependencies: ['consumer setup'] },
  ],
});
