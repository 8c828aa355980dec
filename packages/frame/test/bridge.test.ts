import { createPubSub, systemAccess, type Message, type PubSubBus } from '@switchboard/bus';
import { defineManifest, forApp, isPermissionError, type AppBus } from '@switchboard/bus/apps';
import { attachSchemas } from '@switchboard/bus/schemas';
import { createMemoryHistory } from '@switchboard/history';
import { createFakeClock } from '@switchboard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createFrameHost, type FrameConnection, type FrameHost } from '../src/index.ts';
import { frameHistory, joinHost } from '../src/join.ts';
import type { PortLike } from '../src/window-like.ts';
import { createJoiner } from '../src/joiner.ts';
import { embed, settle, until, type FakeEmbedding } from './fake-windows.ts';

const HOST = 'https://shell.example.com';
const FRAME = 'https://orders.example.com';

const manifest = defineManifest({
  orders: {
    publish: ['orders.#'],
    subscribe: ['orders.#', 'inventory.stock.#'],
    rpc: { call: ['inventory.#'] },
  },
});

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

interface Setup {
  readonly bus: PubSubBus;
  readonly host: FrameHost;
  readonly connection: FrameConnection;
  readonly page: FakeEmbedding;
  readonly hostErrors: unknown[];
  /** Everything the host's bus delivers, `$sys.` included. */
  readonly seen: Message[];
}

function setup(permissions: boolean = true, history?: ReturnType<typeof createMemoryHistory>): Setup {
  const hostErrors: unknown[] = [];
  const bus = createPubSub({ app: 'shell', onError: (error) => hostErrors.push(error) });
  const seen: Message[] = [];
  bus.subscribe('#', (m) => void seen.push(m));
  bus.subscribe('$sys.#', (m) => void seen.push(m));
  const page = embed(HOST, FRAME);
  const host = createFrameHost(bus, { window: page.host, clock: createFakeClock(), heartbeatMs: 1000 });
  const connection = host.connectFrame(page.element, {
    origin: FRAME,
    app: 'orders',
    ...(permissions ? { permissions: manifest.orders } : {}),
    ...(history === undefined ? {} : { history }),
  });
  cleanups.push(() => bus.dispose());
  return { bus, host, connection, page, hostErrors, seen };
}

async function join(page: FakeEmbedding, errors: unknown[] = [], clock = createFakeClock()): Promise<AppBus> {
  const frame = await joinHost({
    hostOrigin: HOST,
    app: 'orders',
    window: page.frame,
    parent: page.parent,
    clock,
    onError: (error) => errors.push(error),
  });
  cleanups.push(() => frame.dispose());
  return frame;
}

const appTopics = (messages: Message[]) => messages.filter((m) => !m.topic.startsWith('$sys.')).map((m) => m.topic);

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

describe("the host tab's leadership and presence, seen from the frame", () => {
  it("a frame's helpers see the tab they run in, and its changes", async () => {
    const { bus, page } = setup();
    let leader = false;
    const listeners = new Set<() => void>();
    const tabs = [{ tabId: bus.tabId, apps: ['shell'], lastSeen: 1, leader: false }];
    bus.attach({
      name: 'fake-cross-tab',
      connect(link) {
        link.provide('leadership', { isLeader: () => leader, leaderTabId: () => (leader ? bus.tabId : 'other') });
        link.provide('presence', {
          tabs: () => tabs,
          onChange(listener: () => void) {
            listeners.add(listener);
            return () => void listeners.delete(listener);
          },
        });
      },
    });
    const frame = await join(page);
    const access = systemAccess(frame, 'rpc');
    type Leading = { isLeader(): boolean; leaderTabId(): string | undefined };
    type Tabs = { tabs(): Array<{ tabId: string }>; onChange(listener: () => void): () => void };
    await until(() => expect(access.lookup<Leading>('leadership')?.leaderTabId()).toBe('other'));
    expect(access.lookup<Leading>('leadership')?.isLeader()).toBe(false);
    expect(
      access
        .lookup<Tabs>('presence')
        ?.tabs()
        .map((tab) => tab.tabId),
    ).toEqual([bus.tabId]);

    let changes = 0;
    access.lookup<Tabs>('presence')!.onChange(() => void changes++);
    tabs.push({ tabId: 'tab-2', apps: ['orders'], lastSeen: 2, leader: false });
    for (const listener of listeners) listener();
    await until(() => expect(access.lookup<Tabs>('presence')?.tabs()).toHaveLength(2));
    expect(changes).toBe(1);
    leader = true;
    bus.attach({ name: 'leader-event', connect: (link) => void link.publishSystem('$sys.leader.changed', {}) });
    await until(() => expect(access.lookup<Leading>('leadership')?.isLeader()).toBe(true));
  });
});

describe("the host's history, read from the frame", () => {
  async function withHistory() {
    const history = createMemoryHistory();
    const context = setup(true, history);
    await history.attach(context.bus);
    return { ...context, history };
  }

  it('returns only what the app may receive', async () => {
    const { bus, page } = await withHistory();
    const allowed = bus.publish('orders.placed', { id: 'o1' });
    bus.publish('billing.charged', { amount: 3 });
    const stock = bus.publish('inventory.stock.sku-1', { qty: 2 });
    await bus.flush();
    const frame = await join(page);
    const stored = await frameHistory(frame).getHistory('#');
    expect(stored).toEqual([allowed, stock]);
    await expect(frameHistory(frame).getHistory('billing.#')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('subscribe replays the stored messages, then the live ones, none twice', async () => {
    const { bus, page } = await withHistory();
    const before = bus.publish('orders.placed', { id: 'o1' });
    await bus.flush();
    const frame = await join(page);
    const got: string[] = [];
    const replayed = frameHistory(frame).subscribe('orders.#', (m) => void got.push(m.id));
    const during = bus.publish('orders.shipped', { id: 'o1' });
    await replayed;
    const after = bus.publish('orders.paid', { id: 'o1' });
    await until(() => expect(got).toEqual([before.id, during.id, after.id]));
  });

  it('subscribe with { last } replays only the newest stored messages', async () => {
    const { bus, page } = await withHistory();
    bus.publish('orders.placed', { id: 'o1' });
    const newest = bus.publish('orders.placed', { id: 'o2' });
    await bus.flush();
    const frame = await join(page);
    const got: string[] = [];
    await frameHistory(frame).subscribe('orders.#', (m) => void got.push(m.id), { last: 1 });
    expect(got).toEqual([newest.id]);
  });

  it('without a history on connectFrame the query is refused, saying what to pass', async () => {
    const { page } = setup();
    const frame = await join(page);
    await expect(frameHistory(frame).getHistory('orders.#')).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('pass { history } there'),
    });
  });

  it('frameHistory() of a bus that did not join a host says what it expects', () => {
    expect(() => frameHistory(createPubSub({ app: 'x' }))).toThrow(/expected the handle joinHost\(\) resolved to/);
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

/** Joins like a frame that does not use joinHost: it holds the raw port. */
async function rawJoin(page: FakeEmbedding): Promise<{ port: PortLike }> {
  const joiner = createJoiner({
    role: 'app',
    app: 'orders',
    origins: [HOST],
    self: page.frame,
    parent: page.parent,
    clock: createFakeClock(),
    caller: 'raw',
    refuse: () => {},
  });
  cleanups.push(() => joiner.close());
  return joiner.join(5000);
}
