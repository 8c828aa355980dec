// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createLiveLog } from '../src/views/live-log.ts';
import { message, rows } from './fixtures.ts';

const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));
const topics = (root: Element) => rows(root, 'message-row').map((row) => row.getAttribute('data-topic'));

function type(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

describe('live log', () => {
  it('lists messages newest first with their app and tab; $sys. only when asked', async () => {
    const log = createLiveLog('tab-a', 10, () => true);
    log.accept(message('orders.placed', { id: 1 }, { source: 'orders' }));
    log.accept(message('$sys.circuit.x.failure', {}));
    log.accept(message('inventory.reserved', {}, { source: 'inventory', tabId: 'tab-b' }));
    await settle();
    expect(topics(log.element)).toEqual(['inventory.reserved', 'orders.placed']);
    const [first, second] = rows(log.element, 'message-row');
    expect(first?.getAttribute('data-source')).toBe('inventory');
    expect(first?.querySelector('.tab')?.textContent).toBe('tab-b');
    expect(second?.querySelector('.tab')?.textContent).toBe('this');

    const system = log.element.querySelector<HTMLInputElement>('[data-testid="live-system"]')!;
    system.checked = true;
    system.dispatchEvent(new Event('change'));
    await settle();
    expect(topics(log.element)).toEqual(['inventory.reserved', '$sys.circuit.x.failure', 'orders.placed']);
  });

  it('filters by pattern and refuses a half-typed one, saying why', async () => {
    const log = createLiveLog('tab-a', 10, () => true);
    log.accept(message('orders.placed', {}));
    log.accept(message('inventory.reserved', {}));
    const filter = log.element.querySelector<HTMLInputElement>('[data-testid="live-filter"]')!;
    type(filter, 'inventory.');
    await settle();
    expect(filter.classList.contains('invalid')).toBe(true);
    expect(filter.title).toMatch(/empty/);
    expect(topics(log.element)).toEqual([]);
    type(filter, 'inventory.#');
    await settle();
    expect(topics(log.element)).toEqual(['inventory.reserved']);
  });

  it('keeps the newest messages up to its bound, and draws nothing while hidden', async () => {
    let visible = false;
    const log = createLiveLog('tab-a', 2, () => visible);
    for (const topic of ['a.one', 'a.two', 'a.three']) log.accept(message(topic, {}));
    await settle();
    expect(topics(log.element)).toEqual([]);
    visible = true;
    log.refresh();
    await settle();
    expect(topics(log.element)).toEqual(['a.three', 'a.two']);
    expect(log.messages().map((m) => m.topic)).toEqual(['a.two', 'a.three']);
  });
});
