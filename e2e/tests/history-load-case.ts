import { expect, type BrowserContext, type Page } from '@playwright/test';
// Type-only: brings in the `window.__sb` / `window.__history` / `window.__live` declarations.
import type {} from '../pages/history-load';

// The load case of e2e/tests/history-load.spec.ts, shared with the full-size run of `npm run soak`.

/** Opens a tab of the history-load page and waits until its bus and history are ready. */
export async function openTab(context: BrowserContext, query: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/history-load.html?${query}`);
  await page.waitForFunction(() => window.__ready === true);
  return page;
}

/** Every stored `load.#` message, grouped by publishing tab: count and distinct ids. */
export async function storedByTab(
  page: Page,
): Promise<{ total: number; distinct: number; byTab: Record<string, number> }> {
  return page.evaluate(async () => {
    const stored = await window.__history.getHistory('load.#');
    const byTab: Record<string, number> = {};
    for (const message of stored) byTab[message.origin.tabId] = (byTab[message.origin.tabId] ?? 0) + 1;
    return { total: stored.length, distinct: new Set(stored.map((m) => m.id)).size, byTab };
  });
}

/** For a failure report: per publishing tab, how many are stored and which indexes are missing, read from IndexedDB directly. */
export function missingByTab(page: Page): Promise<Record<string, string>> {
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

/**
 * `tabs` tabs publishing 100 every 15 ms, `perTab` messages each; two of them close as soon as
 * their loop ends, writes pending. Every message must be stored once, and each surviving tab must
 * have received every other tab's messages live once and in order; all must be stored within
 * `drainTimeoutMs` of the end of publishing.
 */
export async function loadCase(
  context: BrowserContext,
  tabs: number,
  perTab: number,
  drainTimeoutMs = 120_000,
): Promise<void> {
  const query = `db=load-${Date.now()}&channel=load-${Date.now()}`;
  const pages: Page[] = [];
  for (let i = 0; i < tabs; i++) pages.push(await openTab(context, query));
  const tabIds = await Promise.all(pages.map((page) => page.evaluate(() => window.__sb.tabId)));
  const closing = new Set([pages[1]!, pages[5]!]);
  const started = Date.now();
  await Promise.all(
    pages.map(async (page) => {
      const count = await page.evaluate((n) => window.__load(n, 100, 15), perTab);
      expect(count).toBe(perTab);
      // Writes pending, nothing flushed: the tab goes at once.
      if (closing.has(page)) await page.close();
    }),
  );
  const publishedMs = Date.now() - started;
  const survivors = pages.filter((page) => !closing.has(page));
  const total = tabs * perTab;
  try {
    await expect
      .poll(() => survivors[0]!.evaluate(() => window.__history.count()), { timeout: drainTimeoutMs, intervals: [250] })
      .toBe(total);
  } catch (error) {
    console.log('stored so far:', await missingByTab(survivors[0]!));
    throw error;
  }
  const drainedMs = Date.now() - started - publishedMs;
  const stored = await storedByTab(survivors[0]!);
  expect(stored.distinct).toBe(total);
  expect(stored.byTab).toEqual(Object.fromEntries(tabIds.map((id) => [id, perTab])));
  // Nothing more arrives later (a late duplicate would raise the count).
  await Promise.all(survivors.map((page) => page.evaluate(() => window.__sb.flush())));
  expect(await survivors[0]!.evaluate(() => window.__history.count())).toBe(total);

  for (const page of survivors) {
    const own = await page.evaluate(() => window.__sb.tabId);
    const live = await page.evaluate(() => window.__live());
    expect(live).toEqual(
      Object.fromEntries(
        tabIds.filter((id) => id !== own).map((id) => [id, { received: perTab, duplicated: 0, reordered: 0 }]),
      ),
    );
  }
  const errors = await Promise.all(survivors.map((page) => page.evaluate(() => window.__historyErrors)));
  expect(errors.flat()).toEqual([]);
  const custody = await Promise.all(
    survivors.map((page) =>
      page.evaluate(() => [window.__history.stats().custodied, window.__history.stats().custodySkipped] as const),
    ),
  );
  console.log(
    `history load: ${total} messages from ${tabs} tabs published in ${publishedMs} ms, all stored ${drainedMs} ms later; ` +
      `custody stored ${custody.reduce((a, [stored]) => a + stored, 0)} of the closing tabs' ${2 * perTab} and found ` +
      `${custody.reduce((a, [, skipped]) => a + skipped, 0)} stored already`,
  );
}
