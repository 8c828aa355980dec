import { expect, test, type BrowserContext, type Frame, type Page } from '@playwright/test';
// Type-only: the `window.__*` declarations of the pages.
import type {} from '../pages/cross-tab';
import type {} from '../pages/frame-child';
import type {} from '../pages/frame-forger';
import type {} from '../pages/frame-host';
import { startOrigin, type ExtraOrigin } from './origins';

// The host (the shell) and the other tab are on origin A, Playwright's server; the framed MFE
// is on origin B, another port of 127.0.0.1; C is an origin the host does not list.
let a: string;
let b: ExtraOrigin;
let c: ExtraOrigin;

test.beforeAll(async ({}, testInfo) => {
  a = testInfo.project.use.baseURL!;
  [b, c] = await Promise.all([startOrigin(a), startOrigin(a)]);
});
test.afterAll(async () => {
  await Promise.all([b?.close(), c?.close()]);
});

interface Hosted {
  readonly host: Page;
  readonly frame: Frame;
}

/** Opens the host page on A; its iframe loads `framePage` from `frameOrigin`. */
async function openHost(
  context: BrowserContext,
  channel: string,
  framePage: string,
  frameOrigin = b.origin,
  extra = '',
): Promise<Hosted> {
  const frameUrl = `${frameOrigin}/${framePage}?host=${encodeURIComponent(a)}${extra}`;
  const host = await context.newPage();
  await host.goto(
    `/frame-host.html?channel=${channel}&heartbeatMs=200&origin=${encodeURIComponent(b.origin)}&frame=${encodeURIComponent(frameUrl)}`,
  );
  await host.waitForFunction(() => window.__ready === true);
  // Playwright learns of the iframe a moment after the page added it.
  const find = () => host.frames().find((f) => f.url().startsWith(`${frameOrigin}/${framePage}`));
  await expect.poll(() => find() !== undefined, { message: `no frame at ${frameUrl}` }).toBe(true);
  return { host, frame: find()! };
}

