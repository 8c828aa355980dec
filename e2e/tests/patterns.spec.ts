import { expect, test } from '@switchboard/testing/playwright';
// Type-only: brings in the `window.__patterns` declaration of the page.
import type {} from '../pages/patterns';

const PAGE = '/patterns.html';

test('RPC is answered by another tab exactly once with three tabs able to answer', async ({ tabs }) => {
  const handlers = await tabs.open(3, PAGE);
  for (const page of handlers) await page.evaluate(() => window.__patterns.handle('who'));
  const [caller] = await tabs.open(1, PAGE);
  // A new tab hears the handlers' announcements within moments; until then it picks the best
  // tab heard so far. Wait until it knows all three so the rule below is the one that applies.
  await caller!.waitForFunction(() => window.__patterns.targets('who').length === 3);
  const answer = await caller!.evaluate(() => window.__patterns.request('who'));
  const ids = await Promise.all(handlers.map((page) => page.evaluate(() => window.__patterns.tabId)));
  const counts = await Promise.all(handlers.map((page) => page.evaluate(() => window.__patterns.handled)));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
  // The documented rule: the lowest tab id among the tabs handling the method.
  expect(await caller!.evaluate(() => window.__patterns.targets('who'))).toEqual([...ids].sort());
  expect(answer).toBe([...ids].sort()[0]);
  expect(counts[ids.indexOf(answer)]).toBe(1);
});

test('a circuit opened in tab A makes tab B fail fast', async ({ tabs }) => {
  const [a, b] = await tabs.open(2, PAGE);
  expect(await a!.evaluate(() => window.__patterns.failInventory())).toBe('inventory down');
  expect(await a!.evaluate(() => window.__patterns.failInventory())).toBe('inventory down');
  expect(await a!.evaluate(() => window.__patterns.breakerState())).toBe('OPEN');
  await b!.waitForFunction(() => window.__patterns.breakerState() === 'OPEN');
  expect(await b!.evaluate(() => window.__patterns.callInventory())).toBe('CIRCUIT_OPEN');
  expect(await b!.evaluate(() => window.__patterns.inventoryCalls)).toBe(0);
  // A tab opened later learns the state too.
  const [late] = await tabs.open(1, PAGE);
  await late!.waitForFunction(() => window.__patterns.breakerState() === 'OPEN');
});

test('a saga whose tab is closed mid-way is compensated after the next start, exactly once', async ({ tabs }) => {
  const order = `o${Date.now()}`;
  const [a] = await tabs.open(1, PAGE);
  await a!.evaluate((o) => window.__patterns.startSaga(o), order);
  await a!.waitForFunction((o) => localStorage.getItem(`pay:${o}`) === '1', order);
  await a!.close({ runBeforeUnload: true });

  // Two tabs start; the closed tab's lease runs out after a second and one of them compensates.
  const [b, c] = await tabs.open(2, PAGE);
  await b!.waitForFunction((o) => localStorage.getItem(`release:${o}`) !== null, order, { timeout: 10_000 });
  // Once the saga has left the log, no tab can claim it again.
  await expect.poll(() => c!.evaluate(() => window.__patterns.unfinishedSagas()), { timeout: 10_000 }).toEqual([]);
  const effects = await c!.evaluate(
    (o) => ({
      reserve: localStorage.getItem(`reserve:${o}`),
      pay: localStorage.getItem(`pay:${o}`),
      release: localStorage.getItem(`release:${o}`),
      refund: localStorage.getItem(`refund:${o}`),
    }),
    order,
  );
  expect(effects).toEqual({ reserve: '1', pay: '1', release: '1', refund: null });
});
