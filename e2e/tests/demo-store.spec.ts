import { expect, test } from './demo-fixtures.ts';

// The demo's shared store: the orders form's draft (`orders.draft`), owned by the orders MFE,
// read by the inventory MFE, one state for every tab, kept in IndexedDB.

test('the order form is one store in every tab, read by inventory, and it survives every tab closing', async ({
  openShell,
  context,
}) => {
  const tabA = await openShell('#/split');
  const tabB = await openShell('#/split');
  await expect(tabA.locator('[data-testid="order-product"] option[value="gadget"]')).toBeAttached();
  await tabA.getByTestId('order-product').selectOption('gadget');
  await tabA.getByTestId('order-quantity').fill('3');

  // Tab B: its orders form and its inventory (another MFE) show the draft tab A wrote.
  await expect(tabB.getByTestId('order-product')).toHaveValue('gadget');
  await expect(tabB.getByTestId('order-quantity')).toHaveValue('3');
  await expect(tabB.getByTestId('drafted-gadget')).toHaveText('3');
  await expect(tabA.getByTestId('drafted-gadget')).toHaveText('3');

  // The inspector's Stores view lists it, with the operations that wrote it.
  await tabB.getByTestId('inspector-toggle').click();
  await expect(tabB.getByTestId('store-orders.draft')).toContainText('"sku":"gadget"');
  await expect(tabB.getByTestId('stores-timeline')).toContainText('orders.draft');

  await tabA.close();
  await tabB.close();
  const again = await openShell('#/split', context);
  await expect(again.getByTestId('order-quantity')).toHaveValue('3');
  await expect(again.getByTestId('order-product')).toHaveValue('gadget');
  await expect(again.getByTestId('drafted-gadget')).toHaveText('3');
});
