import type { Page } from '@playwright/test';
import { expect, test } from '@switchboard/testing/playwright';
// Type-only: brings in the `window.__stores` declaration of the page.
import type {} from '../pages/stores';

// Each test gets a database and a channel of its own; the tap records only the retained topic.
const page = (run: string, app = 'ledger') => `/stores.html?run=${run}&app=${app}`;
const only = { pattern: 'session.#' };
const runId = () => `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function ready(pages: Page[]): Promise<void> {
  await Promise.all(pages.map((tab) => tab.evaluate(() => window.__stores.ready())));
}

async function settled(pages: Page[], value: number): Promise<void> {
  for (const tab of pages) {
    await tab
      .waitForFunction((v) => window.__stores.value() === v && window.__stores.pending() === 0, value, {
        timeout: 30_000,
      })
      .catch(async (error: unknown) => {
        const states = await Promise.all(pages.map((page) => page.evaluate(() => window.__stores.describe())));
        throw new Error(`tabs did not settle at ${value}: ${JSON.stringify(states)}`, { cause: error });
      });
  }
}

test('4 tabs x 1,000 concurrent updates end at 4,000 in every tab and in the persisted snapshot', async ({ tabs }) => {
  test.setTimeout(120_000);
  const run = runId();
  const all = await tabs.open(4, page(run), only);
  await ready(all);
  await Promise.all(all.map((tab) => tab.evaluate(() => window.__stores.increment(1000))));
  await settled(all, 4000);
  for (const tab of all) expect(await tab.evaluate(() => window.__stores.rejected)).toEqual([]);
  expect(await all[3]!.evaluate(() => window.__stores.acked)).toBe(1000);
  expect(await all[0]!.evaluate(() => window.__stores.persisted())).toBe(4000);

  // Every tab closed, then one opens alone: it starts from the last state.
  for (const tab of all) await tab.close({ runBeforeUnload: true });
  const [lone] = await tabs.open(1, page(run), only);
  await ready([lone!]);
  expect(await lone!.evaluate(() => window.__stores.value())).toBe(4000);
});

test('the leader closed mid-stream: 3,000 plus exactly the updates it had acknowledged', async ({ tabs }) => {
  test.setTimeout(120_000);
  const run = runId();
  const all = await tabs.open(4, page(run), only);
  await ready(all);
  await all[0]!.waitForFunction(() => window.__stores.isLeader());
  const leader = all[0]!;
  await Promise.all(all.map((tab) => tab.evaluate(() => window.__stores.increment(1000))));
  await leader.waitForFunction(() => window.__stores.acked >= 100);
  const leaderId = await leader.evaluate(() => window.__stores.tabId);
  await leader.close({ runBeforeUnload: true });
  const rest = all.slice(1);
  // Its count was announced on the channel ahead of its goodbye; read where the goodbye arrived
  // (localStorage reaches another tab's renderer on a path of its own, possibly later).
  await rest[0]!.waitForFunction((id) => window.__stores.gone(id), leaderId);
  const acked = await rest[0]!.evaluate((id) => window.__stores.ackedBy(id), leaderId);
  expect(acked).toBeGreaterThanOrEqual(100);
  await settled(rest, 3000 + acked);
  for (const tab of rest) expect(await tab.evaluate(() => window.__stores.rejected)).toEqual([]);
  expect(await rest[0]!.evaluate(() => window.__stores.acked)).toBe(1000);
});

test('a two-store transaction that fails is rolled back in every tab; one that succeeds applies in every tab', async ({
  tabs,
}) => {
  const run = runId();
  const [a, b] = await tabs.open(2, page(run), only);
  await ready([a!, b!]);
  expect(await b!.evaluate(() => window.__stores.transfer(30, true))).toBe('TransactionAbortedError');
  expect(await b!.evaluate(() => window.__stores.transfer(1000, false))).toBe('TransactionAbortedError');
  expect(await a!.evaluate(() => window.__stores.transfer(10, false))).toBe('applied');
  for (const tab of [a!, b!]) {
    await tab.waitForFunction(() => window.__stores.balances().ledger.length === 1);
    expect(await tab.evaluate(() => window.__stores.balances())).toEqual({
      accounts: { alice: 90, bob: 10 },
      ledger: ['alice->bob:10'],
    });
  }
});

test('a write by an app that does not own the store is refused, and nothing changes anywhere', async ({ tabs }) => {
  const run = runId();
  const [owner] = await tabs.open(1, page(run), only);
  const [intruder] = await tabs.open(1, page(run, 'intruder'), only);
  await ready([owner!, intruder!]);
  expect(await intruder!.evaluate(() => window.__stores.tryWrite())).toBe('PERMISSION_DENIED');
  expect(await owner!.evaluate(() => window.__stores.value())).toBe(0);
  expect(await intruder!.evaluate(() => window.__stores.value())).toBe(0);
});

test('a late-mounted MFE gets the retained messages at once, in its tab and in a tab opened later', async ({
  tabs,
}) => {
  const run = runId();
  const [a] = await tabs.open(1, page(run), only);
  await a!.evaluate(() => window.__stores.publishRetained('Ada'));
  await a!.evaluate(() => window.__stores.publishRetained('Grace'));
  await a!.evaluate(() => window.__stores.mount());
  expect(await a!.evaluate(() => window.__stores.mountedPayloads())).toEqual([{ name: 'Grace' }]);
  const [b] = await tabs.open(1, page(run), only);
  await b!.evaluate(() => window.__stores.mount());
  await b!.waitForFunction(() => window.__stores.mountedPayloads().length === 1);
  expect(await b!.evaluate(() => window.__stores.mountedPayloads())).toEqual([{ name: 'Grace' }]);
});
