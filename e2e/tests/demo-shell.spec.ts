import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, placeOrder, test, waitForApps, type ShellRoute } from './demo-fixtures.ts';

/** Subscriptions on the tab's bus and the adapters attached to it. */
function busState(page: Page): Promise<{ subscriptions: number; adapters: string[]; styles: number }> {
  return page.evaluate(() => {
    const stats = window.switchboard!.bus.stats();
    return {
      subscriptions: stats.subscriptions,
      adapters: [...stats.adapters].sort(),
      styles: document.head.querySelectorAll('style').length,
    };
  });
}

async function go(page: Page, route: ShellRoute): Promise<void> {
  await page.evaluate((hash) => (location.hash = hash), route);
  await waitForApps(page, route);
}

test('mounting and unmounting the MFEs leaves no subscription behind', async ({ openShell }) => {
  const page = await openShell('#/');
  // The dashboard's first aggregate call settles before the baseline is taken.
  await expect(page.getByTestId('dashboard-status')).toContainText('sources answered');
  const baseline = await busState(page);

  for (let cycle = 0; cycle < 3; cycle++) {
    for (const route of ['#/orders', '#/inventory', '#/split', '#/'] as const) await go(page, route);
    await expect(page.getByTestId('dashboard-status')).toContainText('sources answered');
    await expect.poll(() => busState(page)).toEqual(baseline);
  }
  expect(await page.evaluate(() => window.switchboard!.mountedApps())).toEqual(['dashboard']);
});

test('the dashboard aggregates both MFEs across tabs; screenshot of the inspector', async ({ openShell }) => {
  await openShell('#/inventory'); // the inventory MFE answers from another tab
  const tabA = await openShell('#/split');
  await tabA.setViewportSize({ width: 1680, height: 1000 });

  await placeOrder(tabA, 'widget', 2);
  await placeOrder(tabA, 'gizmo', 1, { paymentFails: true });

  const dashboard = await openShell('#/');
  await expect(dashboard.getByTestId('card-orders')).toContainText('confirmed');
  await expect(dashboard.getByTestId('dashboard-status')).toContainText('2/2 sources answered');
  await expect(dashboard.getByTestId('card-inventory')).toContainText('units in stock');
  await dashboard.close();

  await tabA.getByTestId('inspector-toggle').click();
  const inspector = tabA.locator('#inspector');
  await expect(inspector.getByTestId('tab-row')).toHaveCount(2);
  await expect(inspector.locator('[data-testid="tab-row"][data-leader="true"]')).toHaveCount(1);
  await expect(inspector.locator('[data-testid="saga-row"][data-status="completed"]')).toHaveCount(1);
  await expect(inspector.locator('[data-testid="saga-row"][data-status="failed"]')).toHaveCount(1);
  await expect(inspector.locator('[data-testid="circuit-row"][data-circuit="inventory"]')).toHaveAttribute(
    'data-state',
    'CLOSED',
  );
  await expect(inspector.locator('[data-testid="message-row"][data-topic="orders.confirmed"]')).toHaveCount(1);

  // A half-typed pattern is refused, not matched against: the filter says why and shows nothing.
  const filter = inspector.getByTestId('live-filter');
  await filter.fill('inventory.');
  await expect(filter).toHaveClass(/invalid/);
  await expect(filter).toHaveAttribute('title', /segment 2 is empty/);
  await expect(inspector.locator('[data-testid="message-row"]')).toHaveCount(0);

  // The topic filter narrows the live list.
  await filter.fill('inventory.#');
  await expect(filter).not.toHaveClass(/invalid/);
  await expect(inspector.locator('[data-testid="message-row"][data-topic^="orders."]')).toHaveCount(0);
  await expect(inspector.locator('[data-testid="message-row"][data-topic="inventory.released"]')).toHaveCount(1);

  // The history browser reads IndexedDB: it has the tab B inventory events too.
  await inspector.getByTestId('inspector-history-tab').click();
  await inspector.getByTestId('history-pattern').fill('inventory.#');
  await inspector.getByTestId('history-load').click();
  const stored = inspector.locator('.history-browser [data-testid="message-row"]');
  await expect(stored.and(inspector.locator('[data-topic="inventory.reserved"]'))).toHaveCount(2);
  await expect(stored.and(inspector.locator('[data-topic="inventory.released"]'))).toHaveCount(1);

  await inspector.getByTestId('inspector-live-tab').click();
  await filter.fill('#');
  const path = fileURLToPath(new URL('../../docs/screenshots/shell-inspector.png', import.meta.url));
  await tabA.screenshot({ path });
});
