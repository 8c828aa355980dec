import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { debianChromium } from '@switchboard/testing/playwright';

/** Launches Debian's Chromium as the e2e tests do (Playwright's own download cannot work here). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(debianChromium());
}

/** Two tabs: two pages of one context share BroadcastChannel, IndexedDB and Web Locks. */
export interface Tabs {
  readonly a: Page;
  readonly b: Page;
  close(): Promise<void>;
}

/** Several tabs of one context. */
export interface ManyTabs {
  readonly pages: readonly Page[];
  close(): Promise<void>;
}

/** Opens `url` in two pages of a fresh context and waits until each page's bench API is ready. */
export async function openTwoTabs(browser: Browser, url: string, ready: string): Promise<Tabs> {
  const { pages, close } = await openTabs(browser, url, ready, 2);
  return { a: pages[0]!, b: pages[1]!, close };
}

/** Opens `url` in `count` pages of a fresh context and waits until each page's bench API is ready. */
export async function openTabs(browser: Browser, url: string, ready: string, count: number): Promise<ManyTabs> {
  const context = await browser.newContext();
  const pages: Page[] = [];
  for (let i = 0; i < count; i++) pages.push(await context.newPage());
  for (const page of pages) await prepare(page, url, ready);
  return { pages, close: () => context.close() };
}

/** Loads `url` in `page` and waits until its bench API is ready. */
async function prepare(page: Page, url: string, ready: string): Promise<void> {
  // A page error would otherwise only show as a timeout much later.
  page.on('pageerror', (error) => console.error(`bench page ${url}: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(ready);
  // Finer timers (5 µs instead of 100 µs) depend on it; see pages/vite.config.ts.
  if (!(await page.evaluate(() => window.crossOriginIsolated))) {
    throw new Error(`openTabs(): ${url} is not cross-origin isolated; its latencies would be rounded to 100 µs.`);
  }
}

/**
 * Opens `url` in two pages of a browser with a profile on disk: `kept` if given (left in place on
 * close), else a fresh temporary directory, removed on close. A context of `browser.newContext()`
 * keeps IndexedDB in memory, which writes about 4x slower than on disk here and holds every record
 * in the browser's memory: a real app's history lives on disk.
 */
export async function openTwoTabsOnDisk(url: string, ready: string, kept?: string): Promise<Tabs> {
  const profile = kept ?? mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, debianChromium());
  const pages = [context.pages()[0] ?? (await context.newPage()), await context.newPage()];
  await Promise.all(pages.map((page) => prepare(page, url, ready)));
  return {
    a: pages[0]!,
    b: pages[1]!,
    close: async () => {
      await context.close();
      if (kept === undefined) rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** CPU time of every process of the browser so far, in ms (browser, renderers, GPU, utilities). */
export async function browserCpuMs(browser: Browser): Promise<number> {
  const session = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await session.send('SystemInfo.getProcessInfo')) as {
      processInfo: Array<{ id: number; cpuTime: number }>;
    };
    return processInfo.reduce((sum, process) => sum + (schedulerCpuMs(process.id) ?? process.cpuTime * 1000), 0);
  } finally {
    await session.detach();
  }
}

/**
 * A process's CPU time in ms as Linux's scheduler counts it, in nanoseconds, summed over its
 * threads; undefined where /proc does not tell. DevTools counts 10 ms ticks: over a flood of
 * ~0.1 s per process, too coarse to compare two transports.
 */
function schedulerCpuMs(pid: number): number | undefined {
  const tasks = `/proc/${pid}/task`;
  if (!existsSync(tasks)) return undefined;
  let ns = 0;
  for (const task of readdirSync(tasks)) {
    try {
      ns += Number(readFileSync(`${tasks}/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch (error) {
      // A thread that ended since the listing took its time with it; anything else is a bug.
      const code = (error as { code?: unknown }).code;
      if (code !== 'ENOENT' && code !== 'ESRCH') throw error;
    }
  }
  return ns / 1e6;
}
