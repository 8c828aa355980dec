import type { Page } from '@playwright/test';
import { describePage, rememberTabId } from './describe.ts';
import { TestingError } from '../errors.ts';
import type { RecordBatch, Recorder } from './recorder.ts';

// The functions below run in the page: each looks the recorder up itself, as page.evaluate
// sends only their source text.

/**
 * Reads a page's record from index `from` (waiting up to `waitMs` when nothing new is there).
 * Throws NOT_TAPPED when the page has no recorder and PAGE_CLOSED when it is closed. A read from
 * 0 that a navigation interrupts is done again in the new document; a read from further on
 * throws the navigation error unless `documentId` is given: the new document, seeing another
 * id, then reads from 0 (check `batch.documentId`).
 */
export async function readRecord(
  page: Page,
  fn: string,
  from: number,
  pattern: string,
  waitMs: number,
  documentId?: string,
): Promise<RecordBatch> {
  const batch = await inPage(
    page,
    fn,
    ([from, pattern, waitMs, documentId]) => {
      const recorder = (globalThis as unknown as Record<symbol, Recorder | undefined>)[
        Symbol.for('switchboard.testing.recorder')
      ];
      if (recorder === undefined) return null;
      return recorder
        .read(from, pattern, waitMs, documentId ?? undefined)
        .then((batch) => ({ batch, tabIds: recorder.tabIds() }));
    },
    [from, pattern, waitMs, documentId ?? null] as const,
    from === 0 || documentId !== undefined,
  );
  if (batch.tabIds[0] !== undefined) rememberTabId(page, batch.tabIds[0]);
  return batch.batch;
}

/** Flushes every bus of the page until nothing moves; resolves with the page's delivery count. */
export function settlePage(page: Page, fn: string): Promise<number> {
  return inPage(
    page,
    fn,
    () => {
      const recorder = (globalThis as unknown as Record<symbol, Recorder | undefined>)[
        Symbol.for('switchboard.testing.recorder')
      ];
      return recorder === undefined ? null : recorder.settle();
    },
    undefined,
    false,
  );
}

/** Tab ids of the buses created in the page so far. */
export async function tabIdsOf(page: Page, fn: string): Promise<string[]> {
  const tabIds = await inPage(
    page,
    fn,
    () => {
      const recorder = (globalThis as unknown as Record<symbol, Recorder | undefined>)[
        Symbol.for('switchboard.testing.recorder')
      ];
      return recorder === undefined ? null : recorder.tabIds();
    },
    undefined,
    true,
  );
  if (tabIds[0] !== undefined) rememberTabId(page, tabIds[0]);
  return tabIds;
}

/** True for the error page.evaluate throws when the page navigates (reload, goto) meanwhile. */
export function isNavigationError(error: unknown): boolean {
  return error instanceof Error && /Execution context was destroyed|navigat|Cannot find context/i.test(error.message);
}

// A dev server reloads pages when their sources change, so reads retry on a new document.
const NAVIGATION_RETRIES = 10;

async function inPage<A, R>(
  page: Page,
  fn: string,
  body: (arg: A) => R | null | Promise<R | null>,
  arg: A,
  retryOnNavigation: boolean,
): Promise<R> {
  let result: R | null;
  for (let attempt = 0; ; attempt++) {
    if (page.isClosed()) throw closedError(page, fn);
    try {
      // The typed overload cannot relate A to Playwright's Unboxed<A>; the callers' tuples are plain data.
      result = await page.evaluate(body as unknown as () => Promise<R | null>, arg);
      break;
    } catch (error) {
      if (page.isClosed()) throw closedError(page, fn, error);
      if (!retryOnNavigation || !isNavigationError(error) || attempt >= NAVIGATION_RETRIES) throw error;
      await page.waitForLoadState('domcontentloaded');
    }
  }
  if (result === null) {
    throw new TestingError(
      'NOT_TAPPED',
      `${fn}: ${describePage(page)} has no Switchboard recorder; call tapTab(page) before page.goto(), or open the page with tabs.open().`,
    );
  }
  return result;
}

function closedError(page: Page, fn: string, cause?: unknown): TestingError {
  return new TestingError(
    'PAGE_CLOSED',
    `${fn}: ${describePage(page)} is closed; pass only tabs that are still open.`,
    { cause },
  );
}
