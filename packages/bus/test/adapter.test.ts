import { describe, expect, it, vi } from 'vitest';
import { createPubSub, SwitchboardError, type AdapterLink, type Message } from '../src/index.ts';

function recordingAdapter(name = 'rec') {
  const published: Message[] = [];
  let link: AdapterLink | undefined;
  const adapter = {
    name,
    connect: (l: AdapterLink) => {
      link = l;
    },
    onPublish: (m: Message) => void published.push(m),
    disconnect: vi.fn(),
  };
  return { adapter, published, link: () => link! };
}

describe('adapters', () => {
  it('see local publishes in order, not injected ones', () => {
    const bus = createPubSub({ app: 'a' });
    const { adapter, published, link } = recordingAdapter();
    bus.attach(adapter);
    const delivered: string[] = [];
    bus.subscribe('#', (m) => void delivered.push(m.id));
    const local = bus.publish('t', 1);
    const remote: Message = { ...local, id: 'remote-1', origin: { tabId: 'other' } };
    link().inject(remote);
    expect(published.map((m) => m.id)).toEqual([local.id]);
    expect(delivered).toEqual([local.id, 'remote-1']);
    expect(bus.stats().injected).toBe(1);
  });

  it('see injected messages through onInject, before subscribers, and a throwing onInject harms nothing', () => {
    const errors: unknown[] = [];
    const bus = createPubSub({ app: 'a', onError: (error) => void errors.push(error) });
    const order: string[] = [];
    const { adapter, link } = recordingAdapter();
    bus.attach({ ...adapter, onInject: (m: Message) => void order.push(`seen ${m.id}`) });
    bus.attach({
      name: 'broken',
      connect() {},
      onInject: () => {
        throw new Error('broken store');
      },
    });
    bus.subscribe('#', (m) => void order.push(`delivered ${m.id}`));
    const local = bus.publish('t', 1);
    link().inject({ ...local, id: 'remote-1', origin: { tabId: 'other' } });
    expect(order).toEqual([`delivered ${local.id}`, 'seen remote-1', 'delivered remote-1']);
    expect(errors).toEqual([new Error('broken store')]);
  });

  it('can refuse a message before anything is delivered', () => {
    const bus = createPubSub({ app: 'a' });
    const handler = vi.fn();
    bus.subscribe('big', handler);
    bus.attach({
      name: 'limit',
      connect() {},
      check: (m) => {
        if (m.payload === 'too big') throw new SwitchboardError('PAYLOAD_TOO_LARGE', `publish('${m.topic}'): too big`);
      },
    });
    expect(() => bus.publish('big', 'too big')).toThrow(expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }));
    expect(handler).not.toHaveBeenCalled();
    bus.publish('big', 'fine');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('continues the causation chain of injected messages', () => {
    const bus = createPubSub({ app: 'a' });
    const { adapter, published, link } = recordingAdapter();
    bus.attach(adapter);
    bus.subscribe('remote.ping', () => void bus.publish('local.pong', null));
    link().inject({
      id: 'r1',
      topic: 'remote.ping',
      payload: null,
      ts: 0,
      source: 'b',
      meta: {},
      origin: { tabId: 'x' },
      depth: 4,
    });
    expect(published[0]).toMatchObject({ topic: 'local.pong', depth: 5, meta: { causationId: 'r1' } });
  });

  it('reports a failing adapter without breaking delivery', () => {
    const errors: unknown[] = [];
    const bus = createPubSub({ app: 'a', onError: (error, context) => errors.push([error, context.adapter]) });
    bus.attach({
      name: 'broken',
      connect() {},
      onPublish: () => {
        throw new Error('post failed');
      },
    });
    const handler = vi.fn();
    bus.subscribe('t', handler);
    bus.publish('t', 1);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(errors).toEqual([[new Error('post failed'), 'broken']]);
  });

  it('detach and dispose disconnect adapters; double attach is refused', () => {
    const bus = createPubSub({ app: 'a' });
    const first = recordingAdapter('first');
    const second = recordingAdapter('second');
    const detach = bus.attach(first.adapter);
    bus.attach(second.adapter);
    expect(() => bus.attach(second.adapter)).toThrow(/already attached/);
    expect(bus.stats().adapters).toEqual(['first', 'second']);
    detach();
    expect(first.adapter.disconnect).toHaveBeenCalledTimes(1);
    bus.dispose();
    expect(second.adapter.disconnect).toHaveBeenCalledTimes(1);
    expect(() => bus.attach({} as never)).toThrow(/disposed/);
  });

  it('runs each hook in attach order beside adapters without it, and none of a detached adapter', () => {
    const bus = createPubSub({ app: 'a' });
    const calls: string[] = [];
    const hooks = (name: string) => ({
      name,
      connect() {},
      check: (m: Message) => void calls.push(`${name} check ${m.topic}`),
      onPublish: (m: Message) => void calls.push(`${name} publish ${m.topic}`),
      onInject: (m: Message) => void calls.push(`${name} inject ${m.topic}`),
    });
    let link!: AdapterLink;
    bus.attach({
      name: 'bare',
      connect: (connected) => {
        link = connected;
      },
    });
    const detachFirst = bus.attach(hooks('first'));
    bus.attach({ name: 'checks', connect() {}, check: (m) => void calls.push(`checks check ${m.topic}`) });
    bus.attach(hooks('last'));
    const local = bus.publish('t', 1);
    link.inject({ ...local, id: 'remote-1', topic: 'r', origin: { tabId: 'other' } });
    expect(calls).toEqual([
      'first check t',
      'checks check t',
      'last check t',
      'first publish t',
      'last publish t',
      'first inject r',
      'last inject r',
    ]);
    calls.length = 0;
    detachFirst();
    detachFirst(); // twice: nothing more
    bus.publish('u', 1);
    expect(calls).toEqual(['checks check u', 'last check u', 'last publish u']);
    expect(bus.stats().adapters).toEqual(['bare', 'checks', 'last']);
  });
});

