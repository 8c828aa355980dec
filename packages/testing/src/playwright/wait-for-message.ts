import type { Page } from '@playwright/test';
import { describeMessages, describePage, describeTopics } from './describe.ts';
import { TestingError } from '../errors.ts';
import { readRecord } from './page-record.ts';
import { matchesPartial, type DeepPartial } from './partial-match.ts';
import type { RecordedMessage } from './recorder.ts';
import { checkPattern } from './tap-tab.ts';

/**
 * Which message to wait for: a function run in the test (it may use the test's variables), or a
 * deep partial of the recorded message (`{ payload: { id: 1 }, remote: true }`).
 */
export type MessagePredicate<T = unknown> =
  | ((message: RecordedMessage<T>) => boolean)
  | DeepPartial<RecordedMessage<T>>;

/** Options of {@link waitForMessage}. */
export interface WaitForMessageOptions<T = unknown> {
  /** Only a message it accepts ends the wait. @default any message on the pattern */
  predicate?: MessagePredicate<T>;
  /** Milliseconds before failing with the list of what the tab saw. @default 5000 */
  timeout?: number;
}

/**
 * Resolves with the first message the page has seen, or sees next, whose topic matches `pattern`
 * and that `predicate` accepts. Messages seen before the call count, so there is no race with a
 * publish made just before. If the page reloads meanwhile, the wait goes on in the new document.
 * On timeout it throws a {@link TestingError} listing the matching messages the predicate
 * refused and the other topics the tab saw.
 *
 * @example
 * import { waitForMessage } from '@switchboard/testing/playwright';
 * const created = await waitForMessage(inventoryTab, 'orders.created', {
 *   predicate: { payload: { orderId: 'o1' }, remote: true },
 * });
 * expect(created.source).toBe('orders');
 */
export async function waitForMessage<T = unknown>(
  page: Page,
  pattern: string,
  options: WaitForMessageOptions<T> = {},
): Promise<RecordedMessage<T>> {
  const fn = `waitForMessage('${pattern}')`;
  checkPattern(pattern, fn);
  const timeout = options.timeout ?? 5000;
  const accepts = toTest(options.predicate);
  const deadline = Date.now() + timeout;
  let from = 0;
  let documentId: string | undefined;
  let refused: RecordedMessage<T>[] = [];
  let otherTopics: string[] = [];
  for (;;) {
    const left = deadline - Date.now();
    const batch = await readRecord(page, fn, from, pattern, Math.max(0, left), documentId);
    if (documentId !== undefined && batch.documentId !== documentId) {
      // The page reloaded or navigated: this batch is the new document's record from its start.
      refused = [];
      otherTopics = [];
    }
    documentId = batch.documentId;
    from = batch.next;
    otherTopics.push(...batch.otherTopics);
    for (const message of batch.matching as RecordedMessage<T>[]) {
      if (accepts(message)) return message;
      refused.push(message);
    }
    if (Date.now() >= deadline) {
      const rejected =
        options.predicate === undefined
          ? ''
          : `\nMessages on '${pattern}' that the predicate refused:\n${describeMessages(refused)}`;
      throw new TestingError(
        'TIMEOUT',
        `${fn}: ${describePage(page)} saw no matching message within ${timeout} ms.${rejected}` +
          `\nOther topics it saw: ${describeTopics(otherTopics)}.` +
          `\nCheck that something publishes it, that the tab is subscribed across tabs, and that tapTab's pattern includes '${pattern}'.`,
      );
    }
  }
}

function toTest<T>(predicate: MessagePredicate<T> | undefined): (message: RecordedMessage<T>) => boolean {
  if (predicate === undefined) return () => true;
  if (typeof predicate === 'function') return predicate;
  return (message) => matchesPartial(message, predicate);
}
