import { expect, test, type BrowserContext, type Page } from '@playwright/test';
// Type-only: brings in the `window.__sb` / `window.__history` / `window.__live` declarations.
import type {} from '../pages/history-load';

// 8 tabs publishing 100 every 15 ms, as the reliability report measured; the message count per
// tab is smaller here than there (10,000) to keep the suite fast: `npm run soak` runs the full one.
const TABS = 8;
const PER_TAB = Number(process.env.HISTORY_LOAD_PER_TAB ?? 2_000);
const CHURN_PER_TICK = Number(process.env.HISTORY_CHURN_PER_TICK ?? 5);

async function openTab(context: BrowserContext, query: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/history-load.html?${query}`);
  await page.waitForFunction(() => window.__ready === true);
  return page;
}

/** Every stored `load.#` message, grouped by publishing tab: count and distinct ids. */
async function storedByTab(page: Page): Promise<{ total: number; distinct: number; byTab: Record<string, number> }> {
  return page.evaluate(async () => {
    const stored = await window.__history.getHistory('load.#');
    const byTab: Record<string, number> = {};
    for (const message of stored) byTab[message.origin.tabId] = (byTab[message.origin.tabId] ?? 0) + 1;
    return { total: stored.length, distinct: new Set(stored.map((m) => m.id)).size, byTab };
  });
}

/** For a failure report: per publishing tab, how many are stored and which indexes are missing, read from IndexedDB directly. */
function missingByTab(page: Page): Promise<Record<string, string>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve) => {
      const request = indexedDB.open(new URLSearchParams(location.search).get('db')!);
      request.onsuccess = () => resolve(request.result);
    });
    const all = await new Promise<Array<{ m: { origin: { tabId: string }; payload: { i: number } } }>>((resolve) => {
      const request = db.transaction('messages').objectStore('messages').getAll();
      request.onsuccess = () => resolve(request.result);
    });
    db.close();
    const byTab: Record<string, number[]> = {};
    for (const record of all) {
      byTab[record.m.origin.tabId] ??= [];
      byTab[record.m.origin.tabId]!.push(record.m.payload.i);
    }
    const report: Record<string, string> = {};
    for (const [tab, list] of Object.entries(byTab)) {
      list.sort((a, b) => a - b);
      const missing = list.filter((value, k) => k > 0 && value !== list[k - 1]! + 1);
      report[tab] = `${list.length} stored, highest ${list.at(-1)}, gaps before ${missing.slice(0, 5).join(',')}`;
    }
    return report;
  });
}

test.describe.configure({ timeout: 300_000 });

test(`${TABS} tabs publishing 100 every 15 ms, two closing as soon as their loop ends: every message stored once, delivered live once and in order`, async ({
  context,
}) => {
  const query = `db=load-${Date.now()}&channel=load-${Date.now()}`;
  const pages: Page[] = [];
  for (let i = 0; i < TABS; i++) pages.push(await openTab(context, query));
  const tabIds = await Promise.all(pages.map((page) => page.evaluate(() => window.__sb.tabId)));
  const closing = new Set([pages[1]!, pages[5]!]);
  const started = Date.now();
  await Promise.all(
    pages.map(async (page) => {
      const count = await page.evaluate((n) => window.__load(n, 100, 15), PER_TAB);
      expect(count).toBe(PER_TAB);
      // Writes pending, nothing flushed: the tab goes at once.
      if (closing.has(page)) await page.close();
    }),
  );
  const publishedMs = Date.now() - started;
  const survivors = pages.filter((page) => !closing.has(page));
  const total = TABS * PER_TAB;
  try {
    await expect
      .poll(() => survivors[0]!.evaluate(() => window.__history.count()), { timeout: 120_000, intervals: [250] })
      .toBe(total);
  } catch (error) {
    console.log('stored so far:', await missingByTab(survivors[0]!));
    throw error;
  }
  const drainedMs = Date.now() - started - publishedMs;
  const stored = await storedByTab(survivors[0]!);
  expect(stored.distinct).toBe(total);
  expect(stored.byTab).toEqual(Object.fromEntries(tabIds.map((id) => [id, PER_TAB])));
  // Nothing more arrives later (a late duplicate would raise the count).
  await Promise.all(survivors.map((page) => page.evaluate(() => window.__sb.flush())));
  expect(await survivors[0]!.evaluate(() => window.__history.count())).toBe(total);

  for (const page of survivors) {
    const own = await page.evaluate(() => window.__sb.tabId);
    const live = await page.evaluate(() => window.__live());
    expect(live).toEqual(
      Object.fromEntries(
        tabIds.filter((id) => id !== own).map((id) => [id, { received: PER_TAB, duplicated: 0, reordered: 0 }]),
      ),
    );
  }
  const errors = await Promise.all(survivors.map((page) => page.evaluate(() => window.__historyErrors)));
  expect(errors.flat()).toEqual([]);
  const custodied = await Promise.all(survivors.map((page) => page.evaluate(() => window.__history.stats().custodied)));
  console.log(
    `history load: ${total} messages from ${TABS} tabs published in ${publishedMs} ms, all stored ${drainedMs} ms later; custody wrote ${custodied.reduce((a, b) => a + b, 0)}`,
  );
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
