// The Playwright kit of @switchboard/testing, on one tab at a time (no cross-tab needed).
import {
  expect,
  isTestingError,
  recordedMessages,
  tabIdOf,
  tapTab,
  test,
  waitForMessage,
  waitForQuiet,
} from '@switchboard/testing/playwright';
import type { Page } from '@playwright/test';
import type {} from '../pages/testing-kit';

/** Publishes from the page's first bus (or the one of `app`) and returns the message id. */
function publish(page: Page, topic: string, payload: unknown, app?: string): Promise<string> {
  return page.evaluate(
    ({ topic, payload, app }) => {
      const bus = window.__kit.buses.find((candidate) => app === undefined || candidate.app === app)!;
      return bus.publish(topic, payload).id;
    },
    { topic, payload, app },
  );
}

test('records every delivered message as plain data, filtered by the tap pattern', async ({ tabs }) => {
  const [page] = await tabs.open(1, '/testing-kit.html', { pattern: 'kit.#' });
  const tabId = await tabIdOf(page!);
  const id = await publish(page!, 'kit.hello', { n: 1, when: new Date(0) });
  await publish(page!, 'other.topic', { n: 2 });

  const seen = await recordedMessages(page!);
  expect(seen).toEqual([
    {
      seq: 0,
      id,
      topic: 'kit.hello',
      payload: { n: 1, when: new Date(0) },
      ts: expect.any(Number),
      source: 'kit',
      meta: {},
      origin: { tabId },
      remote: false,
      busApp: 'kit',
    },
  ]);
  expect(await recordedMessages(page!, 'other.#')).toEqual([]);
});

test('records each bus of a tab with several apps, marked with busApp', async ({ tabs }) => {
  const [page] = await tabs.open(1, '/testing-kit.html?apps=shell,orders');
  await publish(page!, 'kit.shell', 1, 'shell');
  await publish(page!, 'kit.orders', 2, 'orders');
  const seen = await recordedMessages(page!, 'kit.#');
  expect(seen.map(({ topic, busApp }) => ({ topic, busApp }))).toEqual([
    { topic: 'kit.shell', busApp: 'shell' },
    { topic: 'kit.orders', busApp: 'orders' },
  ]);
});

test('waitForMessage finds past and future messages, by partial object or function', async ({ tabs }) => {
  const [page] = await tabs.open(1, '/testing-kit.html');
  await publish(page!, 'kit.item', { id: 1 });
  // Already delivered before the wait began: no race with a publish made just before.
  const first = await waitForMessage(page!, 'kit.+', { predicate: { payload: { id: 1 } } });
  expect(first.topic).toBe('kit.item');

  const later = waitForMessage<{ id: number }>(page!, 'kit.item', { predicate: (message) => message.payload.id > 2 });
  await publish(page!, 'kit.item', { id: 2 });
  await publish(page!, 'kit.item', { id: 3 });
  expect((await later).payload).toEqual({ id: 3 });
});

test('waitForMessage times out listing what the tab saw', async ({ tabs }) => {
  const [page] = await tabs.open(1, '/testing-kit.html');
  await publish(page!, 'kit.item', { id: 1 });
  await publish(page!, 'kit.other', { x: true });
  const error = await waitForMessage(page!, 'kit.item', { predicate: { payload: { id: 9 } }, timeout: 200 }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(isTestingError(error) && error.code).toBe('TIMEOUT');
  const text = (error as Error).message;
  expect(text).toContain("waitForMessage('kit.item'): tab ");
  expect(text).toContain('saw no matching message within 200 ms');
  expect(text).toContain('#0 kit.item {"id":1} from kit');
  expect(text).toContain('Other topics it saw: kit.other ×1');
});

test('waitForQuiet waits for async handlers and what they publish', async ({ tabs }) => {
  const [page] = await tabs.open(1, '/testing-kit.html');
  const ping = await publish(page!, 'kit.ping', { delayMs: 100 });
  await waitForQuiet([page!]);
  expect((await recordedMessages(page!, 'kit.pong')).map((message) => message.payload)).toEqual([{ to: ping }]);
});

test('the record starts over on reload, and a wait goes on across it', async ({ tabs }) => {
  const [page] = await tabs.open(1, '/testing-kit.html');
  const before = await tabIdOf(page!);
  await publish(page!, 'kit.before', 1);
  const waiting = waitForMessage(page!, 'kit.after');
  await page!.reload();
  await publish(page!, 'kit.after', 2);
  const after = await waiting;
  expect(after.seq).toBe(0);
  expect(after.origin.tabId).not.toBe(before);
  expect(await recordedMessages(page!, 'kit.before')).toEqual([]);
});

test('helpers say when a page is not tapped, or tapped too late', async ({ page }) => {
  await page.goto('/testing-kit.html');
  await expect(recordedMessages(page)).rejects.toThrow(
    /has no Switchboard recorder; call tapTab\(page\) before page\.goto\(\)/,
  );
  await expect(tapTab(page)).rejects.toThrow(/is already loaded .* tap before page\.goto\(\)/);
  await expect(waitForMessage(page, 'kit.#.x')).rejects.toThrow(/'kit\.#\.x' is not a topic pattern/);
});
