import { topicMatches, type Bus, type Message } from '@switchboard/bus';
import type { DemoTopics } from '@switchboard/demo-contract';
import { el } from '../dom.ts';
import { createMessageTable, renderMessageRows } from './message-table.ts';

/** The live message view of the inspector. */
export interface LiveLog {
  readonly element: HTMLElement;
  /** Re-renders; called when the panel becomes visible. */
  refresh(): void;
  dispose(): void;
}

/** Messages kept while the panel is closed, so opening it shows what just happened. */
const KEPT = 500;
const SHOWN = 200;

/**
 * Records every message this tab's bus delivers (its own and other tabs') and lists those
 * matching a topic pattern. `$sys.` events are opt-in: `#` does not match them (MQTT rule).
 */
export function createLiveLog(bus: Bus<DemoTopics>, isVisible: () => boolean): LiveLog {
  const kept: Message[] = [];
  let paused = false;
  let scheduled = false;
  let matches: (topic: string) => boolean = () => true;

  const filter = el('input', {
    class: 'filter',
    value: '#',
    spellcheck: 'false',
    'aria-label': 'Topic filter',
    'data-testid': 'live-filter',
  });
  const system = el('input', { type: 'checkbox', 'data-testid': 'live-system' });
  const pause = el('button', { type: 'button' }, 'Pause');
  const clear = el('button', { type: 'button' }, 'Clear');
  const status = el('span', { class: 'muted' });
  const { table, body } = createMessageTable();
  const element = el(
    'div',
    { class: 'live-log' },
    el('div', { class: 'toolbar' }, filter, el('label', {}, system, ' $sys'), pause, clear, status),
    table,
  );

  function setFilter(): void {
    const pattern = filter.value.trim() || '#';
    try {
      // Checks the pattern now, so a half-typed one is marked at once.
      topicMatches(pattern, 'check');
      filter.classList.remove('invalid');
      filter.title = 'MQTT-style: + one segment, # the rest';
      // `#` alone never reaches `$sys.` topics; with the $sys box ticked it should.
      matches = (topic) => topicMatches(pattern, topic) || (pattern === '#' && topic.startsWith('$sys.'));
    } catch (error) {
      // An unfinished pattern while typing: say what is wrong, show nothing until it is fixed.
      filter.classList.add('invalid');
      filter.title = error instanceof Error ? error.message : String(error);
      matches = () => false;
    }
    render();
  }

  function render(): void {
    if (scheduled || !isVisible()) return;
    scheduled = true;
    // Messages come in bursts (a saga publishes several in one go): draw once per burst.
    queueMicrotask(() => {
      scheduled = false;
      const shown: Message[] = [];
      for (let i = kept.length - 1; i >= 0 && shown.length < SHOWN; i--) {
        const message = kept[i]!;
        if (message.topic.startsWith('$sys.') && !system.checked && !filter.value.trim().startsWith('$sys')) continue;
        if (matches(message.topic)) shown.push(message);
      }
      renderMessageRows(body, shown, bus.tabId);
      status.textContent = `${shown.length} shown of ${kept.length}${paused ? ' (paused)' : ''}`;
    });
  }

  function record(message: Message): void {
    if (paused) return;
    kept.push(message);
    if (kept.length > KEPT) kept.splice(0, kept.length - KEPT);
    render();
  }

  const offDomain = bus.subscribe('#', record);
  const offSystem = bus.subscribe('$sys.#', record);
  filter.addEventListener('input', setFilter);
  system.addEventListener('change', render);
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
    render();
  });
  clear.addEventListener('click', () => {
    kept.length = 0;
    render();
  });
  setFilter();

  return {
    element,
    refresh: render,
    dispose() {
      offDomain();
      offSystem();
    },
  };
}
