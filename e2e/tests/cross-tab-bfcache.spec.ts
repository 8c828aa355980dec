import { debianChromium, expect, test } from '@switchboard/testing/playwright';
// Type-only: brings in the `window.__sb` / `window.__restores` declarations of the page.
import type {} from '../pages/cross-tab';

// Playwright starts Chromium with the back/forward cache turned off; this file turns it back on
// (its own worker), and waits for navigations only until they commit: a page restored from the
// cache fires no load event.
test.use({ launchOptions: { ...debianChromium(), ignoreDefaultArgs: ['--disable-back-forward-cache'] } });

test('a tab in the back/forward cache leaves, stays cached while the others talk, and rejoins when restored', async ({
  tabs,
  switchboard,
}) => {
  // A first and alone, so it leads (it holds the leader lock) when it goes into the cache.
  const [a] = await tabs.open(1, '/cross-tab.html?channel=bfcache&heartbeatMs=100');
  expect(await switchboard.expectLeader([a!])).toBe(a);
  const [b] = await tabs.open(1, '/cross-tab.html?channel=bfcache&heartbeatMs=100');
  for (const page of [a!, b!]) await switchboard.expectPresence(page, [a!, b!]);
  expect(await switchboard.expectLeader([a!, b!])).toBe(a);
  const tabA = await switchboard.tabIdOf(a!);

  await a!.goto('/smoke.html');
  // A said goodbye on pagehide: B sees it gone at once, not after a timeout.
  await switchboard.expectPresence(b!, [b!]);
  // And leadership moved on: the cached page gave its lock up.
  expect(await switchboard.expectLeader([b!])).toBe(b);
  const left = await b!.evaluate(() =>
    window.__inbox.messages.filter((m) => m.topic === '$sys.tab.left').map((m) => m.payload),
  );
  expect(left).toEqual([{ tabId: tabA, reason: 'closed' }]);
  // B goes on sending heartbeats and messages. Chrome evicts a cached page that a channel message
  // reaches, so this is what would turn the way back into a reload if A kept its channel open.
  const postedBefore = await b!.evaluate(() => window.__sb.crossTab.stats().posted);
  await b!.evaluate(() => window.__sb.publish('e2e.while-cached', 1));
  await expect.poll(() => b!.evaluate(() => window.__sb.crossTab.stats().posted)).toBeGreaterThan(postedBefore + 3);

  await a!.goBack({ waitUntil: 'commit' });
  // Restored, not reloaded: the same document, bus and tab id.
  await expect
    .poll(() => a!.evaluate(() => window.__restores), {
      message: 'tab A was reloaded instead of restored from the back/forward cache',
    })
    .toBe(1);
  expect(await a!.evaluate(() => window.__sb.tabId)).toBe(tabA);
  // A rejoined: each tab lists the other again, and messages flow both ways.
  for (const page of [a!, b!]) await switchboard.expectPresence(page, [a!, b!]);
  expect(await switchboard.expectLeader([a!, b!])).toBe(b);
  await b!.evaluate(() => window.__sb.publish('e2e.after', 'to a'));
  await a!.evaluate(() => window.__sb.publish('e2e.after', 'to b'));
  await a!.waitForFunction(() => window.__inbox.messages.some((m) => m.topic === 'e2e.after' && m.payload === 'to a'));
  await b!.waitForFunction(() => window.__inbox.messages.some((m) => m.topic === 'e2e.after' && m.payload === 'to b'));
  // What was published while A was cached never reached it: it had left.
  expect(await a!.evaluate(() => window.__inbox.messages.some((m) => m.topic === 'e2e.while-cached'))).toBe(false);
  const joined = await b!.evaluate(() =>
    window.__inbox.messages
      .filter((m) => m.topic === '$sys.tab.joined')
      .map((m) => (m.payload as { tabId: string }).tabId),
  );
  expect(joined).toEqual([tabA, tabA]);
});
