import { confirmCloneable, createPubSub, isSwitchboardError, type AdapterLink, type Message } from '@switchboard/bus';
import { createMemoryChannelHub } from '@switchboard/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attachCrossTab, createCrossTabPubSub, isSupported, type ChannelLike } from '../src/index.ts';
import { createTestTabs } from '@switchboard/testing';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('attachCrossTab: delivery', () => {
  it('delivers to other tabs with every field intact', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a', 'orders');
    const b = tabs.open('tab-b', 'inventory');
    const got: Message[] = [];
    b.bus.subscribe('orders.created', (m) => void got.push(m));
    const sent = a.bus.publish(
      'orders.created',
      { id: 'o1', at: new Date(5), tags: new Set(['x']) },
      {
        correlationId: 'corr-1',
        causationId: 'cause-1',
        tenant: 'acme',
      },
    );
    await tabs.settle();
    expect(got).toEqual([
      {
        id: sent.id,
        topic: 'orders.created',
        payload: { id: 'o1', at: new Date(5), tags: new Set(['x']) },
        ts: sent.ts,
        source: 'orders',
        meta: { correlationId: 'corr-1', causationId: 'cause-1', tenant: 'acme' },
        origin: { tabId: 'tab-a' },
        depth: 0,
      },
    ]);
    expect(a.seen.filter((m) => m.topic === 'orders.created')).toHaveLength(1);
    expect(a.crossTab.stats()).toMatchObject({ sent: 1, received: 0 });
    expect(b.crossTab.stats()).toMatchObject({ sent: 0, received: 1 });
  });

  it('keeps per-publisher order, never duplicates, never echoes a message back', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const all = ['a', 'b', 'c'].map((id) => tabs.open(`tab-${id}`));
    for (let round = 0; round < 3; round++) {
      for (const [index, tab] of all.entries()) {
        for (let n = 0; n < 50; n++) tab.bus.publish(`load.t${index}`, { n: round * 50 + n });
      }
      await tabs.settle();
    }
    for (const tab of all) {
      const load = tab.seen.filter((m) => m.topic.startsWith('load.'));
      expect(load).toHaveLength(450);
      expect(new Set(load.map((m) => m.id)).size).toBe(450);
      for (let other = 0; other < 3; other++) {
        const numbers = load.filter((m) => m.topic === `load.t${other}`).map((m) => (m.payload as { n: number }).n);
        expect(numbers).toEqual(Array.from({ length: 150 }, (_, n) => n));
      }
      expect(tab.crossTab.stats()).toMatchObject({ received: 300, sent: 150 });
      expect(tab.crossTab.stats().ignoredEnvelopes.own).toBe(0);
    }
  });

  it('continues the causation depth across tabs, so a ping-pong loop is stopped', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    a.bus.subscribe('game.pong', (m) => void a.bus.publish('game.ping', m.id));
    b.bus.subscribe('game.ping', () => void b.bus.publish('game.pong', null));
    a.bus.publish('game.ping', null);
    await tabs.settle();
    const depths = [...a.seen, ...b.seen].filter((m) => m.topic.startsWith('game.')).map((m) => m.depth);
    expect(Math.max(...depths)).toBe(32);
    expect([...a.errors, ...b.errors].filter((e) => isSwitchboardError(e, 'LOOP_DETECTED'))).toHaveLength(1);
  });

  it('serves several bus copies in one tab: each subscriber gets each message exactly once', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    // Two copies in tab 1 share its tab id, as getTabId() makes them; one bus in tab 2.
    const shell = tabs.open('tab-1', 'shell');
    const orders = tabs.open('tab-1', 'orders');
    const other = tabs.open('tab-2', 'inventory');
    shell.bus.publish('x.from-shell', 1);
    orders.bus.publish('x.from-orders', 2);
    other.bus.publish('x.from-other', 3);
    await tabs.settle();
    for (const tab of [shell, orders, other]) {
      expect(tab.topics('x.').sort()).toEqual(['x.from-orders', 'x.from-other', 'x.from-shell']);
    }
    expect(shell.crossTab.tabs().map((t) => [t.tabId, t.apps])).toEqual([
      ['tab-1', ['shell', 'orders']],
      ['tab-2', ['inventory']],
    ]);
    // The other copy of this tab is no new tab.
    expect(shell.topics('$sys.tab.joined')).toHaveLength(1);
  });

  it("sends other adapters' $sys. events to the other tabs, but keeps its own presence and leader events local", async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a');
    let link: AdapterLink | undefined;
    a.bus.attach({
      name: 'circuit',
      connect(l) {
        link = l;
      },
    });
    const b = tabs.open('tab-b');
    await tabs.advance(2000);
    link!.publishSystem('$sys.circuit.open', { name: 'payments' });
    await tabs.settle();
    expect(b.seen.filter((m) => m.topic === '$sys.circuit.open').map((m) => [m.payload, m.origin.tabId])).toEqual([
      [{ name: 'payments' }, 'tab-a'],
    ]);
    for (const tab of [a, b]) {
      const sys = tab.seen.filter((m) => m.topic !== '$sys.circuit.open' && m.topic.startsWith('$sys.'));
      expect(sys.length).toBeGreaterThan(0);
      expect(sys.every((m) => m.origin.tabId === tab.bus.tabId)).toBe(true);
    }
  });

  it('posts the first message of a burst at once, coalesces the rest in order, and splits batches at the limit', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    await tabs.settle();
    const before = a.crossTab.stats().posted;
    for (let n = 0; n < 1200; n++) a.bus.publish('burst.n', n);
    await a.crossTab.flush();
    expect(a.crossTab.stats().posted - before).toBe(4); // 1 + 512 + 512 + 175
    expect(a.crossTab.stats().coalescedBatches).toBe(3);
    await tabs.settle();
    expect(b.seen.filter((m) => m.topic === 'burst.n').map((m) => m.payload)).toEqual(
      Array.from({ length: 1200 }, (_, n) => n),
    );
  });

  it('posts a lone message at once and the rest of its synchronous run in a microtask, in order', async () => {
    const hub = createMemoryChannelHub();
    const bus = createPubSub({ app: 'a', tabId: 'tab-a' });
    const crossTab = attachCrossTab(bus, { channelFactory: hub.create, leaderElection: 'heartbeat' });
    const other = createPubSub({ app: 'b', tabId: 'tab-b' });
    const otherCrossTab = attachCrossTab(other, { channelFactory: hub.create, leaderElection: 'heartbeat' });
    const got: unknown[] = [];
    other.subscribe('quick.+', (m) => void got.push(m.payload));
    await hub.flush(); // hellos and their answering beats
    const before = crossTab.stats().posted;
    bus.publish('quick.one', 1);
    expect(crossTab.stats().posted).toBe(before + 1);
    bus.publish('quick.two', 2);
    void crossTab.flush(); // posts 'two' now; the run goes on
    bus.publish('quick.three', 3);
    bus.publish('quick.four', 4);
    expect(crossTab.stats().posted).toBe(before + 2);
    await Promise.resolve();
    expect(crossTab.stats().posted).toBe(before + 3);
    expect(crossTab.stats().coalescedBatches).toBe(1);
    // A new run: its first message goes at once again.
    bus.publish('quick.five', 5);
    expect(crossTab.stats().posted).toBe(before + 4);
    await hub.flush();
    expect(got).toEqual([1, 2, 3, 4, 5]);
    crossTab.detach();
    otherCrossTab.detach();
  });
});

