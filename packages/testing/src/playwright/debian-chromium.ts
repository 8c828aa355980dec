/**
 * Launch options for the Chromium that Debian packages (`apt-get install chromium`), for machines
 * where Playwright's own browser download is not possible (closed networks, CI images).
 */
export interface ChromiumLaunchOptions {
  executablePath: string;
  args: string[];
}

/**
 * `launchOptions` for Debian's Chromium: `$CHROMIUM_PATH` or `/usr/bin/chromium`, without the
 * sandbox (it refuses to start as root) and without the background services that dial out.
 *
 * @example
 * // playwright.config.ts
 * import { defineConfig } from '@playwright/test';
 * import { debianChromium } from '@switchboard/testing/playwright';
 * export default defineConfig({ use: { launchOptions: debianChromium() } });
 */
export function debianChromium(): ChromiumLaunchOptions {
  return {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      // Runs as root in CI, where Chromium's sandbox refuses to start.
      '--no-sandbox',
      '--disable-gpu',
      // On a closed network these services keep dialing out and fail, many at a time.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  };
}
