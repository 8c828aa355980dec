import { defineConfig } from '@playwright/test';
// Relative: the config is loaded before any workspace resolution applies.
import { debianChromium } from './packages/testing/src/playwright/debian-chromium.ts';

// Fixed port so several specs (and a developer's open browser) agree on one URL.
const port = Number(process.env.E2E_PORT ?? 5310);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'e2e/tests',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  // 'list' never opens an HTML report (and writes none).
  reporter: 'list',
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    // Debian's Chromium: Playwright's own browser download cannot work on these machines.
    launchOptions: debianChromium(),
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `npx vite --config e2e/vite.config.ts --port ${port}`,
    url: `${baseURL}/smoke.html`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
