import type { Page } from '@playwright/test';
import type { RecordedMessage } from './recorder.ts';

// Last tab id read from each page, so messages still name a tab after it closed.
const knownTabIds = new WeakMap<Page, string>();

/** Remembers the tab id read from a page. */
export function rememberTabId(page: Page, tabId: string): void {
  knownTabIds.set(page, tabId);
}

/** The last tab id read from a page, if any. */
export function lastKnownTabId(page: Page): string | undefined {
  return knownTabIds.get(page);
}

/** `tab abc1 (/orders.html)`: how errors name a page. */
export function describePage(page: Page): string {
  const tabId = knownTabIds.get(page);
  // The origin is the same for every tab of a test; the path tells them apart.
  const where = page.url().replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]+/i, '') || page.url();
  return `tab ${tabId ?? '(no bus yet)'} (${where}${page.isClosed() ? ', closed' : ''})`;
}

/** One line per message: `#3 orders.created {"id":1} from orders in tab abc (remote)`. */
function describeMessage(message: RecordedMessage): string {
  let payload: string;
  try {
    payload = JSON.stringify(message.payload) ?? String(message.payload);
  } catch (error) {
    payload = `[${String(error)}]`;
  }
  if (payload.length > 120) payload = `${payload.slice(0, 117)}...`;
  const where = message.remote ? `tab ${message.origin.tabId} (remote)` : `tab ${message.origin.tabId}`;
  return `#${message.seq} ${message.topic} ${payload} from ${message.source} in ${where}`;
}

/** The last `limit` messages, one per line, with a note of how many were left out. */
export function describeMessages(messages: readonly RecordedMessage[], limit = 10): string {
  if (messages.length === 0) return '  (none)';
  const shown = messages.slice(-limit).map((message) => `  ${describeMessage(message)}`);
  if (messages.length > limit) shown.unshift(`  ... ${messages.length - limit} earlier`);
  return shown.join('\n');
}

/** `$sys.tab.joined ×2, cart.updated ×1`: a count per topic, in first-seen order. */
export function describeTopics(topics: readonly string[]): string {
  if (topics.length === 0) return '(none)';
  const counts = new Map<string, number>();
  for (const topic of topics) counts.set(topic, (counts.get(topic) ?? 0) + 1);
  return [...counts].map(([topic, count]) => `${topic} ×${count}`).join(', ');
}
