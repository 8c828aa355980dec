import { describe, expect, it } from 'vitest';
import { createPubSub, isSwitchboardError, type AdapterLink, type Message, type PubSubBus } from '../src/index.ts';
import { attachRetained, clearRetained, type RetainedStorage } from '../src/retained.ts';

/** Two or more buses linked as tabs: each post reaches the others a microtask later, cloned. */
function linkTabs(buses: PubSubBus[], leader: PubSubBus) {
  const links = new Map<PubSubBus, AdapterLink>();
  const queue: Array<() => void> = [];
  for (const bus of buses) {
    bus.attach({
      name: 'fake-cross-tab',
      connect(link) {
        links.set(bus, link);
        link.provide('leadership', { isLeader: () => bus === leader, leaderTabId: () => leader.tabId });
      },
      onPublish(message) {
        if (message.topic === '$sys.leader.changed') return;
        for (const other of buses) {
          if (other === bus) continue;
          const copy = structuredClone(message);
          queue.push(() => links.get(other)?.inject(copy));
        }
      },
    });
  }
  return {
    async settle() {
      for (let round = 0; round < 20; round++) {
        await Promise.resolve();
        for (const post of queue.splice(0)) post();
      }
    },
  };
}

const topicsOf = (messages: Message[]) => messages.map((m) => `${m.topic}=${JSON.stringify(m.payload)}`);

