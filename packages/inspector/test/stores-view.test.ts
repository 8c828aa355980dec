// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { readStoreOperation } from '../src/store-operations.ts';
import { createStoresView } from '../src/views/stores-view.ts';
import { malformedBadge, message, rows } from './fixtures.ts';

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
    const view = createStoresView();
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
    const [store] = rows(view.element, 'store-row');
    expect(store?.getAttribute('data-version')).toBe('1');
    // The commit names the app that proposed it, not the sequencer's tab that sent it.
    expect(store?.textContent).toContain('addItem by orders');
    expect(store?.textContent).toContain('{"items":1}');
    expect(rows(view.element, 'store-operation').map((row) => row.getAttribute('data-kind'))).toEqual([
      'command',
      'reject',
      'commit',
      'propose',
    ]);
    expect(view.operations().map((op) => op.label)).toEqual(['addItem', 'addItem', 'stale', 'checkout']);
  });

  it('keeps the highest version when commits arrive out of order', () => {
    const view = createStoresView();
    view.accept(commit(2, 'two'));
    view.accept(commit(1, 'one'));
    expect(rows(view.element, 'store-row')[0]?.getAttribute('data-version')).toBe('2');
  });

  it('counts malformed store messages, including a payload naming another store', () => {
    const view = createStoresView();
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
});
