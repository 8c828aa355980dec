import { expect, placeOrder, test } from './demo-fixtures.ts';

// The inspector's overview (tabs, circuits, sagas) tells what happened, in whichever tab it is
// opened and whenever: tabs opened before it, and events from before a reload.

test('the tabs list names the apps of tabs opened earlier, each part apart', async ({ openShell }) => {
  const older = await openShell('#/inventory');
  const newer = await openShell('#/orders');
  const olderId = await older.evaluate(() => window.switchboard!.bus.tabId);
  const newerId = await newer.evaluate(() => window.switchboard!.bus.tabId);

  await newer.getByTestId('inspector-toggle').click();
  const olderRow = newer.locator(`[data-testid="tab-row"][data-tab="${olderId}"]`);
  await expect(olderRow.getByTestId('tab-apps')).toHaveText('inventory');
  // Words, not `tc2myjrinventory`: the id, the pills and the apps read apart.
  await expect(olderRow).toHaveText(new RegExp(`^${olderId.slice(0, 7)} .*inventory$`));
  expect(await olderRow.textContent()).not.toContain(`${olderId.slice(0, 7)}inventory`);

  // And the older tab learns what the newer one shows.
  await older.getByTestId('inspector-toggle').click();
  const newerRow = older.locator(`[data-testid="tab-row"][data-tab="${newerId}"]`);
  await expect(newerRow.getByTestId('tab-apps')).toHaveText('orders');
  await expect(newerRow).toHaveText(new RegExp(`^${newerId.slice(0, 7)} .*orders$`));
});

test('after a reload, the sagas and circuits views show what happened before it', async ({ openShell }) => {
  const page = await openShell('#/split');
  const confirmed = await placeOrder(page, 'widget', 1);
  const failed = await placeOrder(page, 'gizmo', 1, { paymentFails: true });

  await page.reload();
  await expect(page.getByTestId('mfe-orders')).toBeVisible();
  await page.getByTestId('inspector-toggle').click();
  const inspector = page.locator('#inspector');
  // Rebuilt from the saga events in history, as the History view lists them.
  await expect(inspector.locator(`[data-testid="saga-row"][data-saga="${confirmed}"]`)).toHaveAttribute(
    'data-status',
    'completed',
  );
  await expect(inspector.locator(`[data-testid="saga-row"][data-saga="${failed}"]`)).toHaveAttribute(
    'data-status',
    'failed',
  );
  // The orders app's breaker started again in this tab: the circuit is known, and closed.
  await expect(inspector.locator('[data-testid="circuit-row"][data-circuit="inventory"]')).toHaveAttribute(
    'data-state',
    'CLOSED',
  );

  await inspector.getByTestId('inspector-history-tab').click();
  await inspector.getByTestId('history-pattern').fill('saga.completed');
  await inspector.getByTestId('history-load').click();
  await expect(inspector.locator('.history-browser [data-testid="message-row"]')).toHaveCount(1);
});
