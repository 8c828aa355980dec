import { type Message, topicMatches } from '@switchboard/bus';
import { el } from '../dom.ts';
import { createMessageTable, renderMessageRows } from './message-table.ts';

/** The live message view. */
export interface LiveLog {
  readonly element: HTMLElement;
  accept(message: Message): void;
  /** Re-renders; called when the panel becomes visible. */
  refresh(): void;
  /** The messages kept, oldest first. */
  messages(): readonly Message[];
}

const SHOWN = 200;

/**
 * Keeps the last `kept` messages (its own tab's and other tabs') and lists those matching a
 * topic pattern. `$sys.` events are opt-in: `#` does not match them (MQTT rule).
 */
export function createLiveLog(thisTab: string, kept: number, isVisible: () => boolean): LiveLog {
  const messages: Message[] = [];
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
  const status = el('span', { class: 'muted', 'data-testid': 'live-status' });
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

  function draw(): void {
    const shown: Message[] = [];
    for (let i = messages.length - 1; i >= 0 && shown.length < SHOWN; i--) {
      const message = messages[i]!;
      if (message.topic.startsWith('$sys.') && !system.checked && !filter.value.trim().startsWith('$sys')) continue;
      if (matches(message.topic)) shown.push(message);
    }
    renderMessageRows(body, shown, thisTab);
    status.textContent = `${shown.length} shown of ${messages.length}${paused ? ' (paused)' : ''}`;
  }

  function render(): void {
    if (scheduled || !isVisible()) return;
    scheduled = true;
    // Messages come in bursts (a saga publishes several in one go): draw once per burst.
    queueMicrotask(() => {
      scheduled = false;
      draw();
    });
  }

  filter.addEventListener('input', setFilter);
  system.addEventListener('change', render);
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
    render();
  });
  clear.addEventListener('click', () => {
    messages.length = 0;
    render();
  });
  setFilter();

  return {
    element,
    messages: () => messages,
    accept(message) {
      if (paused) return;
      messages.push(message);
      if (messages.length > kept) messages.splice(0, messages.length - kept);
      render();
    },
    refresh: render,
  };
}
