import { join } from 'node:path';
import { type BrowserContext, expect, test } from '@playwright/test';
import { type ReadmeExample, readmeExamples } from '../../scripts/readme-examples.mjs';
import { appDirectory } from './consumer-app.ts';

declare global {
  interface Window {
    // What the app (app/src/main.ts) and the examples page (app/src/examples.ts) expose.
    consumer: {
      tabId: string;
      received: Array<{ text: string; fromTab: string }>;
      greet(text: string): void;
      whoAmI(): Promise<string>;
    };
    runExample(name: string): Promise<void>;
  }
}

// The consumer test in Chromium: the app that consumer.build.ts built with Vite.
const examples = readmeExamples();
// Pages come from the app's build through Playwright's routing; *.localhost is a secure context,
// so Web Locks and the rest behave as on a real site.
const origin = 'http://consumer.localhost';

async function serveApp(context: BrowserContext): Promise<void> {
  await context.route(`${origin}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    await route
      .fulfill({ path: join(appDirectory, 'dist', path === '/' ? 'index.html' : path) })
      .catch(() => route.fulfill({ status: 404, body: `not in the build: ${path}` }));
  });
}

test('the built app: a message crosses tabs, its React and Vue views show it, and an RPC is answered by the other tab', async ({
  context,
}) => {
  await serveApp(context);
  const answering = await context.newPage();
  const asking = await context.newPage();
  await answering.goto(`${origin}/index.html?answer`);
  await asking.goto(`${origin}/index.html`);
  await expect(answering.locator('#status')).toHaveText('ready');
  await expect(asking.locator('#status')).toHaveText('ready');
  const answeringTab = await answering.evaluate(() => window.consumer.tabId);
  const askingTab = await asking.evaluate(() => window.consumer.tabId);
  expect(answeringTab).not.toBe(askingTab);

  await asking.evaluate(() => window.consumer.greet('hello from the other tab'));
  await expect
    .poll(() => answering.evaluate(() => window.consumer.received))
    .toEqual([{ text: 'hello from the other tab', fromTab: askingTab }]);
  // The React view counts it once (under StrictMode), the Vue view shows it; in both tabs.
  for (const page of [answering, asking]) {
    await expect(page.locator('#react')).toHaveText('received: 1');
    await expect(page.locator('#vue')).toHaveText('latest: hello from the other tab');
  }

  expect(await asking.evaluate(() => window.consumer.whoAmI())).toBe(answeringTab);
});

function exampleTitle(example: ReadmeExample): string {
  return `README example ${example.name} (${example.readme}:${example.line})`;
}

for (const example of examples.filter((candidate) => candidate.mode === 'browser')) {
  test(`${exampleTitle(example)} runs in Chromium`, async ({ context, page }) => {
    await serveApp(context);
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));
    await page.goto(`${origin}/examples.html`);
    await page.waitForFunction(() => typeof window.runExample === 'function');
    await page.evaluate((name) => window.runExample(name), example.name);
    expect(errors).toEqual([]);
  });
}
