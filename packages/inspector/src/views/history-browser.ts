import type { Message } from '@switchboard/bus';
import { el } from '../dom.ts';
import { createMessageTable, renderMessageRows } from './message-table.ts';

/**
 * What the history view and the sagas view read: `createHistoryAdapter()` of
 * `@switchboard/history` (or `history.forApp(handle)`) is one.
 */
export interface InspectorHistory {
  getHistory(
    pattern: string,
    options: { limit?: number; order?: 'asc' | 'desc'; fromTime?: number },
  ): Promise<ReadonlyArray<Message>>;
}

/** The history view: queries a history adapter by pattern and time. */
export interface HistoryBrowser {
  readonly element: HTMLElement;
  /** Runs the current query again. */
  refresh(): Promise<void>;
}

const RANGES: ReadonlyArray<readonly [label: string, ms: number]> = [
  ['last 5 min', 5 * 60_000],
  ['last hour', 3_600_000],
  ['last day', 86_400_000],
  ['all', Number.POSITIVE_INFINITY],
];

/**
 * Lists what the history adapter kept, newest first: every tab's messages, including from
 * tabs that are closed now (each message is stored once, by the tab that published it).
 */
export function createHistoryBrowser(
  history: InspectorHistory,
  thisTab: string,
  onError: (error: unknown) => void,
): HistoryBrowser {
  const pattern = el('input', {
    class: 'filter',
    value: '#',
    spellcheck: 'false',
    'aria-label': 'History pattern',
    'data-testid': 'history-pattern',
  });
  const range = el(
    'select',
    { 'aria-label': 'Time range' },
    ...RANGES.map(([label], index) => el('option', { value: index, selected: index === RANGES.length - 1 }, label)),
  );
  const limit = el('input', { type: 'number', min: 1, max: 1000, value: 100, class: 'limit', 'aria-label': 'Limit' });
  const load = el('button', { type: 'button', 'data-testid': 'history-load' }, 'Query');
  const status = el('span', { class: 'muted' });
  const { table, body } = createMessageTable();
  const element = el(
    'div',
    { class: 'history-browser' },
    el('div', { class: 'toolbar' }, pattern, range, limit, load, status),
    table,
  );

  async function refresh(): Promise<void> {
    const window = RANGES[Number(range.value)]?.[1] ?? Number.POSITIVE_INFINITY;
    status.textContent = 'querying…';
    try {
      const started = performance.now();
      const messages = await history.getHistory(pattern.value.trim() || '#', {
        limit: Math.max(1, Number(limit.value) || 100),
        order: 'desc',
        ...(Number.isFinite(window) ? { fromTime: Date.now() - window } : {}),
      });
      renderMessageRows(body, messages, thisTab);
      status.textContent = `${messages.length} messages in ${Math.round(performance.now() - started)} ms`;
    } catch (error) {
      // A bad pattern or a closed database: show the library's message, it says what to do.
      body.replaceChildren();
      onError(error);
      status.textContent = error instanceof Error ? error.message : String(error);
    }
  }

  load.addEventListener('click', () => void refresh());
  pattern.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') void refresh();
  });
  return { element, refresh };
}