describe('attachCrossTab: payload checks', () => {
  it('refuses an uncloneable payload or meta at publish, naming the topic; the bus keeps working', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    const local = vi.fn();
    a.bus.subscribe('bad.+', local);
    const attempt = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error;
      }
      throw new Error('expected publish to throw');
    };
    const inPayload = attempt(() => a.bus.publish('bad.payload', { save: () => 1 }));
    expect(inPayload).toMatchObject({ code: 'NOT_CLONEABLE' });
    expect(String((inPayload as Error).message)).toMatch(/^publish\('bad.payload'\)/);
    const inMeta = attempt(() => a.bus.publish('bad.meta', 1, { callback: () => 1 }));
    // The bus refuses it the same way with or without cross-tab attached.
    expect(inMeta).toMatchObject({
      code: 'NOT_CLONEABLE',
      topic: 'bad.meta',
      path: 'meta.callback',
      reason: 'function callback',
    });
    expect(local).not.toHaveBeenCalled();
    a.bus.publish('bad.fine', 'ok');
    await tabs.settle();
    expect(b.topics('bad.')).toEqual(['bad.fine']);
  });

  it('refuses a live Proxy at publish, before local delivery, naming the path', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    const local = vi.fn();
    a.bus.subscribe('users.+', local);
    expect(() => a.bus.publish('users.saved', { id: 'u1', profile: new Proxy({ name: 'Ada' }, {}) })).toThrow(
      expect.objectContaining({ code: 'NOT_CLONEABLE', topic: 'users.saved', path: 'payload.profile' }),
    );
    expect(local).not.toHaveBeenCalled();
    a.bus.publish('users.saved', { id: 'u1', profile: { name: 'Ada' } });
    await tabs.settle();
    expect(b.topics('users.')).toEqual(['users.saved']);
    expect(local).toHaveBeenCalledTimes(1);
  });

  it('sends a flat Proxy as a plain copy of its values: no object of it is posted, so no clone to refuse', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    const clone = vi.spyOn(globalThis, 'structuredClone');
    const user = new Proxy({ id: 'u1', name: 'Ada' }, {});
    a.bus.publish('users.saved', user);
    // The channel clones the envelope, never the payload on its own (nor does it hold it).
    expect(clone.mock.calls.some(([value]) => value === user || (Array.isArray(value) && value.includes(user)))).toBe(
      false,
    );
    await tabs.settle();
    const got = b.seen.find((m) => m.topic === 'users.saved');
    expect(got?.payload).toEqual({ id: 'u1', name: 'Ada' });
    expect(Object.getPrototypeOf(got?.payload)).toBe(Object.prototype);
  });

  it('clones nothing at publish for a primitive payload, inside a handler (meta { causationId }) too', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    a.bus.subscribe('ping', (m) => void a.bus.publish('pong', m.payload));
    const clone = vi.spyOn(globalThis, 'structuredClone');
    a.bus.publish('ping', 7);
    // Only the channel's clones of the two posts.
    expect(clone.mock.calls.every(([value]) => Array.isArray(value) && value[0] === 'switchboard')).toBe(true);
    await tabs.settle();
    expect(b.seen.find((m) => m.topic === 'pong')?.payload).toBe(7);
    expect(() => createCrossTabPubSub({ app: 'x', checkPayloads: false }).publish('f', () => {})).toThrow(
      expect.objectContaining({ code: 'NOT_CLONEABLE', topic: 'f' }),
    );
  });

  it('refuses a Proxy in meta, and a flat Proxy where another adapter clones the whole message', () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a');
    const local = vi.fn();
    a.bus.subscribe('users.+', local);
    expect(() => a.bus.publish('users.saved', 1, { ctx: new Proxy({}, {}) })).toThrow(
      expect.objectContaining({ code: 'NOT_CLONEABLE', topic: 'users.saved', path: 'meta.ctx' }),
    );
    // A store (history) keeps the message itself, so its full check still refuses the Proxy.
    a.bus.attach({ name: 'store', clones: confirmCloneable, connect() {} });
    expect(() => a.bus.publish('users.saved', new Proxy({ id: 'u1' }, {}))).toThrow(
      expect.objectContaining({ code: 'NOT_CLONEABLE', topic: 'users.saved', path: 'payload' }),
    );
    expect(local).not.toHaveBeenCalled();
  });

  it('refuses a payload over maxPayloadBytes with PAYLOAD_TOO_LARGE', async () => {
    const tabs = createTestTabs({ attachCrossTab, maxPayloadBytes: 1000 });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    const error = (() => {
      try {
        a.bus.publish('files.loaded', { text: 'x'.repeat(5000) });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(isSwitchboardError(error, 'PAYLOAD_TOO_LARGE')).toBe(true);
    expect(error).toMatchObject({ name: 'PayloadError', topic: 'files.loaded' });
    expect((error as Error).message).toMatch(
      /^publish\('files.loaded'\): the payload is about .* limit 1000 bytes; .*raise maxPayloadBytes\.$/,
    );
    a.bus.publish('files.small', { text: 'x'.repeat(500) });
    await tabs.settle();
    expect(b.topics('files.')).toEqual(['files.small']);
  });

  it('defaults to a 1 MiB limit', () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a');
    expect(() => a.bus.publish('big.ok', 'x'.repeat(1000 * 1000))).not.toThrow();
    expect(() => a.bus.publish('big.no', 'x'.repeat(1100 * 1000))).toThrow(/limit 1 MiB/);
  });

  it('reports a message the channel cannot clone, and still sends the rest of its batch', async () => {
    const hub = createMemoryChannelHub();
    const picky = (name: string): ChannelLike => {
      const channel = hub.create(name);
      return {
        name,
        postMessage(data) {
          if (JSON.stringify(data).includes('odd.one')) throw new DOMException('could not be cloned', 'DataCloneError');
          channel.postMessage(data);
        },
        addEventListener: (type, listener) => channel.addEventListener(type, listener),
        removeEventListener: (type, listener) => channel.removeEventListener(type, listener),
        close: () => channel.close(),
      };
    };
    const errors: unknown[] = [];
    const a = createPubSub({ app: 'a', tabId: 'tab-a', onError: (e) => void errors.push(e) });
    const b = createPubSub({ app: 'b', tabId: 'tab-b' });
    const crossA = attachCrossTab(a, { channelFactory: picky, leaderElection: 'heartbeat' });
    const crossB = attachCrossTab(b, { channelFactory: hub.create, leaderElection: 'heartbeat' });
    const got: unknown[] = [];
    b.subscribe('odd.+', (m) => void got.push(m.topic));
    a.publish('odd.before', 1);
    a.publish('odd.one', 2);
    a.publish('odd.after', 3);
    await a.flush();
    await hub.flush();
    expect(got).toEqual(['odd.before', 'odd.after']);
    expect(errors).toEqual([expect.objectContaining({ code: 'NOT_CLONEABLE', topic: 'odd.one' })]);
    expect(crossA.stats().postErrors).toBe(1);
    crossA.detach();
    crossB.detach();
  });
});

