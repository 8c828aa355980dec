import { expect, test, type Page } from '@playwright/test';
// Type-only: brings in the `window.__sb` / `window.__history` / `window.__live` declarations.
import type {} from '../pages/history-load';
import { loadCase, missingByTab, openTab, storedByTab } from './history-load-case.ts';

// 8 tabs publishing 100 every 15 ms; 2,000 messages per tab here to keep the suite fast, where
// `npm run soak` runs the full case, 10,000 per tab.
const TABS = 8;
const PER_TAB = Number(process.env.HISTORY_LOAD_PER_TAB ?? 2_000);
const CHURN_PER_TICK = Number(process.env.HISTORY_CHURN_PER_TICK ?? 5);

test.describe.configure({ timeout: 300_000 });

test(`${TABS} tabs publishing 100 every 15 ms, two closing as soon as their loop ends: every message stored once, delivered live once and in order`, async ({
  context,
}) => {
  await loadCase(context, TABS, PER_TAB);
});

test('a tab that crashes with all its writes pending: the tabs that received its messages store them once', async ({
  context,
}) => {
  const query = `db=crash-${Date.now()}&channel=crash-${Date.now()}`;
  const survivors = [await openTab(context, query), await openTab(context, query)];
  // Its batches never close: nothing it publishes is written by itself before it dies.
  const crashing = await openTab(context, `${query}&delay=3600000`);
  const pages = [...survivors, crashing];
  const tabIds = await Promise.all(pages.map((page) => page.evaluate(() => window.__sb.tabId)));
  const perTab = 500;
  await Promise.all(pages.map((page) => page.evaluate((n) => window.__load(n, 100, 15), perTab)));
  // Everything it published reached the others live before it goes.
  for (const page of survivors) {
    await expect
      .poll(() => page.evaluate(() => Object.values(window.__live()).map((t) => t.received)))
      .toEqual([perTab, perTab]);
  }
  expect(await crashing.evaluate(() => window.__history.stats().persisted)).toBe(0);
  // The renderer dies: no unload, no goodbye; the others notice when its heartbeats stop.
  const crashed = new Promise((resolve) => crashing.once('crash', resolve));
  const cdp = await context.newCDPSession(crashing);
  void cdp.send('Page.crash').catch(() => undefined);
  await crashed;
  const total = pages.length * perTab;
  await expect
    .poll(() => survivors[0]!.evaluate(() => window.__history.count()), { timeout: 30_000, intervals: [250] })
    .toBe(total);
  const stored = await storedByTab(survivors[0]!);
  expect(stored.distinct).toBe(total);
  expect(stored.byTab).toEqual(Object.fromEntries(tabIds.map((id) => [id, perTab])));
  await Promise.all(survivors.map((page) => page.evaluate(() => window.__sb.flush())));
  expect(await survivors[0]!.evaluate(() => window.__history.count())).toBe(total);
  const custodied = await Promise.all(survivors.map((page) => page.evaluate(() => window.__history.stats().custodied)));
  expect(custodied.reduce((a, b) => a + b, 0)).toBe(perTab);
  const errors = await Promise.all(survivors.map((page) => page.evaluate(() => window.__historyErrors)));
  expect(errors.flat()).toEqual([]);
});

test('tabs closed and reloaded while all of them publish: no publisher ends with missing rows', async ({ context }) => {
  const query = `db=churn-${Date.now()}&channel=churn-${Date.now()}`;
  const pages: Page[] = [];
  for (let i = 0; i < 5; i++) pages.push(await openTab(context, query));
  /** What each page instance (by tab id) published before it closed or reloaded. */
  const published = new Map<string, number>();
  const startAll = (page: Page) => page.evaluate((perTick) => window.__start(perTick, 15), CHURN_PER_TICK);
  await Promise.all(pages.map(startAll));
  for (let round = 0; round < 8; round++) {
    await pages[0]!.waitForTimeout(150);
    const slot = 1 + (round % (pages.length - 1));
    const page = pages[slot]!;
    const [tabId, count] = await page.evaluate(() => [window.__sb.tabId, window.__stop()] as const);
    published.set(tabId, count);
    if (round % 2 === 0) {
      // Reload: the same tab, a new bus.
      await page.reload();
      await page.waitForFunction(() => window.__ready === true);
    } else {
      await page.close();
      pages[slot] = await openTab(context, query);
    }
    await startAll(pages[slot]!);
  }
  for (const page of pages) {
    const [tabId, count] = await page.evaluate(() => [window.__sb.tabId, window.__stop()] as const);
    published.set(tabId, count);
  }
  const expected = Object.fromEntries(published);
  const total = [...published.values()].reduce((a, b) => a + b, 0);
  // Drained when no tab has writes queued or messages held for custody (cheap to ask, unlike a count).
  await expect
    .poll(
      async () => {
        const stats = await Promise.all(pages.map((page) => page.evaluate(() => window.__history.stats())));
        if (process.env.HISTORY_LOAD_DEBUG)
          console.log(stats.map((s) => [s.pendingWrites, s.held, s.persisted, s.custodied, s.batches]));
        return stats.reduce((sum, s) => sum + s.pendingWrites + s.held, 0);
      },
      { timeout: 120_000, intervals: [500] },
    )
    .toBe(0);
  const count = await pages[0]!.evaluate(() => window.__history.count());
  if (count !== total) console.log('missing rows:', count, total, expected, await missingByTab(pages[0]!));
  expect(count).toBe(total);
  const stored = await storedByTab(pages[0]!);
  expect(stored.distinct).toBe(total);
  expect(stored.byTab).toEqual(expected);
  expect(Object.keys(expected)).toHaveLength(5 + 8);
});
