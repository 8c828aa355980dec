import type { Page } from '@playwright/test';
import { describePage } from './describe.ts';
import type { TabAssertionOptions } from './expect-leader.ts';
import { TestingError } from '../errors.ts';
import { pollUntil } from './poll.ts';
import { tabIdOf } from './tap-tab.ts';
import { describeView, readTabView } from './tab-view.ts';

/**
 * Waits until `page` sees exactly the given tabs as present (itself included), from its
 * `$sys.tab.joined` / `$sys.tab.left` events. Tabs are pages (a closed page stands for the tab
 * id it last had) or tab ids. Order does not matter.
 *
 * @example
 * import { expectPresence } from '@switchboard/testing/playwright';
 * await expectPresence(first, [first, second, third]);
 * await third.close();
 * await expectPresence(first, [first, second]);
 */
export async function expectPresence(
  page: Page,
  tabs: ReadonlyArray<Page | string>,
  options: TabAssertionOptions = {},
): Promise<void> {
  const fn = 'expectPresence()';
  const timeout = options.timeout ?? 5000;
  const expected = await Promise.all(tabs.map((tab) => (typeof tab === 'string' ? tab : tabIdOf(tab, { timeout }))));
  const wanted = [...new Set(expected)].sort();
  await pollUntil(
    async () => {
      const view = await readTabView(page, fn);
      const seen = [...view.present].sort();
      if (seen.length === wanted.length && seen.every((id, i) => id === wanted[i]))
        return { done: true, value: undefined };
      const missing = wanted.filter((id) => !seen.includes(id));
      const extra = seen.filter((id) => !wanted.includes(id));
      return {
        done: false,
        why: `it sees ${describeView(view)}; missing [${missing.join(', ')}], unexpected [${extra.join(', ')}]`,
      };
    },
    timeout,
    (why) =>
      new TestingError(
        'TIMEOUT',
        `${fn}: ${describePage(page)} did not see exactly tabs [${wanted.join(', ')}] within ${timeout} ms; ${why}.\n` +
          'A closed tab leaves at once; one that went silent leaves after the cross-tab tabTimeoutMs.',
      ),
  );
}
