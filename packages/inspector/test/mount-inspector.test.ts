// @vitest-environment happy-dom
import { createPubSub, type Message, systemAccess } from '@switchboard/bus';
import { describe, expect, it, vi } from 'vitest';
import { isInspectorError, mountInspector } from '../src/index.ts';
import { malformedBadge, message, rows } from './fixtures.ts';

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('mountInspector', () => {
  it('keeps rendering when a bus carries malformed $sys and shell payloads', async () => {
    const bus = createPubSub({ app: 'shell' });
    const element = document.createElement('div');
    const onError = vi.fn();
    const inspector = mountInspector(element, { bus, onError });
    const circuits = systemAccess(bus, 'circuit');
    circuits.publish('$sys.circuit.x.state', { state: 123 });
    bus.publish('shell.apps.mounted', { apps: 5 });
    circuits.publish('$sys.circuit.inventory.state', {
      name: 'inventory',
      state: 'OPEN',
      previous: 'CLOSED',
      generation: 1,
      since: 1,
      tabId: bus.tabId,
    });
    bus.publish('shell.apps.mounted', { apps: ['orders'] });
    await bus.flush();
    expect(rows(element, 'circuit-row').map((row) => row.getAttribute('data-circuit'))).toEqual(['inventory']);
    expect(rows(element, 'tab-apps')[0]?.textContent).toBe('orders');
    expect(inspector.stats()).toMatchObject({ messages: 4, malformed: 2, errors: 0 });
    expect(malformedBadge(element.querySelector('[data-testid="circuits-list"]')!.parentElement!)).toBe('1 malformed');
    expect(onError).not.toHaveBeenCalled();
    inspector.dispose();
    expect(element.childElementCount).toBe(0);
    expect(bus.stats().subscriptions).toBe(0);
  });

  it('rebuilds sagas from history first, then from the live feed, each event once', async () => {
    const bus = createPubSub({ app: 'shell' });
    const stored: Message[] = [
      message('saga.step.completed', { sagaId: 's-1', name: 'checkout', step: 1, stepName: 'reserve', total: 1 }),
      message('saga.completed', { sagaId: 's-1', name: 'checkout' }),
    ];
    const getHistory = vi.fn(async () => [...stored].reverse());
    const element = document.createElement('div');
    mountInspector(element, { bus, history: { getHistory } });
    bus.publish('saga.step.completed', { sagaId: 's-2', name: 'checkout', step: 1, stepName: 'reserve', total: 2 });
    await settle();
    expect(getHistory).toHaveBeenCalledWith('saga.#', { limit: 120, order: 'desc' });
    expect(
      rows(element, 'saga-row').map((row) => [row.getAttribute('data-saga'), row.getAttribute('data-status')]),
    ).toEqual([
      ['s-2', 'running'],
      ['s-1', 'completed'],
    ]);
    expect(element.querySelector('[data-testid="inspector-history-tab"]')).not.toBeNull();
  });

  it('reports a history it cannot read and goes on live', async () => {
    const bus = createPubSub({ app: 'shell' });
    const onError = vi.fn();
    const element = document.createElement('div');
    const inspector = mountInspector(element, {
      bus,
      onError,
      history: { getHistory: () => Promise.reject(new Error('database closed')) },
    });
    bus.publish('saga.completed', { sagaId: 's-1', name: 'checkout' });
    await settle();
    expect(onError).toHaveBeenCalledWith(new Error('database closed'));
    expect(rows(element, 'saga-row')).toHaveLength(1);
    expect(inspector.stats().errors).toBe(1);
  });

  it('shows a loaded session beside the live panel and goes back to it', async () => {
    const bus = createPubSub({ app: 'shell' });
    const element = document.createElement('div');
    const inspector = mountInspector(element, { bus });
    bus.publish('orders.placed', {});
    await bus.flush();
    inspector.showSession({
      format: 'switchboard-inspector-session',
      version: 1,
      exportedAt: 0,
      tabId: 'old-tab',
      skipped: 0,
      messages: [message('inventory.reserved', {}, { tabId: 'old-tab' })],
      storeOperations: [],
    });
    await settle();
    const session = element.querySelector('[data-testid="inspector-session"]')!;
    expect(rows(session, 'message-row').map((row) => row.getAttribute('data-topic'))).toEqual(['inventory.reserved']);
    element.querySelector<HTMLElement>('[data-testid="inspector-back-to-live"]')!.click();
    expect(element.querySelector('[data-testid="inspector-session"]')).toBeNull();
  });

  it("refuses a bad file from the Load button with the parser's message", async () => {
    const bus = createPubSub({ app: 'shell' });
    const element = document.createElement('div');
    const inspector = mountInspector(element, { bus });
    const input = element.querySelector<HTMLInputElement>('[data-testid="inspector-file"]')!;
    Object.defineProperty(input, 'files', {
      value: [new Blob(['{"format":"switchboard-inspector-session","version":9}'])],
    });
    input.dispatchEvent(new Event('change'));
    await vi.waitFor(() => expect(inspector.stats().rejectedFiles).toBe(1));
    expect(element.querySelector('[data-testid="inspector-load-status"]')?.textContent).toMatch(/version 9/);
  });

  it('refuses options it cannot use', () => {
    const element = document.createElement('div');
    for (const options of [{}, { bus: createPubSub({ app: 'shell' }), kept: 0 }]) {
      let error: unknown;
      try {
        mountInspector(element, options);
      } catch (caught) {
        error = caught;
      }
      expect(isInspectorError(error, 'INVALID_OPTION')).toBe(true);
    }
  });
});
