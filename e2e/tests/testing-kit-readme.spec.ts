// The complete example of packages/testing/README.md, run as is to keep it true. In your suite,
// replace the URL with your app's and the `publish` helper with clicks in your UI.
import { expect, test } from '@switchboard/testing/playwright';
import type { Page } from '@playwright/test';
import type {} from '../pages/testing-kit';

const APP = '/testing-kit.html?crossTab=readme-example';

// Here the page exposes its buses; a real app would publish when a button is clicked.
async function placeOrder(page: Page, id: string): Promise<void> {
  await page.evaluate((id) => void window.__kit.buses[0]!.publish('orders.created', { id, total: 42 }), id);
}

test('an order placed in one tab reaches every other tab', async ({ tabs, switchboard }) => {
  const [orders, inventory, billing] = await tabs.open(3, APP);
  await placeOrder(orders!, 'o1');

  // Waits for a match: messages seen before the call count too, so there is no race.
  const created = await switchboard.waitForMessage(inventory!, 'orders.created', {
    predicate: { payload: { id: 'o1' }, remote: true },
  });
  expect(created.origin.tabId).toBe(await switchboard.tabIdOf(orders!));

  // Everything flushed everywhere: now "exactly once" can be asserted, not just "at least".
  await switchboard.waitForQuiet([orders!, inventory!, billing!]);
  expect(await switchboard.recordedMessages(billing!, 'orders.#')).toHaveLength(1);
});

test('another tab takes over when the leader closes', async ({ tabs, switchboard }) => {
  const all = await tabs.open(3, APP);
  const leader = await switchboard.expectLeader(all);

  await leader.close();
  const rest = all.filter((tab) => tab !== leader);
  const next = await switchboard.expectLeader(rest);
  await switchboard.expectPresence(next, rest);
});
