import type { Message } from '@switchboard/bus';
import { attachSchemas } from '@switchboard/bus/schemas';
import { createFakeClock } from '@switchboard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { settle, until } from './fake-windows.ts';
import { cleanUp, FRAME, join, manifest, setup } from './bridge-setup.ts';

afterEach(cleanUp);

describe('frame to host and back', () => {
  it("publishes as the frame's app from the host's tab, and the frame's own subscriber sees it once", async () => {
    const { bus, page, seen } = setup();
    const frame = await join(page);
    expect(frame.tabId).toBe(bus.tabId);
    expect(frame.permissions).toEqual(manifest.orders);
    const mine: Message[] = [];
    frame.subscribe('orders.#', (m) => void mine.push(m));
    frame.publish('orders.placed', { id: 'o1' }, { correlationId: 'c1' });
    await frame.flush();
    const published = seen.filter((m) => m.topic === 'orders.placed');
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      source: 'orders',
      payload: { id: 'o1' },
      meta: { correlationId: 'c1' },
      origin: { tabId: bus.tabId },
    });
    await settle();
    expect(mine.map((m) => m.topic)).toEqual(['orders.placed']);
  });

  it("delivers what the host's bus carries for the frame's patterns, and nothing else", async () => {
    const { bus, page } = setup();
    const frame = await join(page);
    const got: Message[] = [];
    frame.subscribe('inventory.stock.#', (m) => void got.push(m));
    await frame.flush();
    const sent = bus.publish('inventory.stock.sku-1', { qty: 3 });
    bus.publish('inventory.reserved', { sku: 'sku-1' });
    bus.publish('billing.charged', { amount: 1 });
    await until(() => expect(got).toHaveLength(1));
    expect(got[0]).toEqual(sent);
    await settle();
    expect(got).toHaveLength(1);
  });

  it('a subscription wider than the permissions receives only what they allow, as in the page', async () => {
    const { bus, page } = setup();
    const frame = await join(page);
    const got: string[] = [];
    frame.subscribe('#', (m) => void got.push(m.topic));
    await frame.flush();
    bus.publish('billing.charged', {});
    bus.publish('orders.shipped', {});
    await until(() => expect(got).toEqual(['orders.shipped']));
  });

  it('an unsubscribe drops the subscription the host made for the frame', async () => {
    const { bus, page } = setup();
    const frame = await join(page);
    const before = bus.stats().subscriptions;
    const off = frame.subscribe('orders.#', () => {});
    await frame.flush();
    expect(bus.stats().subscriptions).toBe(before + 1);
    off();
    await frame.flush();
    expect(bus.stats().subscriptions).toBe(before);
  });

  it('a handler in the frame continues the causation chain on the host', async () => {
    const { bus, page, seen } = setup();
    const frame = await join(page);
    frame.subscribe('inventory.stock.#', () => void frame.publish('orders.restocked', {}));
    await frame.flush();
    const cause = bus.publish('inventory.stock.sku-2', { qty: 1 });
    await until(() => expect(seen.some((m) => m.topic === 'orders.restocked')).toBe(true));
    const effect = seen.find((m) => m.topic === 'orders.restocked')!;
    expect(effect.meta.causationId).toBe(cause.id);
    expect(effect.depth).toBe(cause.depth + 1);
  });
});

describe('schemas at the port', () => {
  /** A Standard Schema that wants `{ id: string }`. */
  const withId = {
    '~standard': {
      version: 1 as const,
      vendor: 'test',
      validate: (value: unknown) =>
        typeof (value as { id?: unknown })?.id === 'string'
          ? { value }
          : { issues: [{ message: 'id must be a string', path: ['id'] }] },
    },
  };

  it("the host checks the frame's publishes against its schemas; the frame hears why it was refused", async () => {
    const { bus, page, seen, hostErrors } = setup();
    attachSchemas(bus, { 'orders.placed': withId });
    const frameErrors: unknown[] = [];
    const frame = await join(page, frameErrors);
    frame.publish('orders.placed', { id: 7 });
    frame.publish('orders.placed', { id: 'o7' });
    await frame.flush();
    expect(seen.filter((m) => m.topic === 'orders.placed').map((m) => m.payload)).toEqual([{ id: 'o7' }]);
    expect(hostErrors).toEqual([expect.objectContaining({ code: 'SCHEMA_INVALID' })]);
    await until(() => expect(frameErrors).toEqual([expect.objectContaining({ code: 'SCHEMA_INVALID' })]));
    expect((frameErrors[0] as Error).message).toContain(
      "the host refused what this frame sent: publish('orders.placed')",
    );
  });
});

describe('leaving', () => {
  it("dispose() in the frame says goodbye: the host drops the frame's subscriptions at once", async () => {
    const { bus, page, connection, seen } = setup();
    const frame = await join(page);
    const before = bus.stats().subscriptions;
    frame.subscribe('orders.#', () => {});
    await frame.flush();
    expect(bus.stats().subscriptions).toBe(before + 1);
    frame.dispose();
    await until(() => expect(connection.state).toBe('waiting'));
    expect(bus.stats().subscriptions).toBe(before);
    expect(seen.filter((m) => m.topic === '$sys.frame.left').map((m) => m.payload)).toEqual([
      { app: 'orders', origin: FRAME, role: 'app', reason: 'closed' },
    ]);
  });

  it('the handle survives the host closing and reconnecting: its subscriptions are asked for again', async () => {
    const { bus, page, host, connection, seen } = setup();
    const clock = createFakeClock();
    const frame = await join(page, [], clock);
    const got: string[] = [];
    frame.subscribe('orders.#', (m) => void got.push(m.topic));
    await frame.flush();
    const withFrame = bus.stats().subscriptions;
    connection.close();
    expect(bus.stats().subscriptions).toBe(withFrame - 1);
    await settle();
    // Published while no host listens: kept, and sent once the frame is back.
    frame.publish('orders.meanwhile', {});
    host.connectFrame(page.element, { origin: FRAME, app: 'orders', permissions: manifest.orders });
    // The frame's first hello found no connection; its next one, 50 ms later, does.
    clock.advance(50);
    await until(() => expect(bus.stats().subscriptions).toBe(withFrame));
    await until(() => expect(seen.map((m) => m.topic)).toContain('orders.meanwhile'));
    bus.publish('orders.after', {});
    await until(() => expect(got).toEqual(['orders.meanwhile', 'orders.after']));
  });
});
