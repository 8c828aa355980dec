import type { Message } from '@switchboard/bus';
import { el } from '../dom.ts';
import { clockTime, domainOf, preview, shortTab } from '../format.ts';

/**
 * Renders messages as rows (time, topic, app, tab, payload), newest first. The app is the
 * message's `source`: the app whose handle published it, stamped by the runtime. Shared by the live log
 * and the history browser, so both read the same way.
 */
export function renderMessageRows(body: HTMLElement, messages: readonly Message[], thisTab: string): void {
  body.replaceChildren(
    ...messages.map((message) =>
      el(
        'tr',
        {
          class: `row domain-${domainOf(message)}`,
          'data-testid': 'message-row',
          'data-topic': message.topic,
          'data-source': message.source,
        },
        el('td', { class: 'time' }, clockTime(message.ts)),
        el('td', { class: 'topic', title: message.topic }, message.topic),
        el('td', { class: 'source', title: message.source }, message.source),
        el(
          'td',
          { class: 'tab', title: message.origin.tabId },
          message.origin.tabId === thisTab ? el('b', {}, 'this') : shortTab(message.origin.tabId),
        ),
        el('td', { class: 'payload', title: preview(message.payload, 4000) }, preview(message.payload)),
      ),
    ),
  );
}

/** An empty message table; fill its body with {@link renderMessageRows}. */
export function createMessageTable(): { table: HTMLTableElement; body: HTMLTableSectionElement } {
  const body = el('tbody');
  const table = el(
    'table',
    { class: 'messages' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', {}, 'time'),
        el('th', {}, 'topic'),
        el('th', {}, 'app'),
        el('th', {}, 'tab'),
        el('th', {}, 'payload'),
      ),
    ),
    body,
  );
  return { table, body };
}
