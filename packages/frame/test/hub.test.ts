import { createPubSub, type Message, type PubSubBus } from '@switchboard/bus';
import { createFakeClock, createMemoryChannelHub, type MemoryChannelHub } from '@switchboard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { connectHubTo, type HubConnection } from '../src/connect-hub.ts';
import { isHubUnreachableError } from '../src/errors.ts';
import { createFrameHostCore } from '../src/frame-host.ts';
import { serveHub, type HubFrame } from '../src/serve-hub.ts';
import type { CookieJarLike } from '../src/site-probe.ts';
import { embed, settle, until } from './fake-windows.ts';

const HUB = 'https://hub.example.com';
const ORDERS = 'https://orders.example.com';
const INVENTORY = 'https://inventory.example.com';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A cookie jar that keeps cookies, or (third-party) drops every SameSite=Strict one. */
function cookieJar(firstParty: boolean): CookieJarLike {
  const cookies = new Map<string, string>();
  return {
    get cookie() {
      return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    },
    set cookie(text: string) {
      const [pair, ...attributes] = text.split(/;\s*/);
      const [name, value] = pair!.split('=') as [string, string];
      if (!firstParty && attributes.includes('SameSite=Strict')) return;
      if (attributes.includes('Max-Age=0')) cookies.delete(name);
      else cookies.set(name, value);
    },
  };
}

interface Tab {
  readonly bus: PubSubBus;
  readonly hub: HubConnection;
  readonly frame: HubFrame;
  readonly errors: unknown[];
  readonly inbox: Message[];
}

/** A tab at `origin` that embeds the hub; `crossTab` pretends cross-tab is attached to its bus. */
function openTab(
  origin: string,
  channels: MemoryChannelHub,
  options: { firstParty?: boolean; crossTab?: boolean } = {},
): Tab {
  const errors: unknown[] = [];
  const bus = createPubSub({ app: `shell@${origin}`, onError: (error) => errors.push(error) });
  if (options.crossTab) {
    bus.attach({ name: 'fake-cross-tab', connect: (link) => void link.provide('presence', {}) });
  }
  const inbox: Message[] = [];
  bus.subscribe('#', (message) => void inbox.push(message));
  const page = embed(origin, HUB);
  const core = createFrameHostCore(bus, { window: page.host, clock: createFakeClock(), heartbeatMs: 1000 });
  const hub = connectHubTo(core, { url: `${HUB}/hub.html`, element: page.element, selfOrigin: origin });
  const frame = serveHub({
    hostOrigins: [ORDERS, INVENTORY],
    window: page.frame,
    parent: page.parent,
    channelFactory: channels.create,
    cookies: cookieJar(options.firstParty ?? true),
    clock: createFakeClock(),
  });
  cleanups.push(() => {
    frame.close();
    bus.dispose();
  });
  return { bus, hub, frame, errors, inbox };
}

