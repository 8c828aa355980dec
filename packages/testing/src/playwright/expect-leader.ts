import type { Page } from '@playwright/test';
import { describePage } from './describe.ts';
import { TestingError } from '../errors.ts';
import { pollUntil } from './poll.ts';
import { describeView, readTabView } from './tab-view.ts';

/** Options of {@link expectLeader} and `expectPresence`. */
export interface TabAssertionOptions {
  /** Milliseconds to keep looking (elections take a moment) before failing. @default 5000 */
  timeout?: number;
}

/**
 * Waits until the given tabs agree on one leader that is one of them, and returns its page. Pass
 * every open tab of the app: a leader outside the list fails. Reads each tab's
 * `$sys.leader.changed` events, so the tabs must be tapped and use `@switchboard/cross-tab`.
 *
 * @example
 * import { expectLeader } from '@switchboard/testing/playwright';
 * const leader = await expectLeader(tabs);
 * await leader.close();
 * const next = await expectLeader(tabs.filter((tab) => tab !== leader));
 */
export async function expectLeader(pages: readonly Page[], options: TabAssertionOptions = {}): Promise<Page> {
  const fn = `expectLeader(${pages.length} tabs)`;
  const timeout = options.timeout ?? 5000;
  if (pages.length === 0) throw new TestingError('INVALID_OPTION', `${fn}: pass at least one page.`);
  return pollUntil(
    async () => {
      const views = await Promise.all(pages.map((page) => readTabView(page, fn)));
      const lines = pages.map((page, i) => `  ${describePage(page)}: ${describeView(views[i]!)}`).join('\n');
      const leaders = new Set(views.map((view) => view.leaderTabId));
      const [leaderTabId] = leaders;
      if (leaders.size !== 1 || leaderTabId === undefined) {
        return { done: false, why: `the tabs do not agree on a leader:\n${lines}` };
      }
      const leaderPages = pages.filter((_, i) => views[i]!.tabId === leaderTabId);
      if (leaderPages.length !== 1) {
        return {
          done: false,
          why: `they agree on leader ${leaderTabId}, which is ${leaderPages.length === 0 ? 'none' : 'several'} of the given tabs:\n${lines}`,
        };
      }
      return { done: true, value: leaderPages[0]! };
    },
    timeout,
    (why) =>
      new TestingError(
        'TIMEOUT',
        `${fn}: no single leader within ${timeout} ms; ${why}\nCheck that every open tab is passed and that the app attaches @switchboard/cross-tab.`,
      ),
  );
}
