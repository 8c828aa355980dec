import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test as base, type BrowserContext, type Page, type WorkerInfo } from '@playwright/test';
import { startDemo, type RunningDemo } from '../../scripts/demo/start-demo.mjs';
// Type-only: brings in the shell's `window.switchboard` declaration.
import type {} from '../../mfe-shell/src/debug-handle.ts';

/** A route of the shell, as in its nav. */
export type ShellRoute = '#/' | '#/orders' | '#/inventory' | '#/split';

const SHOWS: Record<ShellRoute, string[]> = {
  '#/': ['dashboard'],
  '#/orders': ['mfe-orders'],
  '#/inventory': ['mfe-inventory'],
  '#/split': ['mfe-orders', 'mfe-inventory'],
};

/**
 * The demo built and served once per worker, each app on a port of its own, from a temporary
 * folder: runs in parallel never share servers, files or a port with `npm start`. The ports are
 * E2E_PORT + 10 and up, three per worker (the OS picks beyond the 20 ports of a run).
 */
export const test = base.extend<
  { openShell: (route: ShellRoute, context?: BrowserContext) => Promise<Page> },
  { demo: RunningDemo }
>({
  demo: [
    async ({}, use, workerInfo) => {
      const outDir = await mkdtemp(join(tmpdir(), 'switchboard-demo-'));
      const demo = await startDemo({ ports: demoPorts(workerInfo), outDir, logLevel: 'error' });
      await use(demo);
      await demo.close();
      await rm(outDir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  // Opens the shell at a route in a new tab of the test's context and waits for its apps.
  openShell: async ({ context, demo }, use) => {
    await use(async (route, inContext = context) => {
      const page = await inContext.newPage();
      page.on('pageerror', (error) => console.error(`[${route}] page error:`, error));
      await page.goto(demo.urls.shell + route);
      await waitForApps(page, route);
      return page;
    });
  },
});

/** The worker's three ports above the server's (E2E_PORT + 10 …), or 0s (free ports) past them. */
function demoPorts(workerInfo: WorkerInfo): { shell: number; orders: number; inventory: number } {
  const first = Number(new URL(workerInfo.project.use.baseURL!).port) + 10 + 3 * workerInfo.parallelIndex;
  if (workerInfo.parallelIndex > 2) return { shell: 0, orders: 0, inventory: 0 };
  return { shell: first, orders: first + 1, inventory: first + 2 };
}

/** Waits until every app of `route` has rendered. */
export async function waitForApps(page: Page, route: ShellRoute): Promise<void> {
  for (const app of SHOWS[route]) await expect(page.getByTestId(app)).toBeVisible();
}

/** How the simulated payment of an order behaves. */
export interface PaymentOptions {
  paymentFails?: boolean;
  /** Takes 4 s: time to close the tab mid-checkout. */
  slowPayment?: boolean;
}

/** Submits an order of `quantity` × `sku` from the orders app; returns its id once it is listed. */
export async function startOrder(
  page: Page,
  sku: string,
  quantity: number,
  options: PaymentOptions = {},
): Promise<string> {
  const orders = page.getByTestId('mfe-orders');
  // The catalogue comes from inventory over RPC, possibly from another tab: wait for it.
  await expect(orders.locator(`option[value="${sku}"]`)).toBeAttached();
  await orders.getByTestId('order-product').selectOption(sku);
  await orders.getByTestId('order-quantity').fill(String(quantity));
  await orders.getByTestId('payment-fails').setChecked(options.paymentFails ?? false);
  await orders.getByTestId('slow-payment').setChecked(options.slowPayment ?? false);
  const before = await orders.getByTestId('order-row').count();
  await orders.getByTestId('place-order').click();
  await expect(orders.getByTestId('order-row')).toHaveCount(before + 1);
  return (await orders.getByTestId('order-row').first().getAttribute('data-order'))!;
}

/** Places an order of `quantity` × `sku` from the orders app and waits until its saga ends. */
export async function placeOrder(
  page: Page,
  sku: string,
  quantity: number,
  options: PaymentOptions = {},
): Promise<string> {
  const orderId = await startOrder(page, sku, quantity, options);
  await expect(page.locator(`[data-order="${orderId}"]`)).not.toHaveAttribute('data-status', 'pending');
  return orderId;
}

/** The stock the inventory app in `page` shows for `sku`. */
export function stockOf(page: Page, sku: string): Promise<number> {
  return page.getByTestId(`stock-${sku}`).textContent().then(Number);
}

export { expect };