describe('retained messages in one tab', () => {
  it('are delivered first to a retained subscriber, then live ones, once each', () => {
    const bus = createPubSub({ app: 'shell' });
    attachRetained(bus);
    bus.publish('user.session', { name: 'Ada' }, { retain: true });
    bus.publish('user.session', { name: 'Grace' }, { retain: true });
    bus.publish('user.theme', 'dark', { retain: true });
    bus.publish('user.click', 1);
    const seen: Message[] = [];
    bus.subscribe('user.#', (m) => void seen.push(m), { retained: true });
    expect(topicsOf(seen)).toEqual(['user.session={"name":"Grace"}', 'user.theme="dark"']);
    bus.publish('user.theme', 'light', { retain: true });
    expect(topicsOf(seen).slice(2)).toEqual(['user.theme="light"']);
    expect(seen[0]!.meta.retain).toBe(true);
  });

  it('without attachRetained a retained subscribe throws, naming the import', () => {
    const bus = createPubSub({ app: 'shell' });
    let error: unknown;
    try {
      bus.subscribe('user.#', () => {}, { retained: true });
    } catch (caught) {
      error = caught;
    }
    expect(isSwitchboardError(error, 'INVALID_OPTION')).toBe(true);
    expect((error as Error).message).toContain("attachRetained(bus) from '@switchboard/bus/retained'");
    expect(bus.stats().subscriptions).toBe(0);
  });

  it('subscribed inside a handler: replay after the current delivery, no duplicate of a queued retained message', async () => {
    const bus = createPubSub({ app: 'shell' });
    attachRetained(bus);
    bus.publish('cart.count', 1, { retain: true });
    const seen: string[] = [];
    bus.subscribe('mount', () => {
      // Queued behind 'mount', and already kept as cart.count's retained value.
      bus.publish('cart.count', 2, { retain: true });
      bus.subscribe('cart.#', (m) => void seen.push(`${m.topic}=${m.payload}`), { retained: true });
      seen.push('mounted');
    });
    bus.publish('mount', null);
    bus.publish('cart.count', 3, { retain: true });
    await bus.flush();
    expect(seen).toEqual(['mounted', 'cart.count=2', 'cart.count=3']);
  });

  it('a retained subscriber in a handler with nothing after it gets the replay once the delivery ends', async () => {
    const bus = createPubSub({ app: 'shell' });
    attachRetained(bus);
    bus.publish('cart.count', 1, { retain: true });
    const seen: string[] = [];
    bus.subscribe('mount', () => {
      bus.subscribe('cart.#', (m) => void seen.push(`${m.topic}=${m.payload}`), { retained: true });
    });
    bus.publish('mount', null);
    expect(seen).toEqual([]);
    await bus.flush();
    expect(seen).toEqual(['cart.count=1']);
  });

  it('what a replayed handler publishes is delivered after the replay, caused by the retained message', () => {
    const bus = createPubSub({ app: 'shell' });
    attachRetained(bus);
    const first = bus.publish('a.x', 1, { retain: true });
    bus.publish('a.y', 2, { retain: true });
    const order: string[] = [];
    bus.subscribe('echo', (m) => void order.push(`echo caused by ${m.meta.causationId === first.id ? 'a.x' : '?'}`));
    bus.subscribe(
      'a.+',
      (m) => {
        order.push(m.topic);
        if (m.topic === 'a.x') bus.publish('echo', null);
      },
      { retained: true },
    );
    expect(order).toEqual(['a.x', 'a.y', 'echo caused by a.x']);
  });

  it('once with retained takes the first retained message only', () => {
    const bus = createPubSub({ app: 'shell' });
    attachRetained(bus);
    bus.publish('a.x', 1, { retain: true });
    bus.publish('a.y', 2, { retain: true });
    const seen: string[] = [];
    bus.once('a.+', (m) => void seen.push(m.topic), { retained: true });
    bus.publish('a.z', 3);
    expect(seen).toEqual(['a.x']);
  });

  it('keeps at most maxTopics, dropping and reporting the topic updated longest ago', () => {
    const errors: unknown[] = [];
    const bus = createPubSub({ app: 'shell', onError: (e) => void errors.push(e) });
    const retained = attachRetained(bus, { maxTopics: 2 });
    bus.publish('t.a', 1, { retain: true });
    bus.publish('t.b', 1, { retain: true });
    bus.publish('t.a', 2, { retain: true });
    bus.publish('t.c', 1, { retain: true });
    expect(retained.matching('t.+').map((m) => m.topic)).toEqual(['t.a', 't.c']);
    expect(retained.stats()).toMatchObject({ topics: 2, dropped: 1 });
    expect(errors).toHaveLength(1);
    expect(isSwitchboardError(errors[0], 'RETAINED_LIMIT')).toBe(true);
    expect((errors[0] as { topic: string }).topic).toBe('t.b');
  });

  it('wildcards follow the bus: # and + at the start do not reach $sys. topics', () => {
    const bus = createPubSub({ app: 'shell' });
    const retained = attachRetained(bus);
    bus.publish('a', 1, { retain: true });
    bus.publish('a.b.c', 1, { retain: true });
    expect(retained.matching('a.#').map((m) => m.topic)).toEqual(['a', 'a.b.c']);
    expect(retained.matching('+.b.+').map((m) => m.topic)).toEqual(['a.b.c']);
    expect(retained.matching('#').map((m) => m.topic)).toEqual(['a', 'a.b.c']);
    expect(retained.matching('a.+')).toEqual([]);
  });

  it('rejects a bad maxTopics with a typed error', () => {
    expect(() => attachRetained(createPubSub({ app: 'a' }), { maxTopics: 0 })).toThrow(
      /maxTopics must be a positive integer/,
    );
  });

  it('unsubscribing (here by abort, mid-replay) stops the replay and later deliveries', () => {
    const bus = createPubSub({ app: 'shell' });
    attachRetained(bus);
    bus.publish('a.x', 1, { retain: true });
    bus.publish('a.y', 2, { retain: true });
    const seen: string[] = [];
    const controller = new AbortController();
    bus.subscribe(
      'a.+',
      (m) => {
        seen.push(m.topic);
        controller.abort();
      },
      { retained: true, signal: controller.signal },
    );
    bus.publish('a.z', 3, { retain: true });
    expect(seen).toEqual(['a.x']);
    expect(bus.stats().subscriptions).toBe(0);
  });
});

