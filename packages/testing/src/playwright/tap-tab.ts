import type { Page } from '@playwright/test';
import { describePage, lastKnownTabId } from './describe.ts';
import { TestingError } from '../errors.ts';
import { readRecord, tabIdsOf } from './page-record.ts';
import { pollUntil } from './poll.ts';
import { installRecorder, type RecordedMessage } from './recorder.ts';

/** Options of {@link tapTab}. */
export interface TapOptions {
  /**
   * Record only messages whose topic matches (`+` one segment, `#` the rest). `$sys.` events are
   * recorded whatever the pattern, as leader and presence checks read them.
   * @default '#'
   */
  pattern?: string;
}

const tapped = new WeakMap<Page, string>();

/**
 * Records every message the page's buses deliver, from the next navigation on. Call it before
 * `page.goto()`: the recorder must be in place before the app creates its buses. It stays through
 * reloads, each document starting a fresh record.
 *
 * @example
 * import { tapTab, waitForMessage } from '@switchboard/testing/playwright';
 * const page = await context.newPage();
 * await tapTab(page, { pattern: 'orders.#' });
 * await page.goto('/orders.html');
 * await waitForMessage(page, 'orders.created');
 */
export async function tapTab(page: Page, options: TapOptions = {}): Promise<void> {
  const pattern = options.pattern ?? '#';
  checkPattern(pattern, `tapTab(page, { pattern: '${pattern}' })`);
  const existing = tapped.get(page);
  if (existing !== undefined) {
    throw new TestingError(
      'INVALID_OPTION',
      `tapTab(): ${describePage(page)} is already tapped with pattern '${existing}'; tap each page once.`,
    );
  }
  if (page.url() !== 'about:blank') {
    throw new TestingError(
      'INVALID_OPTION',
      `tapTab(): ${describePage(page)} is already loaded and its buses would not be seen; tap before page.goto(), or reload the page after tapping.`,
    );
  }
  await page.addInitScript(installRecorder, { pattern });
  tapped.set(page, pattern);
}

/**
 * What the page recorded so far in its current document, optionally only topics matching
 * `pattern`. One entry per delivery: a tab with two buses that both deliver a message lists it
 * twice, with different `busApp`.
 *
 * @example
 * import { recordedMessages } from '@switchboard/testing/playwright';
 * const notes = await recordedMessages(page, 'demo.note');
 * expect(notes.map((m) => m.payload)).toEqual([{ text: 'hi' }]);
 */
export async function recordedMessages<T = unknown>(page: Page, pattern = '#'): Promise<RecordedMessage<T>[]> {
  const fn = `recordedMessages('${pattern}')`;
  checkPattern(pattern, fn);
  const batch = await readRecord(page, fn, 0, pattern, 0);
  return batch.matching as RecordedMessage<T>[];
}

/** Options of {@link tabIdOf}. */
export interface TabIdOptions {
  /** How long to wait for the page to create a bus. @default 5000 */
  timeout?: number;
}

/**
 * The tab id of the page's buses (`message.origin.tabId` of what it publishes), once it has one.
 * For a closed page, the last id read from it.
 *
 * @example
 * import { tabIdOf } from '@switchboard/testing/playwright';
 * const id = await tabIdOf(page);
 */
export async function tabIdOf(page: Page, options: TabIdOptions = {}): Promise<string> {
  const fn = 'tabIdOf()';
  if (page.isClosed()) {
    const known = lastKnownTabId(page);
    if (known !== undefined) return known;
  }
  const timeout = options.timeout ?? 5000;
  // Nothing in the page signals a new bus, so look again until one exists.
  return pollUntil(
    async () => {
      const [tabId] = await tabIdsOf(page, fn);
      return tabId === undefined ? { done: false, why: 'no bus' } : { done: true, value: tabId };
    },
    timeout,
    () =>
      new TestingError(
        'TIMEOUT',
        `${fn}: ${describePage(page)} created no bus within ${timeout} ms; check that the app calls createPubSub() on this page.`,
      ),
  );
}

/** Throws INVALID_OPTION unless `pattern` is a well-formed subscribe pattern. */
export function checkPattern(pattern: unknown, fn: string): asserts pattern is string {
  const segments = typeof pattern === 'string' ? pattern.split('.') : [];
  const ok =
    segments.length > 0 &&
    segments.every(
      (segment, index) =>
        segment === '+' || (segment === '#' && index === segments.length - 1) || /^\$?[A-Za-z0-9_:-]+$/.test(segment),
    );
  if (!ok) {
    throw new TestingError(
      'INVALID_OPTION',
      `${fn}: '${String(pattern)}' is not a topic pattern; use dot-separated segments, '+' for one segment and '#' (last) for the rest.`,
    );
  }
}
