import { expect, test } from '@switchboard/testing/playwright';
import type { BrowserContext, Page } from '@playwright/test';
// Type-only: brings in the `window.__sb` / `window.__inbox` declarations of the page.
import type {} from '../pages/cross-tab';

/** Opens the cross-tab page in a new tab of `context`; the channel name keeps tests apart. */
async function openTab(context: BrowserContext, query: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/cross-tab.html?${query}`);
  await page.waitForFunction(() => window.__ready === true);
  return page;
}

const tabIdOf = (page: Page): Promise<string> => page.evaluate(() => window.__sb.tabId);

/** Waits until every page lists exactly these tab ids as live. */
async function waitForPresence(pages: Page[], tabIds: string[]): Promise<void> {
  for (const page of pages) {
    await expect
      .poll(() =>
        page.evaluate(() =>
          window.__sb.crossTab
            .tabs()
            .map((t) => t.tabId)
            .sort(),
        ),
      )
      .toEqual([...tabIds].sort());
  }
}

test('a message arrives in the other tab with every field and meta intact', async ({ context }) => {
  const [a, b] = [
    await openTab(context, 'channel=fields&app=orders'),
    await openTab(context, 'channel=fields&app=inventory'),
  ];
  const sent = await a!.evaluate(async () => {
    const message = window.__sb.publish(
      'e2e.order',
      { id: 'o1', at: new Date(7), lines: new Map([[1, 'x']]) },
      {
        correlationId: 'corr-1',
        causationId: 'cause-1',
        tenant: 'acme',
      },
    );
    await window.__sb.flush();
    return message;
  });
  await b!.waitForFunction(() => window.__inbox.messages.some((m) => m.topic === 'e2e.order'));
  const got = await b!.evaluate(() => window.__inbox.messages.filter((m) => m.topic === 'e2e.order'));
  expect(got).toEqual([sent]);
  // Checked in the page: page.evaluate() would flatten the Map on its way to the test.
  const types = await b!.evaluate(() => {
    const payload = window.__inbox.messages.find((m) => m.topic === 'e2e.order')!.payload as {
      at: unknown;
      lines: unknown;
    };
    return { date: payload.at instanceof Date, map: payload.lines instanceof Map && payload.lines.get(1) === 'x' };
  });
  expect(types).toEqual({ date: true, map: true });
  expect(got[0]).toMatchObject({
    source: 'orders',
    payload: { id: 'o1', at: new Date(7) },
    meta: { correlationId: 'corr-1', causationId: 'cause-1', tenant: 'acme' },
    origin: { tabId: await tabIdOf(a!) },
    depth: 0,
  });
  // Causation continues across tabs: a reply published while handling a remote message is one
  // deeper and names it as its cause, which is what stops loops that bounce between tabs.
  await b!.evaluate(() => void window.__sb.subscribe('e2e.ping', () => void window.__sb.publish('e2e.pong', null)));
  const ping = await a!.evaluate(() => window.__sb.publish('e2e.ping', null, { correlationId: 'c2' }));
  await a!.waitForFunction(() => window.__inbox.messages.some((m) => m.topic === 'e2e.pong'));
  const pong = await a!.evaluate(() => window.__inbox.messages.find((m) => m.topic === 'e2e.pong')!);
  expect(pong).toMatchObject({
    depth: 1,
    meta: { causationId: ping.id, correlationId: 'c2' },
    origin: { tabId: await tabIdOf(b!) },
  });
});

test('4 tabs publishing 5,000 messages each: every tab gets the other 15,000 once, in per-publisher order', async ({
  context,
}) => {
  const pages: Page[] = [];
  for (let i = 0; i < 4; i++) pages.push(await openTab(context, `channel=load&app=app${i}`));
  const tabIds = await Promise.all(pages.map(tabIdOf));
  await waitForPresence(pages, tabIds);
  await Promise.all(
    pages.map((page) =>
      page.evaluate(async () => {
        for (let n = 0; n < 5000; n++) window.__sb.publish('load.n', { n });
        await window.__sb.flush();
      }),
    ),
  );
  for (const page of pages) {
    await page.waitForFunction(() => window.__inbox.loadTotal() >= 20_000, undefined, { timeout: 20_000 });
    const load = await page.evaluate(() => window.__inbox.load);
    const expected = Object.fromEntries(
      tabIds.map((tabId) => [tabId, { count: 5000, inOrder: true, duplicates: 0, last: 4999 }]),
    );
    expect(load).toEqual(expected);
    const stats = await page.evaluate(() => window.__sb.crossTab.stats());
    expect(stats.received).toBe(15_000);
    expect(stats.sent).toBe(5000);
    // Batched: far fewer posts than messages.
    expect(stats.posted).toBeLessThan(500);
  }
});

test('a reloaded tab and a duplicated tab get new ids and keep talking', async ({ context }) => {
  const a = await openTab(context, 'channel=ids');
  const b = await openTab(context, 'channel=ids');
  const [firstA, idB] = [await tabIdOf(a), await tabIdOf(b)];
  expect(firstA).not.toBe(idB);

  await a.reload();
  await a.waitForFunction(() => window.__ready === true);
  const secondA = await tabIdOf(a);
  expect([firstA, idB]).not.toContain(secondA);

  const [duplicate] = await Promise.all([
    context.waitForEvent('page'),
    b.evaluate(() => void window.open(location.href)),
  ]);
  await duplicate.waitForFunction(() => window.__ready === true);
  const idDuplicate = await tabIdOf(duplicate);
  expect([firstA, secondA, idB]).not.toContain(idDuplicate);

  const pages = [a, b, duplicate];
  await waitForPresence(pages, [secondA, idB, idDuplicate]);
  for (const [index, page] of pages.entries()) {
    await page.evaluate((index) => window.__sb.publish('e2e.hello', { from: index }), index);
  }
  for (const page of pages) {
    await expect
      .poll(() =>
        page.evaluate(() =>
          window.__inbox.messages
            .filter((m) => m.topic === 'e2e.hello')
            .map((m) => (m.payload as { from: number }).from)
            .sort(),
        ),
      )
      .toEqual([0, 1, 2]);
  }
});

test('when the leader tab closes, another tab leads within 1 s', async ({ tabs, switchboard }) => {
  const pages = await tabs.open(3, '/cross-tab.html?channel=leader');
  for (const page of pages) await switchboard.expectPresence(page, pages);
  const leaderPage = await switchboard.expectLeader(pages);
  const rest = pages.filter((page) => page !== leaderPage);
  expect(await leaderPage.evaluate(() => window.__sb.crossTab.isLeader())).toBe(true);

  const closedAt = Date.now();
  await leaderPage.close();
  // Every remaining tab's last $sys.leader.changed names the same one of them.
  const next = await switchboard.expectLeader(rest, { timeout: 1000 });
  expect(Date.now() - closedAt).toBeLessThan(1000);
  // The API agrees with the events: that tab, and it alone, is leader.
  const newLeader = await switchboard.tabIdOf(next);
  expect(await Promise.all(rest.map((page) => page.evaluate(() => window.__sb.crossTab.leaderTabId())))).toEqual([
    newLeader,
    newLeader,
  ]);
  const flags = await Promise.all(rest.map((page) => page.evaluate(() => window.__sb.crossTab.isLeader())));
  expect(flags).toEqual(rest.map((page) => page === next));
});

test('heartbeat fallback: a leader that vanishes without a goodbye is replaced after the timeout', async ({
  tabs,
  switchboard,
}) => {
  const pages = await tabs.open(
    2,
    '/cross-tab.html?channel=fallback&election=heartbeat&heartbeatMs=100&tabTimeoutMs=400',
  );
  for (const page of pages) await switchboard.expectPresence(page, pages);
  expect(await switchboard.expectLeader(pages)).toBe(pages[0]);
  // Crash-like: the first tab's page is closed without running unload handlers.
  await pages[0]!.close({ runBeforeUnload: false });
  await expect.poll(() => pages[1]!.evaluate(() => window.__sb.crossTab.isLeader()), { timeout: 3000 }).toBe(true);
});

test('garbage posted on the channel by a page script is ignored and counted', async ({ context }) => {
  const [a, b] = [await openTab(context, 'channel=garbage'), await openTab(context, 'channel=garbage')];
  await a.evaluate(() => {
    const channel = new BroadcastChannel('garbage');
    for (const data of [
      'junk',
      42,
      null,
      [1, 2],
      { switchboard: 99, kind: 'batch' },
      ['switchboard', 4, 'batch', 'x'],
    ]) {
      channel.postMessage(data);
    }
    channel.close();
  });
  await a.evaluate(() => window.__sb.publish('e2e.after', 1));
  await b.waitForFunction(() => window.__inbox.messages.some((m) => m.topic === 'e2e.after'));
  const stats = await b.evaluate(() => window.__sb.crossTab.stats());
  expect(stats.ignoredEnvelopes).toMatchObject({ foreign: 4, futureVersion: 1, malformed: 1 });
  const errors = await b.evaluate(() => window.__sb.stats().handlerErrors);
  expect(errors).toBe(0);
});
