import { expect, placeOrder, startOrder, stockOf, test } from './demo-fixtures.ts';

// The demo's story across tabs: orders in tab A, inventory in tab B, both on the shell's origin
// (one BroadcastChannel and one IndexedDB), each MFE loaded from its own server.

test('an order placed in tab A takes stock in tab B, and is still listed after A reloads', async ({ openShell }) => {
  const tabA = await openShell('#/orders');
  const tabB = await openShell('#/inventory');
  expect(await stockOf(tabB, 'widget')).toBe(10);

  const orderId = await placeOrder(tabA, 'widget', 2);

  const row = tabA.getByTestId('order-row').first();
  await expect(row).toHaveAttribute('data-status', 'confirmed');
  await expect(tabB.getByTestId('stock-widget')).toHaveText('8');

  await tabA.reload();
  // Rebuilt from IndexedDB history, not kept in memory.
  await expect(tabA.getByTestId('order-row')).toHaveCount(1);
  await expect(tabA.locator(`[data-order="${orderId}"]`)).toHaveAttribute('data-status', 'confirmed');
  await expect(tabB.getByTestId('stock-widget')).toHaveText('8');
});

test('a failing payment compensates: the stock reserved in tab B comes back', async ({ openShell }) => {
  const tabA = await openShell('#/orders');
  const tabB = await openShell('#/inventory');

  const orderId = await placeOrder(tabA, 'gadget', 3, { paymentFails: true });

  const row = tabA.locator(`[data-order="${orderId}"]`);
  await expect(row).toHaveAttribute('data-status', 'failed');
  await expect(row).toContainText('payment declined');
  const steps = tabA.getByTestId('saga-progress');
  await expect(steps.locator('[data-step="reserve stock"]')).toHaveAttribute('data-status', 'compensated');
  await expect(steps.locator('[data-step="take payment"]')).toHaveAttribute('data-status', 'failed');
  await expect(steps.locator('[data-step="confirm order"]')).toHaveAttribute('data-status', 'waiting');
  // B saw the reservation and its release, and is back where it started.
  const activity = tabB.getByTestId('mfe-inventory').locator('.activity');
  await expect(activity).toContainText('reserved 3 × gadget');
  await expect(activity).toContainText('released 3 × gadget');
  await expect(tabB.getByTestId('stock-gadget')).toHaveText('5');
});

test('inventory failing opens the circuit in both tabs, with a visible fallback', async ({ openShell }) => {
  const tabA = await openShell('#/orders');
  const tabB = await openShell('#/inventory');
  const orders = tabA.getByTestId('mfe-orders');
  await expect(orders.locator('option[value="widget"]')).toBeAttached();

  await tabB.getByTestId('inventory-outage').check();

  // Every call into inventory now fails; after `threshold` failures (counted across tabs) the
  // circuit opens. Place orders until it does (if it has not yet): each attempt is one more failure.
  const circuitA = orders.getByTestId('orders-circuit');
  for (let attempt = 0; attempt < 5 && (await circuitA.getAttribute('data-state')) !== 'OPEN'; attempt++) {
    const button = orders.getByTestId('place-order');
    await expect(button).toHaveText(/Place order|Checkout paused/);
    if (await button.isDisabled()) break;
    const outcome = orders.getByTestId('checkout-outcome');
    // Orders asks for the stock again while inventory fails, so the circuit may open between the
    // look above and the click (the button is then disabled, and the click does nothing): each
    // attempt ends with the order failed, or with the circuit open.
    await button.click({ timeout: 2000 }).catch(() => {});
    await expect
      .poll(async () => ((await circuitA.getAttribute('data-state')) === 'OPEN' ? 'OPEN' : await outcome.textContent()))
      .toMatch(/OPEN|failed/);
  }

  await expect(circuitA).toHaveAttribute('data-state', 'OPEN');
  await expect(circuitA).toBeVisible();
  await expect(orders.getByTestId('place-order')).toBeDisabled();
  await expect(orders.getByTestId('place-order')).toHaveText('Checkout paused');
  // The fallback: the last known stock stays listed.
  await expect(orders.locator('option[value="widget"]')).toBeAttached();

  const circuitB = tabB.getByTestId('inventory-circuit');
  await expect(circuitB).toHaveAttribute('data-state', 'OPEN');
  await expect(circuitB).toBeVisible();

  // The inspectors of both tabs agree.
  for (const tab of [tabA, tabB]) {
    await tab.getByTestId('inspector-toggle').click();
    await expect(tab.locator('[data-testid="circuit-row"][data-circuit="inventory"]')).toHaveAttribute(
      'data-state',
      'OPEN',
    );
  }
  // Nothing was reserved while inventory failed.
  await expect(tabB.getByTestId('stock-widget')).toHaveText('10');
});

