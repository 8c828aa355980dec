import { createPubSub, type ErrorContext } from '@switchboard/bus';
import { attachSchemas } from '@switchboard/bus/schemas';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { createHistoryAdapter } from '../src/index.ts';
import { freshIndexedDB } from './support.ts';

const placed = v.object({ orderId: v.string(), lines: v.array(v.object({ sku: v.string() })) });

/** A record stored by a tab that checked nothing (an older version of an app), then a tab with schemas. */
async function poisonedHistory() {
  const indexedDB = freshIndexedDB();
  const old = createPubSub({ app: 'old', tabId: 'tab-old' });
  const oldHistory = createHistoryAdapter({ indexedDB, namespace: 'shop' });
  await oldHistory.attach(old);
  old.publish('orders.placed', { orderId: 'o1', lines: [{ sku: 'a' }] });
  const poisoned = old.publish('orders.placed', { orderId: 'o2', lines: null });
  old.publish('orders.placed', { orderId: 'o3', lines: [{ sku: 'b' }] });
  await oldHistory.close();

  const reported: Array<{ error: unknown; context: ErrorContext }> = [];
  const bus = createPubSub({
    app: 'shell',
    tabId: 'tab-new',
    onError: (error, context) => void reported.push({ error, context }),
  });
  attachSchemas(bus, { 'orders.placed': placed });
  const history = createHistoryAdapter({ indexedDB, namespace: 'shop' });
  await history.attach(bus);
  return { bus, history, reported, poisoned };
}

describe('stored messages and schemas', () => {
  it('a query skips a stored record that breaks its schema, and reports it', async () => {
    const { bus, history, reported, poisoned } = await poisonedHistory();
    const found = await history.getHistory('orders.#');
    expect(found.map((m) => (m.payload as { orderId: string }).orderId)).toEqual(['o1', 'o3']);
    expect(reported).toHaveLength(1);
    expect(reported[0]!.context).toMatchObject({ kind: 'adapter', adapter: 'schemas', message: { id: poisoned.id } });
    expect(reported[0]!.error).toMatchObject({ code: 'SCHEMA_INVALID', path: 'payload.lines' });
    expect(bus.stats().refused).toBe(1);
    expect(history.stats().retrieved).toBe(2);
  });

  it('a replay skips it too, then goes live', async () => {
    const { bus, history, reported } = await poisonedHistory();
    const seen: string[] = [];
    await history.subscribe<{ orderId: string }>('orders.#', (m) => void seen.push(m.payload.orderId));
    bus.publish('orders.placed', { orderId: 'o4', lines: [] });
    expect(seen).toEqual(['o1', 'o3', 'o4']);
    expect(reported).toHaveLength(1);
  });

  it('rebuilds state without it', async () => {
    const { history } = await poisonedHistory();
    const count = await history.rebuild('orders.#', (n: number) => n + 1, 0);
    expect(count).toBe(2);
  });
});