describe('attachCrossTab: environment', () => {
  it('keeps the buses of the tab working, and talking to each other, where BroadcastChannel is missing; warns once', async () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    // The warning registry is per page; start from a clean one.
    Reflect.deleteProperty(globalThis, Symbol.for('switchboard.warnings'));
    expect(isSupported()).toBe(false);
    const first = createCrossTabPubSub({ app: 'a' });
    const second = createCrossTabPubSub({ app: 'b' });
    const got = { first: vi.fn(), second: vi.fn() };
    first.subscribe('local.x', got.first);
    second.subscribe('local.x', got.second);
    first.publish('local.x', 1);
    expect(got.first).toHaveBeenCalledTimes(1);
    await first.flush();
    await Promise.resolve();
    expect(got.second).toHaveBeenCalledTimes(1);
    expect(first.crossTab.connected).toBe(false);
    expect(first.crossTab.isLeader()).toBe(true);
    expect(first.crossTab.tabs()).toEqual([
      { tabId: first.tabId, apps: ['a', 'b'], lastSeen: expect.any(Number), leader: true },
    ]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/^\[switchboard\] attachCrossTab\(\): BroadcastChannel is not available/);
    first.dispose();
    second.dispose();
  });

  it('createCrossTabPubSub gives a bus with cross-tab attached, options split between the two', async () => {
    const hub = createMemoryChannelHub();
    const a = createCrossTabPubSub({
      app: 'a',
      tabId: 'tab-a',
      channel: 'one',
      channelFactory: hub.create,
      leaderElection: 'heartbeat',
    });
    const b = createCrossTabPubSub({
      app: 'b',
      tabId: 'tab-b',
      channel: 'one',
      channelFactory: hub.create,
      leaderElection: 'heartbeat',
    });
    const c = createCrossTabPubSub({
      app: 'c',
      tabId: 'tab-c',
      channel: 'two',
      channelFactory: hub.create,
      leaderElection: 'heartbeat',
    });
    const got = { b: vi.fn(), c: vi.fn() };
    b.subscribe('hello', got.b);
    c.subscribe('hello', got.c);
    a.publish('hello', 'world');
    await a.flush();
    await hub.flush();
    expect(got.b).toHaveBeenCalledTimes(1);
    expect(got.c).not.toHaveBeenCalled();
    expect(a.stats().adapters).toEqual(['cross-tab:one']);
    for (const bus of [a, b, c]) bus.dispose();
  });

  it('refuses invalid options with an error that names them', () => {
    const bus = createPubSub({ app: 'a' });
    expect(() => attachCrossTab(bus, { heartbeatMs: 0 })).toThrow(
      /^attachCrossTab\(\): options.heartbeatMs must be a positive number of milliseconds, got 0\.$/,
    );
    expect(() => attachCrossTab(bus, { maxPayloadBytes: -1 })).toThrow(
      /maxPayloadBytes must be a positive number of bytes/,
    );
  });

  it('stops sending and receiving after detach, and tells the others', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    await tabs.settle();
    a.crossTab.detach();
    await tabs.settle();
    expect(b.seen.filter((m) => m.topic === '$sys.tab.left').map((m) => m.payload)).toEqual([
      { tabId: 'tab-a', reason: 'closed' },
    ]);
    a.bus.publish('after.detach', 1);
    b.bus.publish('after.detach', 2);
    await tabs.settle();
    expect(a.seen.filter((m) => m.topic === 'after.detach').map((m) => m.payload)).toEqual([1]);
    expect(b.seen.filter((m) => m.topic === 'after.detach').map((m) => m.payload)).toEqual([2]);
    expect(a.bus.stats().adapters).toEqual([]);
    expect(tabs.clock.pendingTimers).toBeGreaterThan(0); // b's heartbeat only
    a.crossTab.detach(); // twice is harmless
  });
});
