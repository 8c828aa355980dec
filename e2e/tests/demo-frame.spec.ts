import { expect, placeOrder, test } from './demo-fixtures.ts';
// Type-only: the framed inventory page's `window.switchboardFrame`.
import type {} from '../../mfe-inventory/src/frame-debug.ts';

// The shell's setting ?frame=inventory loads the inventory MFE in an iframe from its own origin
// (its own server's port), joined to the shell with joinHost; the shell enforces its manifest
// entry on its side of the port.

test('inventory in an iframe from its own origin works as in the page, its manifest enforced at the port', async ({
  openShell,
  demo,
  context,
}) => {
  const orders = await openShell('#/orders');
  const shell = await context.newPage();
  await shell.goto(`${demo.urls.shell}?frame=inventory#/inventory`);
  await expect(shell.getByTestId('frame-setting')).toBeChecked();
  const iframe = shell.getByTestId('inventory-frame');
  await expect(iframe).toHaveAttribute('src', `${new URL(demo.urls.inventory).origin}/frame.html`);
  const inventory = shell.frameLocator('[data-testid="inventory-frame"]');
  await expect(inventory.getByTestId('mfe-inventory')).toBeVisible();
  await expect(inventory.getByTestId('stock-widget')).toHaveText('10');

  // Orders (in the page of another tab) reads the catalogue and reserves stock over RPC, which
  // the framed inventory answers through its port.
  await placeOrder(orders, 'widget', 2);
  await expect(orders.getByTestId('order-row').first()).toHaveAttribute('data-status', 'confirmed');
  await expect(inventory.getByTestId('stock-widget')).toHaveText('8');

  // Outside its manifest entry: refused in the frame at once, and nothing reaches the other tab.
  // Playwright learns of the iframe a moment after the page added it.
  const findFrame = () => shell.frames().find((f) => f.url().startsWith(new URL(demo.urls.inventory).origin));
  await expect.poll(() => findFrame() !== undefined).toBe(true);
  const frame = findFrame()!;
  const refused = await frame.evaluate(() => {
    try {
      window.switchboardFrame!.bus.publish('orders.placed', {
        orderId: 'forged',
        lines: [{ sku: 'widget', quantity: 1 }],
        total: 1,
      } as never);
      return 'published';
    } catch (error) {
      return (error as Error).name;
    }
  });
  expect(refused).toBe('PermissionError');
  await expect(orders.locator('[data-order="forged"]')).toHaveCount(0);

  // Leaving the route unmounts the framed inventory: its page unloads and its RPC handlers say
  // goodbye through the port, so no tab keeps calling them (the shell's tab stays open).
  await orders.evaluate(() => {
    const heard: string[] = [];
    (window as { heard?: string[] }).heard = heard;
    const bus = window.switchboard!.bus;
    bus.subscribe('$sys.rpc.bye', (m) => void heard.push(`rpc.bye from ${m.source}`));
    bus.subscribe('$sys.frame.left', (m) => void heard.push(`frame.left ${(m.payload as { app: string }).app}`));
  });
  await shell.evaluate(() => {
    location.hash = '#/';
  });
  await expect(shell.getByTestId('inventory-frame')).toHaveCount(0);
  await expect
    .poll(() => orders.evaluate(() => (window as { heard?: string[] }).heard))
    .toEqual(expect.arrayContaining(['rpc.bye from inventory', 'frame.left inventory']));
  await shell.evaluate(() => {
    location.hash = '#/inventory';
  });
  await expect(inventory.getByTestId('stock-widget')).toHaveText('8');

  // Unchecking the setting loads the inventory in the page again.
  await shell.getByTestId('frame-setting').uncheck();
  await expect(shell.getByTestId('mfe-inventory')).toBeVisible();
  await expect(shell.getByTestId('inventory-frame')).toHaveCount(0);
  await expect(shell.getByTestId('stock-widget')).toHaveText('8');
});