describe('hub', () => {
  it('joins tabs of two origins into one bus, both ways, with every field intact', async () => {
    const channels = createMemoryChannelHub();
    const orders = openTab(ORDERS, channels);
    const inventory = openTab(INVENTORY, channels);
    await Promise.all([orders.hub.ready(), inventory.hub.ready()]);
    const sent = orders.bus.publish('orders.placed', { id: 'o1', at: new Date(5) }, { correlationId: 'c1' });
    await until(() => expect(inventory.inbox).toHaveLength(1));
    expect(inventory.inbox[0]).toEqual(sent);
    inventory.bus.publish('inventory.reserved', { sku: 'a' });
    await until(() => expect(orders.inbox.map((m) => m.topic)).toEqual(['orders.placed', 'inventory.reserved']));
    expect(orders.hub.stats()).toMatchObject({ status: 'connected', sent: 1, received: 1 });
  });

  it('never relays the runtime topics, and drops relayed copies of its own origin when cross-tab delivers them', async () => {
    const channels = createMemoryChannelHub();
    const a = openTab(ORDERS, channels, { crossTab: true });
    const b = openTab(ORDERS, channels, { crossTab: true });
    const c = openTab(INVENTORY, channels, { crossTab: true });
    await Promise.all([a.hub.ready(), b.hub.ready(), c.hub.ready()]);
    const seen: string[] = [];
    c.bus.subscribe('$sys.#', (m) => void seen.push(m.topic));
    a.bus.publish('orders.placed', { id: 'o2' });
    await until(() => expect(c.inbox).toHaveLength(1));
    await until(() => expect(b.hub.stats().sameOrigin).toBe(1));
    expect(b.inbox).toEqual([]);
    // Frame presence is each tab's own: it is published in a's bus and stays there.
    expect(seen).toEqual([]);
  });

  it('a third-party hub says it is partitioned, relays nothing and the page is told why', async () => {
    const channels = createMemoryChannelHub();
    const tab = openTab(ORDERS, channels, { firstParty: false });
    const other = openTab(INVENTORY, channels);
    const error = await tab.hub.ready().catch((e: unknown) => e);
    expect(isHubUnreachableError(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'partitioned', hubOrigin: HUB, code: 'HUB_UNREACHABLE' });
    expect(tab.hub.status).toBe('partitioned');
    expect(tab.errors).toHaveLength(1);
    expect((tab.errors[0] as Error).message).toContain('the hub is third-party in this page');
    await other.hub.ready();
    tab.bus.publish('orders.placed', { id: 'o3' });
    other.bus.publish('inventory.reserved', { sku: 'b' });
    await settle();
    expect(other.inbox.map((m) => m.topic)).toEqual(['inventory.reserved']);
    expect(tab.inbox.map((m) => m.topic)).toEqual(['orders.placed']);
  });

  it('a hub that never answers is reported unreachable after timeoutMs', async () => {
    const clock = createFakeClock();
    const errors: unknown[] = [];
    const bus = createPubSub({ app: 'shell', onError: (error) => errors.push(error) });
    cleanups.push(() => bus.dispose());
    const page = embed(ORDERS, HUB);
    const core = createFrameHostCore(bus, { window: page.host, clock });
    const hub = connectHubTo(core, { url: `${HUB}/hub.html`, element: page.element, timeoutMs: 3000 });
    const ready = hub.ready().catch((e: unknown) => e);
    clock.advance(3000);
    expect(await ready).toMatchObject({ reason: 'timeout', code: 'HUB_UNREACHABLE' });
    expect(hub.status).toBe('unreachable');
    expect((errors[0] as Error).message).toContain('the hub did not answer within 3000 ms');
  });

  it('disposing the bus closes the hub connection for good: no timeout is reported later', async () => {
    const clock = createFakeClock();
    const errors: unknown[] = [];
    const bus = createPubSub({ app: 'shell', onError: (error) => errors.push(error) });
    const page = embed(ORDERS, HUB);
    const core = createFrameHostCore(bus, { window: page.host, clock });
    const hub = connectHubTo(core, { url: `${HUB}/hub.html`, element: page.element, timeoutMs: 3000 });
    const ready = hub.ready().catch((e: unknown) => e);
    bus.dispose();
    expect(hub.status).toBe('closed');
    expect(await ready).toMatchObject({ message: expect.stringContaining('closed before the hub answered') });
    clock.advance(10_000);
    expect(errors).toEqual([]);
  });

  it('refuses relay patterns that reach the runtime topics', () => {
    const bus = createPubSub({ app: 'shell' });
    cleanups.push(() => bus.dispose());
    const page = embed(ORDERS, HUB);
    const core = createFrameHostCore(bus, { window: page.host, clock: createFakeClock() });
    const connect = (relay: string[]) => connectHubTo(core, { url: `${HUB}/hub.html`, element: page.element, relay });
    expect(() => connect(['$sys.#'])).toThrow(/reaches the runtime's own topics/);
    expect(() => connect(['$sys.tab.#'])).toThrow(/name a helper namespace such as '\$sys.rpc.#'/);
    expect(() => connect(['orders.#.x'])).toThrow(/INVALID_PATTERN|'#'/);
  });
});
