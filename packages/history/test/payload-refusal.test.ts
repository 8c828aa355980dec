import { describe, expect, it, vi } from 'vitest';
import { createPubSub } from '@switchboard/bus';
import { createHistoryAdapter } from '../src/index.ts';
import { freshIndexedDB } from './support.ts';

describe('history and payloads that cannot be stored', () => {
  it('has the bus refuse a live Proxy at publish: nothing delivered, nothing stored, nothing reported', async () => {
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB() });
    const onError = vi.fn();
    const bus = createPubSub({ app: 'shop', onError });
    await history.attach(bus);
    const local = vi.fn();
    bus.subscribe('carts.#', local);
    expect(() => bus.publish('carts.saved', { lines: [new Proxy({ sku: 'a' }, {})] })).toThrow(
      expect.objectContaining({ code: 'NOT_CLONEABLE', topic: 'carts.saved', path: 'payload.lines[0]' }),
    );
    bus.publish('carts.saved', { lines: [{ sku: 'a' }] });
    await bus.flush();
    expect(local).toHaveBeenCalledTimes(1);
    expect(await history.getHistory('carts.#')).toHaveLength(1);
    expect(onError).not.toHaveBeenCalled();
  });
});
