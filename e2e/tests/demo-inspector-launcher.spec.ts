import { readFile } from 'node:fs/promises';
import type { Response } from '@playwright/test';
import { expect, placeOrder, test } from './demo-fixtures.ts';

// The shell's inspector is a package the shell loads on first open: nothing of the panel is
// fetched before, Alt+Shift+I opens it, and a session exported to a file loads back into it.

/** A string only the panel's code holds (its session file format). */
const PANEL_MARKER = 'switchboard-inspector-session';

async function holdsPanel(response: Response): Promise<boolean> {
  if (!response.url().endsWith('.js')) return false;
  return (await response.text().catch(() => '')).includes(PANEL_MARKER);
}

test('the panel is fetched on first open only; Alt+Shift+I opens and closes it', async ({ openShell, context }) => {
  const panelResponses: string[] = [];
  const checks: Array<Promise<void>> = [];
  context.on('response', (response) => {
    checks.push(
      holdsPanel(response).then((holds) => {
        if (holds) panelResponses.push(response.url());
      }),
    );
  });
  const page = await openShell('#/split');
  await placeOrder(page, 'widget', 1);
  await Promise.all(checks);
  expect(panelResponses).toEqual([]);

  await page.keyboard.press('Alt+Shift+KeyI');
  await expect(page.locator('#inspector')).toBeVisible();
  await expect(page.getByTestId('inspector-toggle')).toHaveAttribute('aria-expanded', 'true');
  // What happened before the panel loaded is listed: the launcher recorded it.
  await expect(page.locator('[data-testid="message-row"][data-topic="orders.placed"]')).toHaveCount(1);
  await Promise.all(checks);
  expect(panelResponses).toHaveLength(1);

  await page.keyboard.press('Alt+Shift+KeyI');
  await expect(page.locator('#inspector')).toBeHidden();
  await expect(page.getByTestId('inspector-toggle')).toHaveAttribute('aria-expanded', 'false');
});

test('Export saves the session to a file that Load shows again; a wrong file is refused', async ({
  openShell,
}, testInfo) => {
  const page = await openShell('#/split');
  const orderId = await placeOrder(page, 'widget', 1);
  await page.getByTestId('inspector-toggle').click();
  const inspector = page.locator('#inspector');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    inspector.getByTestId('inspector-export').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^switchboard-session-.+\.json$/);
  const file = testInfo.outputPath('session.json');
  await download.saveAs(file);
  const saved = JSON.parse(await readFile(file, 'utf8'));
  expect(saved).toMatchObject({ format: 'switchboard-inspector-session', version: 1 });

  await inspector.getByTestId('inspector-file').setInputFiles(file);
  const session = inspector.getByTestId('inspector-session');
  await expect(session).toBeVisible();
  await expect(session.locator(`[data-testid="saga-row"][data-saga="${orderId}"]`)).toHaveAttribute(
    'data-status',
    'completed',
  );
  await expect(session.locator('[data-testid="message-row"][data-topic="orders.confirmed"]')).toHaveCount(1);
  await session.getByTestId('inspector-back-to-live').click();
  await expect(session).toBeHidden();

  await inspector.getByTestId('inspector-file').setInputFiles({
    name: 'other.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ ...saved, version: 2 })),
  });
  await expect(inspector.getByTestId('inspector-load-status')).toHaveText(/session format version 2/);
});
