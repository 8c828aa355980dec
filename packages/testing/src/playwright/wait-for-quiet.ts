import type { Page } from '@playwright/test';
import { describePage } from './describe.ts';
import { TestingError } from '../errors.ts';
import { isNavigationError, settlePage } from './page-record.ts';

/** Options of {@link waitForQuiet}. */
export interface WaitForQuietOptions {
  /** Milliseconds before failing with the tabs that kept delivering. @default 5000 */
  timeout?: number;
}

/**
 * Resolves once the tabs are quiet: every bus of every open tab is flushed (handlers settled,
 * cross-tab posts sent, history written) and a further round over all tabs delivers nothing new
 * anywhere, so what one tab posted has also arrived in the others. Closed pages are skipped.
 *
 * @example
 * import { waitForQuiet } from '@switchboard/testing/playwright';
 * await ordersTab.getByRole('button', { name: 'Place order' }).click();
 * await waitForQuiet([ordersTab, inventoryTab]);
 * expect(await recordedMessages(inventoryTab, 'orders.created')).toHaveLength(1);
 */
export async function waitForQuiet(pages: Page | readonly Page[], options: WaitForQuietOptions = {}): Promise<void> {
  const tabs = Array.isArray(pages) ? (pages as readonly Page[]) : [pages as Page];
  const fn = `waitForQuiet(${tabs.length} tab${tabs.length === 1 ? '' : 's'})`;
  const timeout = options.timeout ?? 5000;
  const deadline = Date.now() + timeout;
  let previous: number[] | undefined;
  for (;;) {
    const open = tabs.filter((page) => !page.isClosed());
    let counts: number[];
    try {
      counts = await Promise.all(open.map((page) => settlePage(page, fn)));
    } catch (error) {
      if (!isNavigationError(error)) throw error;
      // A tab reloaded mid-round: its counts start over, so start the comparison over too.
      previous = undefined;
      continue;
    }
    // Two rounds in a row with nothing new in any tab: whatever was in flight between tabs when
    // the first round ended has been delivered by the end of the second.
    if (
      previous !== undefined &&
      previous.length === counts.length &&
      previous.every((count, i) => count === counts[i])
    )
      return;
    if (Date.now() >= deadline) {
      const busy = open
        .map((page, i) => `  ${describePage(page)}: ${previous?.[i] ?? '?'} -> ${counts[i]} deliveries`)
        .join('\n');
      throw new TestingError(
        'TIMEOUT',
        `${fn}: still delivering after ${timeout} ms:\n${busy}\nCheck for a timer or handler that keeps publishing.`,
      );
    }
    previous = counts;
  }
}
