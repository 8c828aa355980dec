import { expect, test, type Page } from '@playwright/test';
// Type-only: brings in the `window.__bus` declaration of the smoke page.
import type {} from '../pages/smoke';

interface Seen {
  published: { id: string; topic: string; payload: unknown; ts: number; source: string; tabId: string };
  received: { id: string; topic: string; payload: unknown; tabId: string }[];
}

/** Subscribes to `smoke.hello`, publishes one, flushes, and reports what the handler saw. */
function publishAndCollect(page: Page, payload: unknown): Promise<Seen> {
  return page.evaluate(async (payload) => {
    const bus = window.__bus;
    const received: Seen['received'] = [];
    const unsubscribe = bus.subscribe('smoke.hello', (message) => {
      received.push({
        id: message.id,
        topic: message.topic,
        payload: message.payload,
        tabId: message.origin.tabId,
      });
    });
    const message = bus.publish('smoke.hello', payload);
    await bus.flush();
    unsubscribe();
    return {
      published: {
        id: message.id,
        topic: message.topic,
        payload: message.payload,
        ts: message.ts,
        source: message.source,
        tabId: message.origin.tabId,
      },
      received,
    };
  }, payload);
}

test('each tab delivers its own messages and has its own tabId', async ({ context }) => {
  // Two pages of one context share BroadcastChannel and IndexedDB: two tabs of one browser.
  const tabs = [await context.newPage(), await context.newPage()];
  for (const tab of tabs) {
    await tab.goto('/smoke.html');
    await tab.waitForFunction(() => window.__ready === true);
  }

  const [first, second] = [
    await publishAndCollect(tabs[0]!, { n: 1 }),
    await publishAndCollect(tabs[1]!, { n: 2 }),
  ];

  for (const [seen, n] of [[first, 1], [second, 2]] as const) {
    expect(seen.published).toMatchObject({ topic: 'smoke.hello', payload: { n }, source: 'smoke' });
    expect(seen.published.ts).toBeGreaterThan(0);
    expect(seen.published.tabId).toEqual(expect.any(String));
    // In-tab delivery: the subscriber saw this tab's message exactly once. Filtered by tabId
    // because, once cross-tab exists, the other tab's message may also arrive here.
    const own = seen.received.filter((message) => message.tabId === seen.published.tabId);
    expect(own).toEqual([
      { id: seen.published.id, topic: 'smoke.hello', payload: { n }, tabId: seen.published.tabId },
    ]);
  }
  expect(first.published.id).not.toBe(second.published.id);
  expect(first.published.tabId).not.toBe(second.published.tabId);
});
