import { defineConfig } from '@playwright/test';

// Debian's Chromium: Playwright's own browser download cannot work on these machines.
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
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
    launchOptions: {
      executablePath,
      args: [
        // Runs as root in CI, where Chromium's sandbox refuses to start.
        '--no-sandbox',
        '--disable-gpu',
        // The machine's network is closed: without these Chromium keeps dialing Google's hosts.
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `npx vite --config e2e/vite.config.ts --port ${port}`,
    url: baseURL + '/smoke.html',
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
