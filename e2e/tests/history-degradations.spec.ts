import { expect, test, type BrowserContext, type Page } from '@playwright/test';
// Type-only: brings in the `window.__sb` / `window.__history` declarations of the page.
import type {} from '../pages/history-load';

async function openTab(context: BrowserContext, query: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/history-load.html?${query}`);
  await page.waitForFunction(() => window.__ready === true);
  return page;
}

const unique = () => `${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;

test('IndexedDB refused: history falls back to memory, reported through onError and stats; the saga log rejects with a typed error', async ({
  context,
}) => {
  const page = await openTab(context, `db=refused-${unique()}&channel=refused-${unique()}&refuse=1`);
  expect(await page.evaluate(() => window.__history.stats())).toMatchObject({
    storage: 'memory',
    degraded: 'unavailable',
    errors: 1,
  });
  expect(await page.evaluate(() => window.__historyErrors)).toEqual([
    expect.objectContaining({ failure: 'unavailable', code: 'UNSUPPORTED', cause: 'SecurityError' }),
  ]);
  // The bus and the history keep working, in this tab.
  const stored = await page.evaluate(async () => {
    window.__sb.publish('orders.placed', { i: 0 });
    await window.__sb.flush();
    return (await window.__history.getHistory('orders.#')).length;
  });
  expect(stored).toBe(1);
  expect(await page.evaluate(() => window.__sagaLogError())).toEqual({
    name: 'SwitchboardError',
    code: 'STORAGE_FAILED',
    message: expect.stringMatching(/could not open IndexedDB database 'sagas-refused-.*' \(SecurityError: /),
    cause: 'SecurityError',
  });
});

test('another tab drops the store: history falls back to memory, reported, and keeps storing', async ({ context }) => {
  const db = `dropped-${unique()}`;
  const page = await openTab(context, `db=${db}&channel=dropped-${unique()}`);
  await page.evaluate(async () => {
    window.__sb.publish('orders.placed', { i: 0 });
    await window.__sb.flush();
  });
  // Another app of the origin reuses the database name and upgrades it to a layout without the store.
  const other = await context.newPage();
  await other.goto('/smoke.html');
  await other.evaluate(
    (name) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open(name, 10);
        request.onupgradeneeded = () => request.result.deleteObjectStore('messages');
        request.onsuccess = () => {
          request.result.close();
          resolve();
        };
        request.onerror = () => reject(request.error);
      }),
    db,
  );
  const after = await page.evaluate(async () => {
    window.__sb.publish('orders.placed', { i: 1 });
    await window.__sb.flush();
    return (await window.__history.getHistory('orders.#')).map((m) => m.payload.i);
  });
  expect(after).toEqual([1]);
  expect(await page.evaluate(() => window.__history.stats())).toMatchObject({
    storage: 'memory',
    degraded: 'schema',
    errors: 1,
  });
  expect(await page.evaluate(() => window.__historyErrors)).toEqual([
    expect.objectContaining({
      failure: 'schema',
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/has schema version 10, newer than this copy .* understands \(3\)/),
    }),
  ]);
});

test('storage quota reached: the oldest records really go, the report says exactly what happened, and nothing published is lost', async ({
  context,
}) => {
  test.setTimeout(120_000);
  const origin = new URL(test.info().project.use.baseURL!).origin;
  const page = await openTab(context, `db=quota-${unique()}&channel=quota-${unique()}`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 16 * 1024 * 1024 });
  // ~10 kB messages of random text (LevelDB compresses repeated text away) in bursts, until the
  // browser refuses a write, then 20 more bursts.
  const result = await page.evaluate(async () => {
    const bytes = new Uint8Array(7_500);
    const note = (): string => {
      crypto.getRandomValues(bytes);
      return btoa(String.fromCharCode(...bytes));
    };
    let published = 0;
    let afterQuota = 0;
    while (afterQuota < 20 && published < 10_000) {
      for (let k = 0; k < 20; k++) window.__sb.publish('fill.x', { i: published++, note: note() });
      await window.__sb.flush();
      if (window.__historyErrors.length > 0) afterQuota++;
    }
    return { published, stats: window.__history.stats() };
  });
  const errors = await page.evaluate(() => window.__historyErrors);
  expect(errors.length).toBeGreaterThan(0);
  expect(errors.every((e) => e.failure === 'quota' && e.code === 'STORAGE_FAILED')).toBe(true);
  // Real deletions, counted: never "the 0 oldest".
  expect(result.stats.evicted).toBeGreaterThan(0);
  for (const error of errors) expect(error.message).toMatch(/the [1-9][0-9]* oldest message\(s\) were deleted/);
  // Where the browser did not release the space at once, the report says so and why.
  if (result.stats.spilled > 0) {
    expect(errors.at(-1)!.message).toMatch(
      /yet the browser still refuses writes \(before: usage \d+ of quota \d+ bytes; after: .*\); IndexedDB releases deleted records. space only when it compacts the database\. This batch and later ones wait in memory/,
    );
  }
  expect(result.stats.dropped).toBe(0);
  // Every message published after the first refusal is stored, or waiting in memory; the reads see all of them.
  const readable = await page.evaluate(async () => {
    const found = await window.__history.getHistory<{ i: number }>('fill.x');
    return { newest: found.at(-1)?.payload.i, count: found.length };
  });
  expect(readable.newest).toBe(result.published - 1);
  // Space comes back: whatever waited in memory is written, in order, and nothing is lost.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await expect.poll(() => page.evaluate(() => window.__history.stats().spilled), { timeout: 60_000 }).toBe(0);
  const final = await page.evaluate(async () => {
    const found = await window.__history.getHistory<{ i: number }>('fill.x');
    const ids = found.map((m) => m.payload.i);
    return {
      count: found.length,
      first: ids[0],
      last: ids.at(-1),
      ordered: ids.every((v, k) => k === 0 || v > ids[k - 1]!),
    };
  });
  expect(final.last).toBe(result.published - 1);
  expect(final.ordered).toBe(true);
  // What is gone is exactly what was evicted, oldest first.
  expect(final.count).toBe(result.published - (await page.evaluate(() => window.__history.stats().evicted)));
  expect(final.first).toBe(result.published - final.count);
  console.log(
    `quota: ${result.published} published, ${result.stats.evicted} evicted, ${result.stats.spilled} waited in memory; first report: ${errors[0]!.message}`,
  );
});
