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
  // Node checks need the install only; Chromium ones the Vite build too, so a build that fails
  // does not hide what the Node checks say.
  projects: [
    { name: 'consumer setup', testMatch: 'consumer.setup.ts' },
    { name: 'consumer build', testMatch: 'consumer.build.ts', dependencies: ['consumer setup'] },
    { name: 'consumer', testMatch: 'consumer.spec.ts', dependencies: ['consumer setup'] },
    { name: 'consumer browser', testMatch: 'consumer-browser.spec.ts', dependencies: ['consumer build'] },
  ],
});
