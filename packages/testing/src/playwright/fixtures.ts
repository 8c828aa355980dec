import { test as base, type Page } from '@playwright/test';
import { expectLeader } from './expect-leader.ts';
import { expectPresence } from './expect-presence.ts';
import { openTabs, type OpenTabsOptions } from './open-tabs.ts';
import { recordedMessages, tabIdOf, tapTab } from './tap-tab.ts';
import { readTabView } from './tab-view.ts';
import { waitForMessage } from './wait-for-message.ts';
import { waitForQuiet } from './wait-for-quiet.ts';

/** The `tabs` fixture: tapped tabs in the test's browser context. */
export interface TabsFixture {
  /** Opens `count` tapped tabs at `url`; see {@link openTabs}. */
  open(count: number, url: string, options?: OpenTabsOptions): Promise<Page[]>;
}

/** The `switchboard` fixture: the kit's helpers, for tests that prefer fixtures to imports. */
export interface SwitchboardHelpers {
  readonly tapTab: typeof tapTab;
  readonly recordedMessages: typeof recordedMessages;
  readonly tabIdOf: typeof tabIdOf;
  readonly waitForMessage: typeof waitForMessage;
  readonly waitForQuiet: typeof waitForQuiet;
  readonly readTabView: typeof readTabView;
  readonly expectLeader: typeof expectLeader;
  readonly expectPresence: typeof expectPresence;
}

/** Fixtures that {@link test} adds to Playwright's. */
export interface SwitchboardFixtures {
  tabs: TabsFixture;
  switchboard: SwitchboardHelpers;
}

const helpers: SwitchboardHelpers = {
  tapTab,
  recordedMessages,
  tabIdOf,
  waitForMessage,
  waitForQuiet,
  readTabView,
  expectLeader,
  expectPresence,
};

/**
 * Playwright's `test` with the `tabs` and `switchboard` fixtures. To add them to your own `test`,
 * use `mergeTests(yourTest, test)`.
 *
 * @example
 * import { expect, test } from '@switchboard/testing/playwright';
 * test('orders reach inventory', async ({ tabs, switchboard }) => {
 *   const [orders, inventory] = await tabs.open(2, '/shop.html');
 *   await orders.getByRole('button', { name: 'Order' }).click();
 *   const created = await switchboard.waitForMessage(inventory, 'orders.created');
 *   expect(created.remote).toBe(true);
 * });
 */
export const test: ReturnType<typeof base.extend<SwitchboardFixtures>> = base.extend<SwitchboardFixtures>({
  tabs: async ({ context }, use) => {
    await use({ open: (count, url, options) => openTabs(context, count, url, options) });
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring.
  switchboard: async ({}, use) => {
    await use(helpers);
  },
});

export { expect } from '@playwright/test';
