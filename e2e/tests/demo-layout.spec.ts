import type { Page } from '@playwright/test';
import { expect, test } from './demo-fixtures.ts';

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The boxes of the elements `selector` matches, in page coordinates. */
function boxes(page: Page, selector: string): Promise<Box[]> {
  return page.evaluate(
    (query) =>
      [...document.querySelectorAll(query)].map((element) => {
        const { left, right, top, bottom } = element.getBoundingClientRect();
        return { left, right, top: top + scrollY, bottom: bottom + scrollY };
      }),
    selector,
  );
}

function overlap(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

test('at 420 px wide nothing runs off the page, and the inspector covers no app', async ({ openShell }) => {
  const page = await openShell('#/split');
  await page.setViewportSize({ width: 420, height: 800 });
  const width = (): Promise<{ scroll: number; client: number }> =>
    page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
  await expect.poll(width).toEqual({ scroll: 420, client: 420 });
  for (const box of await boxes(page, '.topbar > *, .topbar .nav a, .topbar-end > *')) {
    expect(box.left).toBeGreaterThanOrEqual(0);
    expect(box.right).toBeLessThanOrEqual(420);
  }

  await page.getByTestId('inspector-toggle').click();
  await expect(page.locator('#inspector')).toBeVisible();
  expect(await width()).toEqual({ scroll: 420, client: 420 });
  const [inspector] = await boxes(page, '#inspector');
  const apps = await boxes(page, '.app-slot:not(:empty)');
  expect(apps).toHaveLength(2);
  for (const app of apps) expect(overlap(inspector!, app)).toBe(false);
});

test('the shell declares its icon and every request of a load succeeds (no favicon.ico 404)', async ({
  openShell,
  context,
}) => {
  const failed: string[] = [];
  context.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  const page = await openShell('#/split');
  await page.reload();
  await expect(page.getByTestId('mfe-orders')).toBeVisible();
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(href).toBeTruthy();
  const icon = await page.request.get(new URL(href!, page.url()).href);
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toContain('image/svg+xml');
  expect(failed).toEqual([]);
});