async function openPeer(context: BrowserContext, channel: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/cross-tab.html?channel=${channel}&app=inventory`);
  await page.waitForFunction(() => window.__ready === true);
  return page;
}

const joined = (frame: Frame) => frame.waitForFunction(() => window.__joined === 'joined');
const peerTopics = (peer: Page) =>
  peer.evaluate(() => window.__inbox.messages.filter((m) => m.topic.startsWith('e2e.')).map((m) => m.topic));

test('frame to host to another tab and back, stored by the host; outside its permissions a publish throws and nothing crosses', async ({
  context,
}) => {
  const [{ host, frame }, peer] = await Promise.all([
    openHost(context, 'frame-talk', 'frame-child.html'),
    openPeer(context, 'frame-talk'),
  ]);
  await joined(frame);
  await frame.evaluate(() => window.__frameBus.publish('e2e.orders.placed', { id: 'o1' }, { correlationId: 'c1' }));
  await expect.poll(() => peerTopics(peer)).toEqual(['e2e.orders.placed']);
  const arrived = await peer.evaluate(() => window.__inbox.messages.find((m) => m.topic === 'e2e.orders.placed')!);
  expect(arrived).toMatchObject({ source: 'orders', payload: { id: 'o1' }, meta: { correlationId: 'c1' } });
  expect(arrived.origin.tabId).toBe(await host.evaluate(() => window.__sb.tabId));

  await peer.evaluate(() => window.__sb.publish('e2e.inventory.reserved', { sku: 'a' }));
  await expect
    .poll(() => frame.evaluate(() => window.__received.map((m) => `${m.topic} from ${m.source}`)))
    .toEqual(['e2e.orders.placed from orders', 'e2e.inventory.reserved from inventory']);

  await host.evaluate(() => window.__sb.flush());
  const stored = await host.evaluate(async () => (await window.__history.getHistory('e2e.orders.#')).map((m) => m.id));
  expect(stored).toEqual([arrived.id]);

  const thrown = await frame.evaluate(() => {
    try {
      window.__frameBus.publish('e2e.billing.charged', { amount: 5 });
      return 'published';
    } catch (error) {
      const { name, code, subject } = error as Error & { code: string; subject: string };
      return `${name} ${code} ${subject}`;
    }
  });
  expect(thrown).toBe('PermissionError PERMISSION_DENIED e2e.billing.charged');
  // Sent after the refused one: once it arrives, the refused one would have too.
  await frame.evaluate(() => window.__frameBus.publish('e2e.orders.marker', {}));
  await expect
    .poll(() => peerTopics(peer))
    .toEqual(['e2e.orders.placed', 'e2e.inventory.reserved', 'e2e.orders.marker']);
  const denial = await peer.evaluate(() => window.__inbox.messages.find((m) => m.topic === '$sys.app.denied'));
  expect(denial).toMatchObject({ source: 'orders', payload: { app: 'orders', subject: 'e2e.billing.charged' } });
});

test('a frame forging $sys. or another app’s source, or claiming another app, gets nothing through', async ({
  context,
}) => {
  const [{ host, frame }, peer] = await Promise.all([
    openHost(context, 'frame-forge', 'frame-forger.html'),
    openPeer(context, 'frame-forge'),
  ]);
  await frame.waitForFunction(() => typeof window.__hello === 'function');
  expect(await frame.evaluate(() => window.__hello('billing'))).toBe(false);
  await expect
    .poll(() => host.evaluate(() => window.__errors))
    .toEqual([expect.stringContaining("FrameRefusedError FRAME_REFUSED: connectFrame('orders'): the frame at")]);
  expect(await frame.evaluate(() => window.__hello('orders'))).toBe(true);
  await frame.evaluate(() => {
    window.__send({ t: 'pub', topic: '$sys.tab.left', payload: { tabId: 'x', reason: 'closed' }, meta: {} });
    window.__send({ t: 'pub', topic: '$sys.leader.changed', payload: {}, meta: {} });
    window.__send({ t: 'pub', topic: 'e2e.billing.charged', payload: {}, meta: {} });
    window.__send({ t: 'pub', topic: 'e2e.orders.placed', payload: {}, meta: {}, source: 'billing', id: 'forged' });
  });
  await expect.poll(() => peerTopics(peer)).toEqual(['e2e.orders.placed']);
  const placed = await peer.evaluate(() => window.__inbox.messages.find((m) => m.topic === 'e2e.orders.placed')!);
  expect(placed.source).toBe('orders');
  expect(placed.id).not.toBe('forged');
  const sys = await peer.evaluate(() =>
    window.__inbox.messages.filter((m) => m.topic === '$sys.tab.left' || m.topic === '$sys.leader.changed'),
  );
  expect(sys.filter((m) => m.source === 'orders')).toEqual([]);
  await expect
    .poll(() => frame.evaluate(() => window.__down.filter((d) => (d as { t: string }).t === 'refused').length))
    .toBe(3);
});

test('a frame from an origin the host does not list is refused and reported; it never joins', async ({ context }) => {
  const { host, frame } = await openHost(context, 'frame-unlisted', 'frame-child.html', c.origin, '&timeoutMs=800');
  await frame.waitForFunction(() => window.__joined !== undefined);
  expect(await frame.evaluate(() => window.__joined)).toContain("TimeoutError: joinHost('orders'): no host at");
  const errors = await host.evaluate(() => window.__errors);
  expect(errors[0]).toContain(
    `FrameRefusedError FRAME_REFUSED: connectFrame('orders'): ignored a message from the frame at ${c.origin}`,
  );
  expect(await host.evaluate(() => window.__frames.stats().refused.origin)).toBeGreaterThan(0);
  expect(await host.evaluate(() => window.__connection.state)).toBe('waiting');
});

test('a reloaded frame rejoins; a removed frame is dropped within two heartbeats with its subscriptions', async ({
  context,
}) => {
  const { host, frame } = await openHost(context, 'frame-reload', 'frame-child.html');
  await joined(frame);
  await frame.evaluate(() => window.__frameBus.flush());
  const [before, joinedWith] = await host.evaluate(async () => {
    await window.__sb.flush();
    return [window.__subscriptionsBefore, window.__sb.stats().subscriptions];
  });
  // The frame's e2e.# and the session's own (the host's leadership, sent down to the frame).
  expect(joinedWith).toBeGreaterThan(before);
  await frame.evaluate(() => location.reload());
  await frame.waitForFunction(() => window.__joined === 'joined');
  const leftAndJoined = () =>
    host.evaluate(() =>
      window.__inbox.messages
        .filter((m) => m.topic.startsWith('$sys.frame.'))
        .map((m) => `${m.topic} ${(m.payload as { reason?: string }).reason ?? ''}`.trim()),
    );
  await expect.poll(leftAndJoined).toEqual(['$sys.frame.joined', '$sys.frame.left closed', '$sys.frame.joined']);
  await host.evaluate(() => window.__sb.publish('e2e.after-reload', {}));
  await expect.poll(() => frame.evaluate(() => window.__received.map((m) => m.topic))).toEqual(['e2e.after-reload']);

  const removedAt = await host.evaluate(() => {
    window.__removeFrame();
    return Date.now();
  });
  await host.waitForFunction(() => window.__connection.state === 'waiting');
  const elapsed = (await host.evaluate(() => Date.now())) - removedAt;
  expect(elapsed).toBeLessThan(2 * 200 + 150);
  expect((await leftAndJoined()).at(-1)).toMatch(/^\$sys\.frame\.left (closed|removed)$/);
  expect(await host.evaluate(() => window.__sb.stats().subscriptions)).toBe(before);
});
