import { expect, test, type BrowserContext, type Page } from '@playwright/test';
// Type-only: brings in the `window.__sb` / `window.__history` declarations of the page.
import type {} from '../pages/history';

/** Opens the history page in a new tab of `context`; db and channel names keep tests apart. */
async function openTab(context: BrowserContext, query: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/history.html?${query}`);
  await page.waitForFunction(() => window.__ready === true);
  return page;
}

test('history survives a reload, every field intact', async ({ context }) => {
  const page = await openTab(context, 'db=reload&channel=reload');
  const sent = await page.evaluate(async () => {
    const sent = [
      window.__sb.publish(
        'orders.1.created',
        { id: 'o1', at: new Date(7), lines: [1, 2] },
        { correlationId: 'c1', tenant: 'acme' },
      ),
      window.__sb.publish('orders.1.paid', { id: 'o1', amount: 3 }),
      window.__sb.publish('inventory.sku-1.reserved', { qty: 1 }),
    ];
    await window.__sb.flush();
    return sent;
  });
  expect(await page.evaluate(() => window.__history.stats().storage)).toBe('indexeddb');
  await page.reload();
  await page.waitForFunction(() => window.__ready === true);
  const stored = await page.evaluate(() => window.__history.getHistory('orders.#'));
  expect(stored).toEqual(sent.slice(0, 2));
  expect(await page.evaluate(() => window.__history.getHistory('#', { limit: 1 }))).toEqual([sent[2]]);
});

test('two tabs publishing: each message is stored once, by the tab that published it', async ({ context }) => {
  const a = await openTab(context, 'db=once&channel=once');
  const b = await openTab(context, 'db=once&channel=once');
  const publish = (page: Page) =>
    page.evaluate(async () => {
      for (let i = 0; i < 200; i++) window.__sb.publish('chat.line', { tab: window.__sb.tabId, i });
      await window.__sb.flush();
    });
  await Promise.all([publish(a), publish(b)]);
  // Each tab's writes commit on its own schedule: wait until both tabs' 200 are stored.
  await expect.poll(() => a.evaluate(() => window.__history.count())).toBe(400);
  await Promise.all([a.evaluate(() => window.__sb.flush()), b.evaluate(() => window.__sb.flush())]);
  const stored = await a.evaluate(async () => (await window.__history.getHistory('chat.line')).map((m) => m.id));
  expect(stored).toHaveLength(400);
  expect(new Set(stored).size).toBe(400);
  expect(await a.evaluate(() => window.__history.count())).toBe(400);
  expect(await a.evaluate(() => window.__history.stats().persisted)).toBe(200);
  expect(await b.evaluate(() => window.__history.stats().persisted)).toBe(200);
});

test('only the leader tab runs GC, and another takes over when it closes', async ({ context }) => {
  const query = 'db=gc&channel=gc&gcMs=50&ttl=1';
  const pages = [await openTab(context, query), await openTab(context, query)];
  const isLeader = (page: Page) => page.evaluate(() => window.__sb.crossTab.isLeader());
  await expect.poll(async () => (await Promise.all(pages.map(isLeader))).filter(Boolean).length).toBe(1);
  const leader = (await isLeader(pages[0]!)) ? pages[0]! : pages[1]!;
  const follower = leader === pages[0] ? pages[1]! : pages[0]!;

  await follower.evaluate(() => window.__sb.publish('old.news', 1));
  await follower.evaluate(() => window.__sb.flush());
  // Expired after one second; only the leader's GC deletes it.
  await expect.poll(() => follower.evaluate(() => window.__history.count()), { timeout: 5_000 }).toBe(0);
  const [leaderStats, followerStats] = await Promise.all([
    leader.evaluate(() => window.__history.stats()),
    follower.evaluate(() => window.__history.stats()),
  ]);
  expect(leaderStats.expiredRemoved).toBe(1);
  expect(leaderStats.gcRuns).toBeGreaterThan(0);
  expect(followerStats.gcRuns).toBe(0);
  expect(followerStats.gcSkipped).toBeGreaterThan(0);

  await leader.close();
  await expect.poll(() => follower.evaluate(() => window.__sb.crossTab.isLeader()), { timeout: 10_000 }).toBe(true);
  await expect.poll(() => follower.evaluate(() => window.__history.stats().gcRuns)).toBeGreaterThan(0);
});

test('a newly opened tab replays what was said, then gets live messages, no gap, no duplicate', async ({ context }) => {
  const a = await openTab(context, 'db=replay&channel=replay');
  await a.evaluate(async () => {
    for (let i = 0; i < 5; i++) window.__sb.publish('feed.item', i);
    await window.__sb.flush();
  });
  const b = await openTab(context, 'db=replay&channel=replay');
  // A keeps publishing while B loads its replay.
  await a.evaluate(() => {
    let i = 5;
    const timer = setInterval(() => {
      window.__sb.publish('feed.item', i++);
      if (i === 40) clearInterval(timer);
    }, 1);
  });
  await b.evaluate(() => window.__replay('feed.#', { since: 0 }));
  await expect.poll(() => b.evaluate(() => window.__replayed.length)).toBe(40);
  expect(await b.evaluate(() => window.__replayed.map((m) => m.payload))).toEqual([...Array(40).keys()]);

  const c = await openTab(context, 'db=replay&channel=replay');
  await c.evaluate(() => window.__replay('feed.item', { last: 3 }));
  expect(await c.evaluate(() => window.__replayed.map((m) => m.payload))).toEqual([37, 38, 39]);
});