describe('devtools hook', () => {
  it('is off by default and taps every delivered message once installed', async () => {
    const { installDevtoolsHook } = await import('../src/internal.ts');
    const before = createPubSub({ app: 'before' });
    const seen: Array<[string, string, boolean]> = [];
    const remove = installDevtoolsHook({ connect: (bus) => (m, remote) => void seen.push([bus.app, m.topic, remote]) });
    try {
      before.publish('x', 1);
      const bus = createPubSub({ app: 'tapped', tabId: 'tab-a' });
      let link: AdapterLink | undefined;
      bus.attach({
        name: 'in',
        connect: (l) => {
          link = l;
        },
      });
      bus.publish('local', 1);
      link!.inject({
        id: 'r',
        topic: 'remote',
        payload: 1,
        ts: 0,
        source: 'o',
        meta: {},
        origin: { tabId: 'tab-b' },
        depth: 0,
      });
      expect(seen).toEqual([
        ['tapped', 'local', false],
        ['tapped', 'remote', true],
      ]);
      expect(bus.tabId).toBe('tab-a');
    } finally {
      remove();
    }
  });
});

describe('adapter services', () => {
  it('lets one adapter find what another provides, until withdrawn', () => {
    const bus = createPubSub({ app: 'svc' });
    let provider: AdapterLink | undefined;
    let consumer: AdapterLink | undefined;
    bus.attach({
      name: 'provider',
      connect: (l) => {
        provider = l;
      },
    });
    bus.attach({
      name: 'consumer',
      connect: (l) => {
        consumer = l;
      },
    });
    expect(consumer!.lookup('leadership')).toBeUndefined();
    const withdraw = provider!.provide('leadership', { isLeader: () => true, leaderTabId: () => 't1' });
    expect(consumer!.lookup<{ leaderTabId(): string }>('leadership')?.leaderTabId()).toBe('t1');
    withdraw();
    expect(consumer!.lookup('leadership')).toBeUndefined();
  });
});

describe('admitting messages from elsewhere', () => {
  const remote = (id: string, payload: unknown): Message => ({
    id,
    topic: 't',
    payload,
    ts: 1,
    source: 'other',
    meta: {},
    origin: { tabId: 'tab-b' },
    depth: 0,
  });

  it('drops an injected message an adapter refuses, before onInject and every handler', () => {
    const bus = createPubSub({ app: 'a' });
    const { adapter, link } = recordingAdapter();
    const seen: string[] = [];
    bus.attach({ ...adapter, onInject: (m: Message) => void seen.push(`inject ${m.id}`) });
    const detach = bus.attach({ name: 'filter', connect() {}, admit: (m) => m.payload !== 'bad' });
    bus.subscribe('t', (m) => void seen.push(`deliver ${m.id}`));
    link().inject(remote('r1', 'bad'));
    link().inject(remote('r2', 'good'));
    expect(seen).toEqual(['inject r2', 'deliver r2']);
    expect(bus.stats()).toMatchObject({ injected: 1, refused: 1 });
    expect(link().admit(remote('r3', 'bad'))).toBe(false);
    expect(bus.stats().refused).toBe(2);
    detach();
    link().inject(remote('r4', 'bad'));
    expect(seen).toContain('deliver r4');
    expect(link().admit(remote('r5', 'bad'))).toBe(true);
  });

  it('drops and reports a message whose admit throws', () => {
    const errors: unknown[] = [];
    const bus = createPubSub({ app: 'a', onError: (error) => void errors.push(error) });
    const { adapter, link } = recordingAdapter();
    bus.attach(adapter);
    bus.attach({
      name: 'broken',
      connect() {},
      admit: () => {
        throw new Error('broken filter');
      },
    });
    const handler = vi.fn();
    bus.subscribe('t', handler);
    link().inject(remote('r1', 1));
    expect(handler).not.toHaveBeenCalled();
    expect(errors).toEqual([new Error('broken filter')]);
  });

  it('never runs admit on local publishes', () => {
    const bus = createPubSub({ app: 'a' });
    const admit = vi.fn(() => false);
    bus.attach({ name: 'filter', connect() {}, admit });
    const handler = vi.fn();
    bus.subscribe('t', handler);
    bus.publish('t', 1);
    expect(admit).not.toHaveBeenCalled();
    expect(handler).toHaveBeenCalledTimes(1);
  });
});

describe('publishing for another app', () => {
  it('stamps the given source, for app and $sys. topics, through every check', () => {
    const bus = createPubSub({ app: 'shell' });
    const { adapter, published, link } = recordingAdapter();
    bus.attach({
      ...adapter,
      check: (m: Message) => {
        if (m.payload === 'refused') throw new SwitchboardError('PAYLOAD_TOO_LARGE', 'refused');
      },
    });
    expect(link().publishAs('orders', 'orders.placed', 1).source).toBe('orders');
    expect(link().publishAs('orders', '$sys.rpc.request.x', 2).source).toBe('orders');
    expect(() => link().publishAs('orders', 'orders.placed', 'refused')).toThrow('refused');
    expect(() => link().publishAs('orders', 'orders.+', 3)).toThrow(expect.objectContaining({ code: 'INVALID_TOPIC' }));
    expect(() => link().publishAs('', 'orders.placed', 3)).toThrow(/source must be a non-empty app name/);
    expect(published.map((m) => [m.topic, m.source])).toEqual([
      ['orders.placed', 'orders'],
      ['$sys.rpc.request.x', 'orders'],
    ]);
    expect(bus.publish('shell.ready', 1).source).toBe('shell');
  });
});
