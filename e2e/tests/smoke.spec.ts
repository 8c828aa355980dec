import { expect, test } from '@switchboard/testing/playwright';
// Type-only: brings in the `window.__bus` declaration of the smoke page.
import type {} from '../pages/smoke';

test('each tab delivers its own messages and has its own tabId', async ({ tabs, switchboard }) => {
  // Two pages of one context share BroadcastChannel and IndexedDB: two tabs of one browser.
  const pages = await tabs.open(2, '/smoke.html');
  const published = [];
  for (const [index, page] of pages.entries()) {
    const n = index + 1;
    const message = await page.evaluate((n) => window.__bus.publish('smoke.hello', { n }), n);
    published.push(message);
    expect(message).toMatchObject({ topic: 'smoke.hello', payload: { n }, source: 'smoke' });
    expect(message.ts).toBeGreaterThan(0);
    expect(message.origin.tabId).toBe(await switchboard.tabIdOf(page));
  }
  await switchboard.waitForQuiet(pages);

  for (const [index, page] of pages.entries()) {
    const own = published[index]!;
    // Filtered by tabId because, once cross-tab exists, the other tab's message may arrive too.
    const delivered = (await switchboard.recordedMessages(page, 'smoke.hello')).filter(
      (message) => message.origin.tabId === own.origin.tabId,
    );
    expect(delivered).toEqual([expect.objectContaining({ id: own.id, payload: own.payload, remote: false })]);
  }
  expect(published[0]!.id).not.toBe(published[1]!.id);
  expect(published[0]!.origin.tabId).not.toBe(published[1]!.origin.tabId);
});