test('ticking "Simulate outage" opens the circuit in every tab at once, before any order fails', async ({
  openShell,
}) => {
  const tabA = await openShell('#/orders');
  const tabB = await openShell('#/inventory');
  const orders = tabA.getByTestId('mfe-orders');
  await expect(orders.locator('option[value="widget"]')).toBeAttached();
  await expect(orders.getByTestId('orders-circuit')).toBeHidden();

  await tabB.getByTestId('inventory-outage').check();

  // Orders asks for the stock again on the outage event, and again while it fails, so the
  // breaker counts its threshold of failures in a moment: no order has to fail first.
  await expect(orders.getByTestId('orders-circuit')).toHaveAttribute('data-state', 'OPEN');
  await expect(orders.getByTestId('place-order')).toHaveText('Checkout paused');
  await expect(tabB.getByTestId('inventory-circuit')).toHaveAttribute('data-state', 'OPEN');
  await expect(orders.getByTestId('order-row')).toHaveCount(0);
  await expect(orders.getByTestId('orders-circuit')).toContainText('showing the last known stock');
});

test('orders alone says no tab runs inventory, not that it shows a stock it never had', async ({ openShell }) => {
  const tabA = await openShell('#/orders');
  const banner = tabA.getByTestId('orders-circuit');
  await expect(banner).toBeVisible();
  await expect(banner).toHaveAttribute('data-absent', 'true');
  await expect(banner).toContainText('No tab runs the inventory app yet');
  await expect(banner).not.toContainText('last known stock');
  await expect(tabA.getByTestId('place-order')).toBeDisabled();
  // Absent is not failing: the circuit stays closed, so inventory is used as soon as it starts.
  await expect(banner).toHaveAttribute('data-state', 'CLOSED');

  const tabB = await openShell('#/inventory');
  await expect(tabA.getByTestId('mfe-orders').locator('option[value="widget"]')).toBeAttached();
  await expect(banner).toBeHidden();
  await expect(tabB.getByTestId('inventory-circuit')).toBeHidden();
});

test('a checkout cut short by closing its tab is compensated by the next tab that opens orders', async ({
  openShell,
}) => {
  const tabA = await openShell('#/orders');
  const tabB = await openShell('#/inventory');
  // A slow payment keeps the saga mid-checkout, stock reserved, while the tab closes.
  const orderId = await startOrder(tabA, 'gadget', 2, { slowPayment: true });
  const steps = tabA.getByTestId('mfe-orders').getByTestId('saga-progress');
  await expect(steps.locator('[data-step="take payment"]')).toHaveAttribute('data-status', 'running');
  await expect(tabB.getByTestId('stock-gadget')).toHaveText('3');
  await tabA.close();

  // The new tab finds the saga in the durable log, waits out the closed tab's lease, releases the
  // reservation through inventory in tab B, and marks the order failed (it was never paid).
  const tabC = await openShell('#/orders');
  const row = tabC.locator(`[data-order="${orderId}"]`);
  await expect(row).toHaveAttribute('data-status', 'failed', { timeout: 15_000 });
  await expect(row).toContainText('interrupted');
  await expect(tabB.getByTestId('stock-gadget')).toHaveText('5');
  await expect(tabB.getByTestId('mfe-inventory').locator('.activity')).toContainText('released 2 × gadget');
});
