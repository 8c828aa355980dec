import { expect, test, type BrowserContext, type Page } from '@playwright/test';
// Type-only: brings in the `window.__sb` / `window.__hubLink` declarations of the page.
import type {} from '../pages/frame-hub';
import type {} from '../pages/frame-hub-host';
import { startOrigin, type ExtraOrigin } from './origins';

// Three origins of one site (127.0.0.1 on three ports): A is Playwright's server, B another
// origin with its own tabs, H the hub's origin.
let a: string;
let b: ExtraOrigin;
let h: ExtraOrigin;

test.beforeAll(async ({}, testInfo) => {
  a = testInfo.project.use.baseURL!;
  b = await startOrigin(a);
  h = await startOrigin(a);
});
test.afterAll(async () => {
  await b?.close();
  await h?.close();
});

/** Opens a host page at `origin` that embeds the hub; `hosts` are the origins the hub serves. */
async function openTab(context: BrowserContext, origin: string, app: string, channel: string, hosts: string[]) {
  const hub = `${h.origin}/frame-hub.html?${hosts.map((host) => `host=${encodeURIComponent(host)}`).join('&')}&channel=${channel}`;
  const page = await context.newPage();
  await page.goto(`${origin}/frame-hub-host.html?app=${app}&channel=${channel}&hub=${encodeURIComponent(hub)}`);
  await page.waitForFunction(() => window.__ready === true);
  return page;
}

const topicsOf = (page: Page) =>
  page.evaluate(() => window.__inbox.messages.filter((m) => m.topic.startsWith('e2e.')).map((m) => m.topic));

test('two tabs on two origins talk through the hub, and a second tab of one origin gets each message once', async ({
  context,
}) => {
  const hosts = [a, b.origin];
  const [orders, orders2, inventory] = await Promise.all([
    openTab(context, a, 'orders', 'hub-talk', hosts),
    openTab(context, a, 'orders', 'hub-talk', hosts),
    openTab(context, b.origin, 'inventory', 'hub-talk', hosts),
  ]);
  for (const page of [orders, orders2, inventory]) {
    await page.evaluate(() => window.__hubLink.ready());
  }
  const sent = await orders.evaluate(() => window.__sb.publish('e2e.placed', { id: 'o1' }, { correlationId: 'c1' }));
  await expect.poll(() => topicsOf(inventory)).toEqual(['e2e.placed']);
  const got = await inventory.evaluate(() => window.__inbox.messages.find((m) => m.topic === 'e2e.placed'));
  expect(got).toEqual(sent);
  await inventory.evaluate(() => window.__sb.publish('e2e.reserved', { sku: 'a' }));
  await expect.poll(() => topicsOf(orders)).toEqual(['e2e.placed', 'e2e.reserved']);
  await expect.poll(() => topicsOf(orders2)).toEqual(['e2e.placed', 'e2e.reserved']);
  // Nothing arrives twice: orders2 got 'e2e.placed' by cross-tab and dropped the hub's copy.
  await expect.poll(() => orders2.evaluate(() => window.__hubLink.stats().sameOrigin)).toBe(1);
  expect(await topicsOf(inventory)).toEqual(['e2e.placed', 'e2e.reserved']);
});

test('a page on another site reports the hub partitioned and relays nothing', async ({ context }) => {
  const hosts = [a, b.otherSite];
  const [inside, outside] = await Promise.all([
    openTab(context, a, 'orders', 'hub-split', hosts),
    openTab(context, b.otherSite, 'inventory', 'hub-split', hosts),
  ]);
  await inside.evaluate(() => window.__hubLink.ready());
  const error = await outside.evaluate(() =>
    window.__hubLink.ready().then(
      () => 'connected',
      (e: Error & { reason?: string }) => `${e.name} ${e.reason}`,
    ),
  );
  expect(error).toBe('HubUnreachableError partitioned');
  expect(await outside.evaluate(() => window.__errors)).toEqual([
    expect.stringContaining('the hub is third-party in this page'),
  ]);
  await outside.evaluate(() => window.__sb.publish('e2e.lost', {}));
  await inside.evaluate(() => window.__sb.publish('e2e.kept', {}));
  await inside.evaluate(() => window.__sb.flush());
  await expect.poll(() => topicsOf(inside)).toEqual(['e2e.kept']);
  expect(await topicsOf(outside)).toEqual(['e2e.lost']);
});
