import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, expect, test } from '@playwright/test';
import ts from 'typescript';
import { type ReadmeExample, readmeExamples, readmeLine } from '../../scripts/readme-examples.mjs';
import { root } from '../../scripts/workspace-packages.mjs';
import { appDirectory, exampleFile, runInApp } from './consumer-app.ts';

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

// The consumer test proper: what a team gets from the tarballs that consumer.setup.ts installed.
const examples = readmeExamples();
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// Pages come from the app's build through Playwright's routing; *.localhost is a secure context,
// so Web Locks and the rest behave as on a real site.
const origin = 'http://consumer.localhost';

/** Rewrites tsc's `src/readme/<example>.ts(line,col)` positions to the README's lines. */
function withReadmeLines(output: string): string {
  return output.replace(
    /src\/(?:node\/)?readme\/([\w-]+?)(?:\.browser)?\.ts\((\d+),(\d+)\)/g,
    (whole, name, line, column) => {
      const example = examples.find((candidate) => candidate.name === name);
      return example ? `${example.readme}:${readmeLine(example, Number(line))}:${column} (${name})` : whole;
    },
  );
}

async function typeCheck(project: string): Promise<void> {
  try {
    await runInApp('node', [tsc, '-p', project, '--pretty', 'false']);
  } catch (error) {
    throw new Error(withReadmeLines((error as Error).message));
  }
}

async function serveApp(context: BrowserContext): Promise<void> {
  await context.route(`${origin}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    await route
      .fulfill({ path: join(appDirectory, 'dist', path === '/' ? 'index.html' : path) })
      .catch(() => route.fulfill({ status: 404, body: `not in the build: ${path}` }));
  });
}

test('every export entry loads in plain Node (ESM)', async () => {
  await runInApp('node', ['check-imports.mjs']);
});

// tsc reads hundreds of .d.ts files; on a busy machine that takes a while.
const typeCheckTimeout = 120_000;

test('the app, the entry points and the README examples type-check with moduleResolution bundler', async () => {
  test.setTimeout(typeCheckTimeout);
  await typeCheck('tsconfig.json');
});

test('the app, the entry points and the README examples type-check with moduleResolution nodenext', async () => {
  test.setTimeout(typeCheckTimeout);
  await typeCheck('tsconfig.nodenext.json');
});

test('the built app: a message crosses tabs and an RPC is answered by the other tab', async ({ context }) => {
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

  expect(await asking.evaluate(() => window.consumer.whoAmI())).toBe(answeringTab);
});

function exampleTitle(example: ReadmeExample): string {
  return `README example ${example.name} (${example.readme}:${example.line})`;
}

for (const example of examples.filter((candidate) => candidate.mode === 'node')) {
  test(`${exampleTitle(example)} runs in Node`, async () => {
    const source = readFileSync(join(appDirectory, exampleFile(example)), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    });
    mkdirSync(join(appDirectory, 'out'), { recursive: true });
    writeFileSync(join(appDirectory, 'out', `${example.name}.mjs`), outputText);
    await runInApp('node', ['run-example.mjs', `out/${example.name}.mjs`], { timeout: 20_000 });
  });
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
