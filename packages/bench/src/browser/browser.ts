import { chromium, type Browser, type Page } from 'playwright';
import { debianChromium } from '@switchboard/testing/playwright';

/** Launches Debian's Chromium as the e2e tests do (Playwright's own download cannot work here). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(debianChromium());
}

/** Two tabs: two pages of one context share BroadcastChannel, IndexedDB and Web Locks. */
export interface Tabs {
  readonly a: Page;
  readonly b: Page;
  close(): Promise<void>;
}

/** Opens `url` in two pages of a fresh context and waits until each page's bench API is ready. */
export async function openTwoTabs(browser: Browser, url: string, ready: string): Promise<Tabs> {
  const context = await browser.newContext();
  const a = await context.newPage();
  const b = await context.newPage();
  for (const page of [a, b]) {
    // A page error would otherwise only show as a timeout much later.
    page.on('pageerror', (error) => console.error(`bench page ${url}: ${error.message}`));
    await page.goto(url);
    await page.waitForFunction(ready);
    // Finer timers (5 µs instead of 100 µs) depend on it; see pages/vite.config.ts.
    if (!(await page.evaluate(() => window.crossOriginIsolated))) {
      throw new Error(`openTwoTabs(): ${url} is not cross-origin isolated; its latencies would be rounded to 100 µs.`);
    }
  }
  return { a, b, close: () => context.close() };
}
