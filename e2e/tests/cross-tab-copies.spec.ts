import { expect, test, type Page } from '@playwright/test';
// Type-only: the window declarations of both pages.
import type {} from '../pages/cross-tab';
import type {} from '../pages/cross-tab-copies';
import { bundleSecondCopy, serveSecondCopy } from './second-copy.ts';

const COPY_URL = '/__second-copy/switchboard-cross-tab.js';

let secondCopy = '';
test.beforeAll(async () => {
  secondCopy = await bundleSecondCopy(
    new URL('../../packages/cross-tab/src/index.ts', import.meta.url),
    'switchboard-cross-tab',
  );
});

test('two bundled copies in one page: each subscriber gets each message exactly once', async ({ context }) => {
  const copies = await context.newPage();
  await serveSecondCopy(copies, COPY_URL, secondCopy);
  await copies.goto(`/cross-tab-copies.html?channel=copies&copy=${encodeURIComponent(COPY_URL)}`);
  await copies.waitForFunction(() => window.__ready === true);
  const other = await context.newPage();
  await other.goto('/cross-tab.html?channel=copies&app=other');
  await other.waitForFunction(() => window.__ready === true);

  const layout = await copies.evaluate(() => ({
    sameModule: window.__sameModule,
    tabIds: window.__copies.map((copy) => copy.bus.tabId),
  }));
  expect(layout.sameModule).toBe(false);
  // Both copies read the tab id from the shared registry: one tab, one id.
  expect(layout.tabIds[0]).toBe(layout.tabIds[1]);
  const otherTabId = await other.evaluate(() => window.__sb.tabId);

  await copies.evaluate(() => {
    window.__copies[0]!.bus.publish('e2e.from-copy-1', 1);
    window.__copies[1]!.bus.publish('e2e.from-copy-2', 2);
  });
  await other.evaluate(() => void window.__sb.publish('e2e.from-other', 3));

  const expected = ['e2e.from-copy-1', 'e2e.from-copy-2', 'e2e.from-other'];
  await expect
    .poll(() =>
      copies.evaluate(() =>
        window.__copies.map((copy) =>
          copy.inbox.messages
            .filter((m) => m.topic.startsWith('e2e.'))
            .map((m) => m.topic)
            .sort(),
        ),
      ),
    )
    .toEqual([expected, expected]);
  await expect
    .poll(() =>
      other.evaluate(() =>
        window.__inbox.messages
          .filter((m) => m.topic.startsWith('e2e.'))
          .map((m) => m.topic)
          .sort(),
      ),
    )
    .toEqual(expected);

  // Presence: one tab holding both apps, and the other tab, seen alike from all three buses.
  const presence = (page: Page, index?: number) =>
    page.evaluate((index) => {
      const crossTab =
        index === undefined
          ? window.__sb.crossTab
          : (window.__copies[index]!.bus as unknown as typeof window.__sb).crossTab;
      return crossTab
        .tabs()
        .map((tab) => [tab.tabId, [...tab.apps].sort()])
        .sort();
    }, index);
  const want = [
    [layout.tabIds[0], ['copy-1', 'copy-2']],
    [otherTabId, ['other']],
  ].sort();
  await expect.poll(() => presence(copies, 0)).toEqual(want);
  await expect.poll(() => presence(copies, 1)).toEqual(want);
  await expect.poll(() => presence(other)).toEqual(want);

  // One channel and one heartbeat for the page, whichever copy opened it: the copies read the
  // same post counter, and the other tab hears one sender from that page.
  const posted = await copies.evaluate(() =>
    window.__copies.map((copy) => (copy.bus as unknown as typeof window.__sb).crossTab.stats().posted),
  );
  expect(posted[0]).toBe(posted[1]);
  const senders = await other.evaluate(
    (tabId) =>
      new Promise<string[]>((resolve) => {
        const channel = new BroadcastChannel('copies');
        const seen = new Set<string>();
        channel.onmessage = (event) => {
          if ((event.data as unknown[])[4] === tabId) seen.add((event.data as unknown[])[3] as string);
        };
        setTimeout(() => {
          channel.close();
          resolve([...seen]);
        }, 2500);
      }),
    layout.tabIds[0],
  );
  expect(senders).toHaveLength(1);
});
