import { expect, test, type BrowserContext, type Page } from '@playwright/test';
// Type-only: brings in the `window.__sb` / `window.__history` declarations of the page.
import type {} from '../pages/history-load';

// About a minute of steady traffic from 4 tabs with history (TTL 10 s, GC every 2 s in the
// leader), subscriptions coming and going all the time, and a tab reloaded every 5 s. Heap after GC
// (in a tab that stays) and IndexedDB usage are sampled every 5 s; neither may trend upward.
const SOAK_MS = Number(process.env.SOAK_MS ?? 60_000);
const SAMPLE_MS = 5_000;
const TABS = 4;

async function openTab(context: BrowserContext, query: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/history-load.html?${query}`);
  await page.waitForFunction(() => window.__ready === true);
  await page.evaluate(() => {
    window.__start(5, 100);
    window.__churn();
  });
  return page;
}

/** Least-squares slope of `values` per sample. */
function slope(values: number[]): number {
  const n = values.length;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  values.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  return num / den;
}

test('history soak: steady traffic, subscription churn and reloads; heap and IndexedDB usage stay flat', async ({
  context,
}) => {
  const query = `db=soak-${Date.now()}&channel=soak-${Date.now()}&ttl=10&gcMs=2000&max=5000&tally=0&pad=1000`;
  const pages: Page[] = [];
  for (let i = 0; i < TABS; i++) pages.push(await openTab(context, query));
  const stays = pages[0]!;
  const cdp = await context.newCDPSession(stays);
  await cdp.send('HeapProfiler.enable');
  const heap: number[] = [];
  const storage: number[] = [];
  const records: number[] = [];
  const started = Date.now();
  for (let sample = 0; Date.now() - started < SOAK_MS; sample++) {
    await stays.waitForTimeout(SAMPLE_MS);
    // A tab goes and comes back: its bus, history and subscriptions start over.
    const page = pages[1 + (sample % (TABS - 1))]!;
    await page.evaluate(() => window.__stop());
    await page.reload();
    await page.waitForFunction(() => window.__ready === true);
    await page.evaluate(() => {
      window.__start(5, 100);
      window.__churn();
    });
    await cdp.send('HeapProfiler.collectGarbage');
    heap.push((await cdp.send('Runtime.getHeapUsage')).usedSize);
    storage.push(await stays.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0));
    records.push(await stays.evaluate(() => window.__history.count()));
  }
  const stats = await Promise.all(pages.map((page) => page.evaluate(() => window.__history.stats())));
  for (const page of pages) await page.evaluate(() => window.__stop());
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
  console.log(`soak heap (MB): ${heap.map(mb).join(' ')}`);
  console.log(`soak IndexedDB usage (MB): ${storage.map(mb).join(' ')}`);
  console.log(`soak records: ${records.join(' ')}`);
  console.log(
    `soak: ${stats.reduce((a, s) => a + s.persisted, 0)} persisted, ${stats.reduce((a, s) => a + s.expiredRemoved + s.trimmedRemoved, 0)} collected, ` +
      `custody stored ${stats.reduce((a, s) => a + s.custodied, 0)} and found ${stats.reduce((a, s) => a + s.custodySkipped, 0)} stored already, errors ${stats.reduce((a, s) => a + s.errors, 0)}`,
  );
  expect(stats.reduce((a, s) => a + s.errors, 0)).toBe(0);
  // The first samples are the warm-up (caches, the database filling up to its TTL); after it, the
  // trend per sample stays under 1% of the level (heap) and 2% (storage, which compaction moves in steps).
  const steady = (values: number[]) => values.slice(Math.floor(values.length / 3));
  const heapSteady = steady(heap);
  const storageSteady = steady(storage);
  const level = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  expect(slope(heapSteady)).toBeLessThan(0.01 * level(heapSteady));
  expect(slope(storageSteady)).toBeLessThan(0.02 * level(storageSteady) + 256 * 1024);
});
