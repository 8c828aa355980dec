import { expect, test } from '@switchboard/testing/playwright';
import type { BrowserContext, Page } from '@playwright/test';
// Type-only: brings in the `window.__sb` / `window.__forger` declarations of the page.
import type {} from '../pages/cross-tab-forgery';

// Short heartbeats keep the file fast: the rule under test is "the effect of one forged envelope
// ends within one heartbeat", whatever its length.
const HEARTBEAT = 250;

async function openTab(context: BrowserContext, channel: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/cross-tab-forgery.html?channel=${channel}&heartbeatMs=${HEARTBEAT}`);
  await page.waitForFunction(() => window.__ready === true);
  return page;
}

const tabIdOf = (page: Page): Promise<string> => page.evaluate(() => window.__sb.tabId);

const liveTabs = (page: Page): Promise<string[]> =>
  page.evaluate(() =>
    window.__sb.crossTab
      .tabs()
      .map((t) => t.tabId)
      .sort(),
  );

async function waitForPresence(pages: Page[]): Promise<string[]> {
  const ids = (await Promise.all(pages.map(tabIdOf))).sort();
  for (const page of pages) await expect.poll(() => liveTabs(page)).toEqual(ids);
  return ids;
}

/**
 * Posts, from `forger`'s page, a copy of the last envelope `victim` posted with `changes` (index
 * -> value) applied: what a page script reading the channel can do. Only the header is kept.
 */
async function forge(forger: Page, victim: string, changes: Record<number, unknown>): Promise<void> {
  // The bus may know the victim from an envelope the script's channel was not yet open for.
  await forger.waitForFunction((tabId) => window.__forger.last(tabId) !== undefined, victim);
  await forger.evaluate(
    ([tabId, edits]) => {
      const last = window.__forger.last(tabId);
      if (last === undefined) throw new Error(`nothing heard from ${tabId}`);
      const forged = last.slice(0, 11);
      for (const [index, value] of Object.entries(edits)) forged[Number(index)] = value;
      window.__forger.post(forged);
    },
    [victim, changes] as const,
  );
}

// Envelope header: 2 kind, 3 sender id, 4 tab id, 6 sequence number, 8 leader, 10 proof.
test('one forged beat with sequence 2^53-1 and a copied sender id does not silence the tab', async ({ context }) => {
  const a = await openTab(context, 'forge-seq');
  const b = await openTab(context, 'forge-seq');
  const [tabA] = [await tabIdOf(a)];
  await waitForPresence([a, b]);
  await forge(b, tabA, { 2: 'beat', 6: 2 ** 53 - 1 });
  // 30 messages over six heartbeats.
  await a.evaluate(async () => {
    for (let n = 0; n < 30; n++) {
      window.__sb.publish('e2e.after', n);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  await expect
    .poll(() => b.evaluate(() => window.__inbox.messages.filter((m) => m.topic === 'e2e.after').map((m) => m.payload)))
    .toEqual(Array.from({ length: 30 }, (_, n) => n));
  expect(await liveTabs(b)).toContain(tabA);
  expect(await b.evaluate(() => window.__sb.crossTab.stats().ignoredEnvelopes.duplicate)).toBe(0);
});

test('forged leader claims make no second leader where Web Locks exist, and are undone within a heartbeat', async ({
  context,
}) => {
  const a = await openTab(context, 'forge-leader');
  await a.waitForFunction(() => window.__sb.crossTab.isLeader());
  const b = await openTab(context, 'forge-leader');
  const c = await openTab(context, 'forge-leader');
  const [tabA, tabB, tabC] = (await Promise.all([a, b, c].map(tabIdOf))) as [string, string, string];
  await waitForPresence([a, b, c]);
  const leaders = async (): Promise<boolean[]> =>
    Promise.all([a, b, c].map((page) => page.evaluate(() => window.__sb.crossTab.isLeader())));

  // B's sender id with the next sequence number, claiming the lead; and a claim in C's own name.
  await c.waitForFunction((tabId) => window.__forger.last(tabId) !== undefined, tabB);
  await c.evaluate(
    ([victim, self]) => {
      const last = window.__forger.last(victim)!.slice(0, 11);
      last[6] = (last[6] as number) + 1;
      last[8] = true;
      window.__forger.post(last);
      window.__forger.post(['switchboard', last[1], 'beat', `${self}.forged`, self, 'x', 1, 0, true, 60_000, '']);
    },
    [tabB, tabC] as const,
  );
  for (let sample = 0; sample < 5; sample++) {
    expect(await leaders()).toEqual([true, false, false]);
    await a.waitForTimeout(HEARTBEAT / 4);
  }
  await expect
    .poll(() => Promise.all([a, b, c].map((page) => page.evaluate(() => window.__sb.crossTab.leaderTabId()))), {
      timeout: 2 * HEARTBEAT,
    })
    .toEqual([tabA, tabA, tabA]);
  expect(await leaders()).toEqual([true, false, false]);
});

test('a forged goodbye neither marks a live tab as left nor fails its in-flight RPC', async ({ context }) => {
  const a = await openTab(context, 'forge-bye');
  const b = await openTab(context, 'forge-bye');
  const tabA = await tabIdOf(a);
  await waitForPresence([a, b]);
  await a.evaluate(() => window.__rpc.handleSlow());
  await b.evaluate(() => window.__rpc.call());
  await a.waitForFunction(() => window.__rpc.handling());
  // Copy a heartbeat of A, so the goodbye carries A's own commitment as its proof.
  await b.waitForFunction((tabId) => window.__forger.last(tabId)?.[2] === 'beat', tabA);
  const seq = await b.evaluate((tabId) => window.__forger.last(tabId)![6] as number, tabA);
  await forge(b, tabA, { 2: 'bye', 6: seq + 1 });
  await b.waitForTimeout(3 * HEARTBEAT);
  expect(await liveTabs(b)).toContain(tabA);
  expect(await b.evaluate(() => window.__inbox.messages.filter((m) => m.topic === '$sys.tab.left'))).toEqual([]);
  expect(await b.evaluate(() => window.__rpc.outcome())).toEqual({ state: 'pending' });
  expect(await b.evaluate(() => window.__sb.crossTab.stats().ignoredEnvelopes.forged)).toBe(1);

  await a.evaluate(() => window.__rpc.release('answered'));
  await expect.poll(() => b.evaluate(() => window.__rpc.outcome())).toEqual({ state: 'resolved', value: 'answered' });
  // A real goodbye still counts: A leaves as closed, not by the silence timeout (timed on a busy
  // machine, a deadline below the timeout would test the machine, not the rule).
  await a.close();
  await expect.poll(() => liveTabs(b)).toEqual([await tabIdOf(b)]);
  expect(
    await b.evaluate(() => window.__inbox.messages.filter((m) => m.topic === '$sys.tab.left').map((m) => m.payload)),
  ).toEqual([expect.objectContaining({ tabId: tabA, reason: 'closed' })]);
});
