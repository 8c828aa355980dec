import type { Page } from '@playwright/test';
import { readRecord, tabIdsOf } from './page-record.ts';
import type { RecordedMessage } from './recorder.ts';

/** What one tab believes about the others, from the `$sys.` events it delivered. */
export interface TabView {
  /** This tab's own id (of its first bus), undefined before it creates a bus. */
  readonly tabId: string | undefined;
  /** The leader from the last `$sys.leader.changed`; undefined if none yet, or none known now. */
  readonly leaderTabId: string | undefined;
  /** Whether any `$sys.leader.changed` was seen (false: no cross-tab, or no election yet). */
  readonly sawLeaderEvent: boolean;
  /** This tab plus every tab that joined and has not left, in order of joining. */
  readonly present: readonly string[];
}

/**
 * Folds recorded `$sys.tab.joined`, `$sys.tab.left` and `$sys.leader.changed` events into a tab's
 * view of leader and presence. Works on the events alone, so the kit needs no cross-tab code.
 *
 * @example
 * import { deriveTabView, recordedMessages } from '@switchboard/testing/playwright';
 * const view = deriveTabView(await recordedMessages(page, '$sys.#'), 'tab-a');
 * console.log(view.leaderTabId, view.present);
 */
export function deriveTabView(messages: readonly RecordedMessage[], ownTabId: string | undefined): TabView {
  const present: string[] = ownTabId === undefined ? [] : [ownTabId];
  let leaderTabId: string | undefined;
  let sawLeaderEvent = false;
  for (const message of messages) {
    const payload = (message.payload ?? {}) as { tabId?: unknown; leaderTabId?: unknown };
    switch (message.topic) {
      case '$sys.tab.joined':
        if (typeof payload.tabId === 'string' && !present.includes(payload.tabId)) present.push(payload.tabId);
        break;
      case '$sys.tab.left':
        if (typeof payload.tabId === 'string' && payload.tabId !== ownTabId) {
          const index = present.indexOf(payload.tabId);
          if (index >= 0) present.splice(index, 1);
        }
        break;
      case '$sys.leader.changed':
        sawLeaderEvent = true;
        leaderTabId = typeof payload.leaderTabId === 'string' ? payload.leaderTabId : undefined;
        break;
    }
  }
  return { tabId: ownTabId, leaderTabId, sawLeaderEvent, present };
}

/**
 * Reads a page's current {@link TabView}.
 *
 * @example
 * import { readTabView } from '@switchboard/testing/playwright';
 * const { leaderTabId, present } = await readTabView(page);
 */
export async function readTabView(page: Page, fn = 'readTabView()'): Promise<TabView> {
  const [tabIds, batch] = await Promise.all([tabIdsOf(page, fn), readRecord(page, fn, 0, '$sys.#', 0)]);
  return deriveTabView(batch.matching, tabIds[0]);
}

/** `leader t2, tabs [t1, t2]`: a view in one line, for error messages. */
export function describeView(view: TabView): string {
  const leader = view.sawLeaderEvent ? `leader ${view.leaderTabId ?? '(none known)'}` : 'no $sys.leader.changed seen';
  return `${leader}, tabs [${view.present.join(', ')}]`;
}
