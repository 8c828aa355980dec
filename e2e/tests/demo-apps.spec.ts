import type { Page } from '@playwright/test';
import { expect, placeOrder, test, waitForApps } from './demo-fixtures.ts';

// Each MFE of the demo holds a handle of its own, with the contract's manifest and schemas:
// who said what is stamped by the runtime, what an app may say is enforced, and a stored record
// that breaks its schema is skipped instead of breaking the app that replays it.

/** Starts recording, in `page`, the messages its bus delivers on `pattern`. */
async function record(page: Page, pattern: string): Promise<void> {
  await page.evaluate((p) => {
    const seen: Array<{ topic: string; source: string }> = [];
    (window as unknown as { seen: typeof seen }).seen = seen;
    window.switchboard!.bus.subscribe(p, (m) => void seen.push({ topic: m.topic, source: m.source }));
  }, pattern);
}

function recorded(page: Page): Promise<Array<{ topic: string; source: string }>> {
  return page.evaluate(() => (window as unknown as { seen: Array<{ topic: string; source: string }> }).seen);
}

test("each MFE's messages carry its own source, as the other tab's inspector shows", async ({ openShell }) => {
  const tabA = await openShell('#/orders');
  const tabB = await openShell('#/inventory');
  await placeOrder(tabA, 'widget', 1);

  await tabB.getByTestId('inspector-toggle').click();
  const rows = tabB.getByTestId('message-row');
  await expect(rows.and(tabB.locator('[data-topic="orders.placed"]'))).toHaveAttribute('data-source', 'orders');
  await expect(rows.and(tabB.locator('[data-topic="orders.confirmed"]'))).toHaveAttribute('data-source', 'orders');
  await expect(rows.and(tabB.locator('[data-topic="inventory.reserved"]'))).toHaveAttribute('data-source', 'inventory');
  await expect(rows.and(tabB.locator('[data-topic="orders.placed"]')).locator('.source')).toHaveText('orders');
});

test('an MFE publishing outside its permissions gets PERMISSION_DENIED and no tab receives it', async ({
  openShell,
}) => {
  const tabA = await openShell('#/orders');
  const tabB = await openShell('#/inventory');
  await record(tabB, 'inventory.reserved');

  const error = await tabA.evaluate(() => {
    const orders = window.switchboard!.handles.get('orders')!;
    try {
      orders.publish('inventory.reserved', { reservationId: 'r-forged', orderId: 'o-1', lines: [] });
      return undefined;
    } catch (caught) {
      const { name, code, app, action, subject, rule } = caught as Record<string, unknown>;
      return { name, code, app, action, subject, rule, stats: orders.stats().denied };
    }
  });
  expect(error).toEqual({
    name: 'PermissionError',
    code: 'PERMISSION_DENIED',
    app: 'orders',
    action: 'publish',
    subject: 'inventory.reserved',
    rule: "publish ['orders.#', 'saga.#']",
    stats: 1,
  });

  // The denial itself crosses tabs (for inspectors); once tab B has it, a forged message sent
  // before it would have arrived too.
  await tabB.getByTestId('inspector-toggle').click();
  await expect(tabB.locator('[data-testid="denial-row"][data-app="orders"]')).toHaveAttribute(
    'data-subject',
    'inventory.reserved',
  );
  expect(await recorded(tabB)).toEqual([]);
  // What orders may publish still goes through.
  const placed = await placeOrder(tabA, 'gadget', 1);
  await expect(tabB.locator(`[data-testid="message-row"][data-topic="orders.placed"]`)).toHaveCount(1);
  expect(placed).toMatch(/^o-/);
});

test('a stored orders.placed that breaks its schema is skipped and reported; the orders list renders', async ({
  openShell,
}) => {
  const other = await openShell('#/inventory');
  const tab = await openShell('#/orders');
  const orderId = await placeOrder(tab, 'widget', 1);

  // An older version of an app, without schemas, stores a record the orders app cannot read.
  await tab.evaluate(() => (location.hash = '#/inventory'));
  await waitForApps(tab, '#/inventory');
  await tab.evaluate(async () => {
    const { bus, schemas } = window.switchboard!;
    schemas.detach();
    // @ts-expect-error: a record that breaks the contract, on purpose
    bus.publish('orders.placed', { orderId: 'o-poisoned', lines: null, total: 0 });
    await bus.flush();
  });
  // The other tab, with schemas, dropped it on arrival.
  await expect.poll(() => other.evaluate(() => window.switchboard!.bus.stats().refused)).toBe(1);

  const reports: string[] = [];
  tab.on('console', (message) => {
    if (message.type() === 'error') reports.push(message.text());
  });
  // A new page load, with the schemas attached again; then the orders app mounts and replays.
  await tab.reload();
  await waitForApps(tab, '#/inventory');
  await tab.evaluate(() => (location.hash = '#/orders'));
  await waitForApps(tab, '#/orders');
  const orders = tab.getByTestId('mfe-orders');
  await expect(orders.locator(`[data-order="${orderId}"]`)).toHaveAttribute('data-status', 'confirmed');
  await expect(orders.getByTestId('order-list')).not.toContainText('Reading history');
  await expect(orders.locator('[data-order="o-poisoned"]')).toHaveCount(0);
  await expect.poll(() => reports.join('\n')).toMatch(/SCHEMA_INVALID|payload\.lines/);
  expect(await tab.evaluate(() => window.switchboard!.bus.stats().refused)).toBeGreaterThanOrEqual(1);
});
