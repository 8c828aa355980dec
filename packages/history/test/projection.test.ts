import { describe, expect, it } from 'vitest';
import { createPubSub, type Clock } from '@switchboard/bus';
import { createHistoryAdapter, rebuildState, type Reducer } from '../src/index.ts';
import { freshIndexedDB } from './support.ts';

interface Cart {
  items: Record<string, number>;
  checkedOut: boolean;
}

const cartReducer: Reducer<Cart> = (state, event) => {
  switch (event.topic) {
    case 'cart.item.added':
      return {
        ...state,
        items: { ...state.items, [event.payload.sku]: (state.items[event.payload.sku] ?? 0) + event.payload.qty },
      };
    case 'cart.item.removed': {
      const { [event.payload.sku]: _, ...items } = state.items;
      return { ...state, items };
    }
    case 'cart.checked-out':
      return { ...state, checkedOut: true };
    default:
      return state;
  }
};

describe('event sourcing', () => {
  it('rebuilds state from history, also as of a time and for one entity', async () => {
    let now = 1_000;
    const clock: Clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB(), clock, ttlSeconds: Infinity });
    const bus = createPubSub({ app: 'cart', clock });
    await history.attach(bus);
    const at = (ts: number, topic: string, payload: unknown) => {
      now = ts;
      bus.publish(topic, payload);
    };
    at(1_000, 'cart.item.added', { cart: 'c1', sku: 'apple', qty: 2 });
    at(2_000, 'cart.item.added', { cart: 'c2', sku: 'pear', qty: 1 });
    at(3_000, 'cart.item.added', { cart: 'c1', sku: 'plum', qty: 1 });
    at(4_000, 'cart.item.removed', { cart: 'c1', sku: 'apple' });
    at(5_000, 'cart.checked-out', { cart: 'c1' });
    await bus.flush();

    const initial: Cart = { items: {}, checkedOut: false };
    const forC1 = { where: (e: { payload: { cart: string } }) => e.payload.cart === 'c1' };
    expect(await history.rebuild('cart.#', cartReducer, initial, forC1)).toEqual({
      items: { plum: 1 },
      checkedOut: true,
    });
    expect(await history.rebuild('cart.#', cartReducer, initial, { ...forC1, asOf: 3_000 })).toEqual({
      items: { apple: 2, plum: 1 },
      checkedOut: false,
    });
    expect(await rebuildState(history, 'cart.item.+', cartReducer, initial, { fromTime: 2_000, asOf: 2_999 })).toEqual({
      items: { pear: 1 },
      checkedOut: false,
    });
    expect(await history.rebuild('cart.#', (count: number) => count + 1, 0)).toBe(5);
  });
});
