// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { readStoreOperation } from '../src/store-operations.ts';
import { createStoresView } from '../src/views/stores-view.ts';
import { malformedBadge, message } from './fixtures.ts';

const onError = vi.fn();

const commit = (version: number, value: unknown) =>
  message(
    '$sys.store.commit.orders.cart',
    {
      storeId: 'orders.cart',
      version,
      opId: `op-${version}`,
      value,
      tabId: 'tab-b',
      source: 'orders',
      label: 'addItem',
      ts: 1,
      schemaVersion: 1,
    },
    { source: 'shell' },
  );

describe('stores view', () => {
  it('shows the latest version of each store and the recent operations', () => {
    const view = createStoresView(undefined, onError);
    view.accept(
      message('$sys.store.propose.orders.cart', {
        storeId: 'orders.cart',
        opId: 'op-1',
        baseVersion: 0,
        value: { items: 1 },
        tabId: 'tab-b',
        schemaVersion: 1,
        persist: false,
        label: 'addItem',
      }),
    );
    view.accept(commit(1, { items: 1 }));
    view.accept(
      message('$sys.store.reject.orders.cart', {
        storeId: 'orders.cart',
        opId: 'op-9',
        to: 'tab-c',
        version: 1,
        applied: false,
      }),
    );
    view.accept(
      message('$sys.store.command.orders.cart', {
        storeId: 'orders.cart',
        command: 'checkout',
        payload: {},
        tabId: 'tab-b',
      }),
    );
    view.accept(message('$sys.store.elect', {}));
    const [store] = [...view.element.querySelectorAll('.store-row')];
    expect(store?.getAttribute('data-version')).toBe('1');
    // The commit names the app that proposed it, not the sequencer's tab that sent it.
    expect(store?.textContent).toContain('addItem by orders');
    expect(store?.textContent).toContain('{"items":1}');
    expect([...view.element.querySelectorAll('.store-operation')].map((row) => row.getAttribute('data-kind'))).toEqual([
      'command',
      'reject',
      'commit',
      'propose',
    ]);
    expect(view.operations().map((op) => op.label)).toEqual(['addItem', 'addItem', 'stale', 'checkout']);
  });

  it('keeps the highest version when commits arrive out of order', () => {
    const view = createStoresView(undefined, onError);
    view.accept(commit(2, 'two'));
    view.accept(commit(1, 'one'));
    expect([...view.element.querySelectorAll('.store-row')][0]?.getAttribute('data-version')).toBe('2');
  });

  it('counts malformed store messages, including a payload naming another store', () => {
    const view = createStoresView(undefined, onError);
    expect(() =>
      view.accept(message('$sys.store.commit.orders.cart', { storeId: 'orders.cart', version: '2' })),
    ).not.toThrow();
    expect(() => view.accept(message('$sys.store.commit.orders.cart', 'x'))).not.toThrow();
    const elsewhere = commit(3, 'v');
    expect(() => view.accept({ ...elsewhere, topic: '$sys.store.commit.billing' })).not.toThrow();
    expect(view.malformedCount()).toBe(3);
    expect(malformedBadge(view.element)).toBe('3 malformed');
    expect(view.operations()).toEqual([]);
  });

  it('reads no operation from topics that are not per store', () => {
    expect(readStoreOperation(message('$sys.store.holdings', { tabId: 't', stores: [] }))).toBeUndefined();
    expect(readStoreOperation(message('orders.placed', {}))).toBeUndefined();
  });

  it('shows a persisted store as of an earlier version, and says why when its timeline is unreadable', async () => {
    const timeline = vi.fn(async (storeId: string) =>
      storeId === 'orders.cart'
        ? {
            snapshots: [{ storeId, version: 1, value: { items: 1 } }],
            operations: [{ storeId, version: 2, value: { items: 2 }, ts: 0, label: 'addItem', source: 'orders' }],
          }
        : { snapshots: 'nope' },
    );
    const failures = vi.fn();
    const view = createStoresView({ timeline }, failures);
    view.accept(commit(2, { items: 2 }));
    view.element.querySelector<HTMLButtonElement>('.store-name')!.click();
    const asOf = view.element.querySelector('[data-testid="stores-as-of"]')!;
    await vi.waitFor(() =>
      expect(asOf.querySelector('pre')?.textContent).toMatch(/^v2 · .* · addItem by orders\n\{"items":2\}$/),
    );
    const slider = asOf.querySelector('input')!;
    slider.value = '0';
    slider.dispatchEvent(new Event('input'));
    expect(asOf.querySelector('pre')?.textContent).toBe('v1 · snapshot\n{"items":1}');

    view.accept({
      ...commit(1, 'x'),
      topic: '$sys.store.commit.billing',
      payload: { ...(commit(1, 'x').payload as object), storeId: 'billing' },
    });
    view.element.querySelectorAll<HTMLButtonElement>('.store-name')[1]!.click();
    await vi.waitFor(() =>
      expect(asOf.textContent).toMatch(/^billing: expected \{ snapshots: \[\], operations: \[\] \}/),
    );
    expect(failures).not.toHaveBeenCalled();
  });
});
