import { systemAccess, type Message } from '@switchboard/bus';
import { forApp, isPermissionError } from '@switchboard/bus/apps';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from './fake-windows.ts';
import { appTopics, cleanUp, join, rawJoin, setup } from './bridge-setup.ts';

afterEach(cleanUp);

describe('the boundary', () => {
  it('a publish outside the permissions throws PermissionError in the frame and nothing crosses', async () => {
    const { page, seen, connection } = setup();
    const frame = await join(page);
    let error: unknown;
    try {
      frame.publish('inventory.reserved', { sku: 'x' });
    } catch (caught) {
      error = caught;
    }
    expect(isPermissionError(error)).toBe(true);
    expect(error).toMatchObject({ app: 'orders', action: 'publish', subject: 'inventory.reserved' });
    await frame.flush();
    expect(appTopics(seen)).toEqual([]);
    // The host tells the inspector, for the frame's app.
    const denial = seen.find((m) => m.topic === '$sys.app.denied');
    expect(denial).toMatchObject({ source: 'orders', payload: { app: 'orders', subject: 'inventory.reserved' } });
    expect(connection.stats().published).toBe(0);
  });

  it('a frame that skips its own checks is refused at the host, reported on both sides, and nothing is delivered', async () => {
    const { page, seen, hostErrors, connection } = setup();
    const { port } = await rawJoin(page);
    const refusals: unknown[] = [];
    port.onmessage = (event) => void refusals.push(event.data);
    port.postMessage({ t: 'pub', topic: 'inventory.reserved', payload: {}, meta: {} });
    port.postMessage({ t: 'pub', topic: '$sys.tab.left', payload: { tabId: 'x', reason: 'closed' }, meta: {} });
    port.postMessage({ t: 'pub', topic: '$sys.frame.left', payload: {}, meta: {} });
    port.postMessage({ t: 'sub', pattern: 'billing.#' });
    await until(() => expect(connection.stats().refused).toBe(4));
    expect(appTopics(seen)).toEqual([]);
    expect(seen.filter((m) => m.topic === '$sys.tab.left' || m.topic === '$sys.frame.left')).toEqual([]);
    expect(hostErrors.map((e) => (e as { code: string }).code)).toEqual([
      'PERMISSION_DENIED',
      'PERMISSION_DENIED',
      'PERMISSION_DENIED',
      'PERMISSION_DENIED',
    ]);
    const refused = () => refusals.flat().filter((down) => (down as { t: string }).t === 'refused');
    await until(() => expect(refused()).toHaveLength(4));
    expect(refused()).toEqual([
      expect.objectContaining({ t: 'refused', subject: 'inventory.reserved', code: 'PERMISSION_DENIED' }),
      expect.objectContaining({ t: 'refused', subject: '$sys.tab.left', code: 'PERMISSION_DENIED' }),
      expect.objectContaining({ t: 'refused', subject: '$sys.frame.left', code: 'PERMISSION_DENIED' }),
      expect.objectContaining({ t: 'refused', subject: 'billing.#', code: 'PERMISSION_DENIED' }),
    ]);
  });

  it("a frame that skips its own checks cannot call, handle or hear RPC methods outside its manifest's rpc rules", async () => {
    const { bus, page, seen, connection } = setup();
    const { port } = await rawJoin(page);
    const down: Array<{ t: string; m?: Message }> = [];
    port.onmessage = (event) => void down.push(event.data as { t: string; m?: Message });
    port.postMessage({ t: 'sub', pattern: '$sys.rpc.request.#' });
    port.postMessage({ t: 'pub', topic: '$sys.rpc.request.billing.charge', payload: { id: 'r1' }, meta: {} });
    port.postMessage({ t: 'pub', topic: '$sys.rpc.announce.orders.get', payload: {}, meta: {} });
    port.postMessage({ t: 'pub', topic: '$sys.rpc.request.inventory.stock', payload: { id: 'r2' }, meta: {} });
    await until(() => expect(seen.map((m) => m.topic)).toContain('$sys.rpc.request.inventory.stock'));
    expect(connection.stats().refused).toBe(3);
    expect(seen.some((m) => m.topic.endsWith('billing.charge') || m.topic.endsWith('orders.get'))).toBe(false);
    const refused = down.filter((d) => d.t === 'refused').map((d) => (d as { subject?: string }).subject);
    expect(refused).toEqual(['$sys.rpc.request.#', '$sys.rpc.request.billing.charge', '$sys.rpc.announce.orders.get']);
    // A request for a method it may not handle never comes down; a message forwarded after it
    // shows that it would have arrived by then.
    systemAccess(forApp(bus, 'inventory'), 'rpc').publish('$sys.rpc.request.orders.get', { id: 'r3' });
    const subscriptions = bus.stats().subscriptions;
    port.postMessage({ t: 'sub', pattern: 'orders.#' });
    await until(() => expect(bus.stats().subscriptions).toBe(subscriptions + 1));
    bus.publish('orders.after', {});
    await until(() => expect(down.filter((d) => d.t === 'msg').map((d) => d.m!.topic)).toContain('orders.after'));
    expect(down.filter((d) => d.t === 'msg').map((d) => d.m!.topic)).toEqual(['orders.after']);
  });

  it('a frame cannot claim another source: meta and message fields it sends are not the message', async () => {
    const { page, seen } = setup();
    const { port } = await rawJoin(page);
    port.postMessage({
      t: 'pub',
      topic: 'orders.placed',
      payload: {},
      meta: {},
      source: 'billing',
      id: 'forged',
      origin: { tabId: 'elsewhere' },
    });
    await until(() => expect(appTopics(seen)).toEqual(['orders.placed']));
    const message = seen.find((m) => m.topic === 'orders.placed')!;
    expect(message.source).toBe('orders');
    expect(message.id).not.toBe('forged');
    expect(message.origin.tabId).not.toBe('elsewhere');
  });

  it("without permissions the frame still cannot publish into $sys. outside its helpers' namespaces", async () => {
    const { page, seen, connection } = setup(false);
    const { port } = await rawJoin(page);
    port.postMessage({ t: 'pub', topic: '$sys.leader.changed', payload: {}, meta: {} });
    port.postMessage({ t: 'pub', topic: 'anything.goes', payload: {}, meta: {} });
    await until(() => expect(appTopics(seen)).toEqual(['anything.goes']));
    expect(connection.stats().refused).toBe(1);
    expect(seen.some((m) => m.topic === '$sys.leader.changed')).toBe(false);
  });

  it("a frame's helper reaches $sys. through systemAccess, checked by topic against the manifest", async () => {
    const { page, seen } = setup();
    const errors: unknown[] = [];
    const frame = await join(page, errors);
    const rpc = systemAccess(frame, 'rpc');
    rpc.publish('$sys.rpc.request.inventory.reserve', { id: 'r1' });
    expect(() => rpc.publish('$sys.rpc.request.billing.charge', { id: 'r2' })).toThrow(/rpc.call/);
    await frame.flush();
    const requests = seen.filter((m) => m.topic.startsWith('$sys.rpc.request'));
    expect(requests.map((m) => [m.topic, m.source])).toEqual([['$sys.rpc.request.inventory.reserve', 'orders']]);
  });
});
