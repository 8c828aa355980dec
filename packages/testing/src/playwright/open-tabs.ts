import type { BrowserContext, Page } from '@playwright/test';
import { TestingError } from '../errors.ts';
import { tabIdOf, tapTab, type TapOptions } from './tap-tab.ts';

/** Options of {@link openTabs}. */
export interface OpenTabsOptions extends TapOptions {
  /**
   * When a tab counts as open: `'bus'` once the page has created a bus (so its tab id is known),
   * `'load'` on the load event, for apps that create their bus later.
   * @default 'bus'
   */
  until?: 'bus' | 'load';
  /** Milliseconds each tab may take to open. @default 10000 */
  timeout?: number;
}

/**
 * Opens `count` tapped tabs of one browser context at `url`, one after the other, so the first
 * is the oldest. Tabs of one context share BroadcastChannel and IndexedDB, like tabs of one
 * browser window.
 *
 * @example
 * import { openTabs } from '@switchboard/testing/playwright';
 * const [orders, inventory] = await openTabs(context, 2, '/shop.html');
 */
export async function openTabs(
  context: BrowserContext,
  count: number,
  url: string,
  options: OpenTabsOptions = {},
): Promise<Page[]> {
  if (!Number.isInteger(count) || count < 1) {
    throw new TestingError('INVALID_OPTION', `openTabs(${count}): the count must be a positive integer.`);
  }
  const timeout = options.timeout ?? 10_000;
  const tapOptions: TapOptions = options.pattern === undefined ? {} : { pattern: options.pattern };
  const pages: Page[] = [];
  for (let i = 0; i < count; i++) {
    const page = await context.newPage();
    pages.push(page);
    await tapTab(page, tapOptions);
    await page.goto(url, { timeout });
    if ((options.until ?? 'bus') === 'bus') await tabIdOf(page, { timeout });
  }
  return pages;
}