describe('retained messages across tabs', () => {
  it('a tab that opens gets the retained messages of the open tabs from the leader, delivered to early subscribers', async () => {
    const a = createPubSub({ app: 'shell', tabId: 'tab-a' });
    attachRetained(a);
    a.publish('user.session', { name: 'Ada' }, { retain: true });
    a.publish('cart.count', 3, { retain: true });
    const b = createPubSub({ app: 'shell', tabId: 'tab-b' });
    const tabs = linkTabs([a, b], a);
    const retainedB = attachRetained(b);
    const seen: Message[] = [];
    // Mounted before the answer came: it gets the messages as soon as they arrive.
    b.subscribe('user.#', (m) => void seen.push(m), { retained: true });
    await tabs.settle();
    await retainedB.ready();
    expect(topicsOf(seen)).toEqual(['user.session={"name":"Ada"}']);
    expect(retainedB.stats().synced).toBe(2);
    const late: Message[] = [];
    b.subscribe('cart.#', (m) => void late.push(m), { retained: true });
    expect(topicsOf(late)).toEqual(['cart.count=3']);
  });

  it('a message published live after the sync is not delivered twice', async () => {
    const a = createPubSub({ app: 'shell', tabId: 'tab-a' });
    attachRetained(a);
    const b = createPubSub({ app: 'shell', tabId: 'tab-b' });
    const tabs = linkTabs([a, b], a);
    attachRetained(b);
    const seen: string[] = [];
    b.subscribe('x.#', (m) => void seen.push(`${m.payload}`), { retained: true });
    a.publish('x.y', 1, { retain: true });
    await tabs.settle();
    a.publish('x.y', 2, { retain: true });
    await tabs.settle();
    expect(seen).toEqual(['1', '2']);
  });

  it('clearRetained forgets a topic in every tab', async () => {
    const a = createPubSub({ app: 'shell', tabId: 'tab-a' });
    const b = createPubSub({ app: 'shell', tabId: 'tab-b' });
    const tabs = linkTabs([a, b], a);
    attachRetained(a);
    const retainedB = attachRetained(b);
    a.publish('user.session', 'Ada', { retain: true });
    await tabs.settle();
    expect(retainedB.get('user.session')?.payload).toBe('Ada');
    clearRetained(a, 'user.session');
    await tabs.settle();
    expect(retainedB.get('user.session')).toBeUndefined();
    const seen: Message[] = [];
    a.subscribe('user.#', (m) => void seen.push(m), { retained: true });
    expect(seen).toEqual([]);
  });

  it('clearRetained without the adapter says what to attach', () => {
    expect(() => clearRetained(createPubSub({ app: 'a' }), 'x')).toThrow(/call attachRetained\(bus\)/);
  });

  it('a lone tab hydrates from storage, and stores what it publishes and clears', async () => {
    const rows = new Map<string, Message>();
    const storage: RetainedStorage = {
      load: async () => [...rows.values()],
      put: (message) => void rows.set(message.topic, message),
      remove: (topic) => void rows.delete(topic),
    };
    const withStorage = (bus: PubSubBus) =>
      bus.attach({ name: 'fake-history', connect: (link) => void link.provide('retained.storage', storage) });
    const first = createPubSub({ app: 'shell', tabId: 'first' });
    withStorage(first);
    attachRetained(first);
    first.publish('user.session', 'Ada', { retain: true });
    first.publish('user.theme', 'dark', { retain: true });
    clearRetained(first, 'user.theme');
    first.dispose();
    expect([...rows.keys()]).toEqual(['user.session']);

    const reopened = createPubSub({ app: 'shell', tabId: 'reopened' });
    const retained = attachRetained(reopened);
    withStorage(reopened); // attached later than the retained store: found all the same
    await retained.ready();
    const seen: Message[] = [];
    reopened.subscribe('user.#', (m) => void seen.push(m), { retained: true });
    expect(topicsOf(seen)).toEqual(['user.session="Ada"']);
    expect(retained.stats().hydrated).toBe(1);
  });
});
