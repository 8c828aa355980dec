import { describe, expect, it, vi } from 'vitest';
import { createPubSub, getTabId, isSwitchboardError, type ErrorContext, type Message } from '../src/index.ts';

function quietBus(app = 'test') {
  const errors: Array<{ error: unknown; context: ErrorContext }> = [];
  const bus = createPubSub({ app, onError: (error, context) => errors.push({ error, context }) });
  return { bus, errors };
}

describe('createPubSub', () => {
  it('refuses a missing app name with a clear error', () => {
    expect(() => createPubSub({} as never)).toThrow(/options\.app must be a non-empty string/);
    expect(() => createPubSub({ app: '' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('publish', () => {
  it('returns the message with every field set', () => {
    const { bus } = quietBus('orders');
    const before = Date.now();
    const message = bus.publish('orders.created', { id: 1 }, { correlationId: 'c1', custom: 'x' });
    expect(message).toMatchObject({
      topic: 'orders.created',
      payload: { id: 1 },
      source: 'orders',
      meta: { correlationId: 'c1', custom: 'x' },
      origin: { tabId: getTabId() },
      depth: 0,
    });
    expect(message.ts).toBeGreaterThanOrEqual(before);
    expect(typeof message.id).toBe('string');
  });

  it('makes unique ids, also across buses', () => {
    const a = quietBus('a').bus;
    const b = quietBus('b').bus;
    const ids = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      ids.add(a.publish('t', i).id);
      ids.add(b.publish('t', i).id);
    }
    expect(ids.size).toBe(2000);
  });

  it('delivers to exact and wildcard subscribers', () => {
    const { bus } = quietBus();
    const seen: string[] = [];
    bus.subscribe('orders.created', (m) => void seen.push(`exact:${m.topic}`));
    bus.subscribe('orders.+', (m) => void seen.push(`plus:${m.topic}`));
    bus.subscribe('orders.#', (m) => void seen.push(`hash:${m.topic}`));
    bus.subscribe('inventory.#', (m) => void seen.push(`other:${m.topic}`));
    bus.publish('orders.created', {});
    bus.publish('orders', {});
    // The documented order: patterns ending in `#` here first, then the exact name, then `+`.
    expect(seen).toEqual(['hash:orders.created', 'exact:orders.created', 'plus:orders.created', 'hash:orders']);
  });

  it.each([
    ['a wildcard', 'orders.+', 'INVALID_TOPIC'],
    ['the reserved namespace', '$sys.tab.joined', 'RESERVED_TOPIC'],
    ['an empty segment', 'a..b', 'INVALID_TOPIC'],
    ['a non-string', 7, 'INVALID_TOPIC'],
  ])('refuses %s and keeps working', (_name, topic, code) => {
    const { bus } = quietBus();
    const handler = vi.fn();
    bus.subscribe('#', handler);
    expect(() => bus.publish(topic as string, 1)).toThrow(expect.objectContaining({ code }));
    bus.publish('ok', 1);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('refuses payloads that cannot cross tabs, naming the topic and the value', () => {
    const { bus } = quietBus();
    const handler = vi.fn();
    bus.subscribe('#', handler);
    expect(() => bus.publish('orders.created', { items: [{ save() {} }] })).toThrow(
      /publish\('orders\.created'\): payload\.items\[0\]\.save \(function save\) cannot be sent/,
    );
    expect(() => bus.publish('x', Promise.resolve())).toThrow(expect.objectContaining({ code: 'NOT_CLONEABLE' }));
    expect(() => bus.publish('x', { id: 'o-1', qty: 2, run: Symbol('run') })).toThrow(/payload\.run \(symbol\)/);
    expect(handler).not.toHaveBeenCalled();
  });

  it('judges a flat object by its own values, not by what a polluted prototype adds', () => {
    const { bus } = quietBus();
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = () => {};
    try {
      expect(() => bus.publish('x', { id: 'o-1', qty: 2 })).not.toThrow();
    } finally {
      delete proto.polluted;
    }
  });

  it('accepts structured-cloneable values, cycles included', () => {
    const { bus } = quietBus();
    const cyclic: Record<string, unknown> = {
      when: new Date(),
      map: new Map([[1, new Set([2])]]),
      bytes: new Uint8Array(2),
    };
    cyclic.self = cyclic;
    expect(() => bus.publish('x', cyclic)).not.toThrow();
    expect(() => bus.publish('x', null)).not.toThrow();
    expect(() => bus.publish('x', undefined)).not.toThrow();
  });

  it('treats plain objects as data whatever their keys, and still refuses real nodes and promises', () => {
    const { bus } = quietBus();
    expect(() => bus.publish('x', { nodeType: 1, nodeName: 'DIV' })).not.toThrow();
    expect(() => bus.publish('x', { [Symbol.toStringTag]: 'Promise', n: 1 })).not.toThrow();
    class FakeNode {
      nodeType = 1;
      nodeName = 'DIV';
    }
    expect(() => bus.publish('x', { el: new FakeNode() })).toThrow(/payload\.el \(FakeNode\)/);
    expect(() => bus.publish('x', { later: Promise.resolve(1) })).toThrow(/payload\.later \(Promise\)/);
  });

  it('sends flat objects that are not plain (class instances, null prototype) to the detailed walk', () => {
    const { bus } = quietBus();
    class FakeNode {
      nodeType = 1;
      nodeName = 'DIV';
    }
    // Only primitive fields, so the quick check alone would pass it: its constructor sends it on.
    expect(() => bus.publish('x', new FakeNode())).toThrow(/payload \(FakeNode\)/);
    expect(() => bus.publish('x', Object.assign(Object.create(null) as object, { id: 'o-1' }))).not.toThrow();
    expect(() => bus.publish('x', { constructor: 'a key like any other', id: 'o-1' })).not.toThrow();
  });

  it('can skip the payload check', () => {
    const bus = createPubSub({ app: 't', checkPayloads: false });
    expect(() => bus.publish('x', () => 1)).not.toThrow();
  });
});

describe('subscribe', () => {
  it('checks a topic that is not a string, whatever was published or subscribed before', () => {
    const { bus } = quietBus();
    bus.subscribe('a.+', () => {});
    bus.publish('a.b', null);
    bus.subscribe('c.+', () => {}); // a change forgets the last topic matched
    for (const topic of [undefined, null, 42]) {
      expect(() => bus.publish(topic as never, null)).toThrow(expect.objectContaining({ code: 'INVALID_TOPIC' }));
    }
  });

  it('validates patterns and handlers', () => {
    const { bus } = quietBus();
    expect(() => bus.subscribe('a.#.b', () => {})).toThrow(expect.objectContaining({ code: 'INVALID_PATTERN' }));
    expect(() => bus.subscribe('a', 'nope' as never)).toThrow(
      /subscribe\('a'\): the handler must be a function, got string/,
    );
  });

  it('stops delivery once unsubscribe returns', () => {
    const { bus } = quietBus();
    const handler = vi.fn();
    const off = bus.subscribe('a', handler);
    bus.publish('a', 1);
    off();
    off();
    bus.publish('a', 2);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(bus.stats().subscriptions).toBe(0);
  });

  it('stops delivery when the signal aborts, and ignores an aborted signal', () => {
    const { bus } = quietBus();
    const controller = new AbortController();
    const handler = vi.fn();
    bus.subscribe('a', handler, { signal: controller.signal });
    bus.publish('a', 1);
    controller.abort();
    bus.publish('a', 2);
    bus.subscribe('a', handler, { signal: controller.signal });
    bus.publish('a', 3);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('once delivers the first match only', () => {
    const { bus } = quietBus();
    const handler = vi.fn();
    bus.once('a.+', handler);
    bus.publish('a.1', 1);
    bus.publish('a.2', 2);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(bus.stats().subscriptions).toBe(0);
  });

  it('does not let $sys events reach app-wide wildcards', () => {
    const { bus } = quietBus();
    const all = vi.fn();
    bus.subscribe('#', all);
    let link: Parameters<Parameters<typeof bus.attach>[0]['connect']>[0] | undefined;
    bus.attach({
      name: 'sys',
      connect: (l) => {
        link = l;
      },
    });
    const system = vi.fn();
    bus.subscribe('$sys.#', system);
    link!.publishSystem('$sys.tab.joined', { tabId: 'x' });
    expect(system).toHaveBeenCalledTimes(1);
    expect(all).not.toHaveBeenCalled();
  });
});

describe('handler errors', () => {
  it('reports the pattern of a throwing handler subscribed under several patterns', async () => {
    const { bus, errors } = quietBus();
    const handler = (): void => {
      throw new Error('boom');
    };
    bus.subscribe('orders.#', handler);
    bus.subscribe('orders.+', handler);
    bus.publish('orders.created', 1);
    expect(errors.map((e) => (e.context as { pattern: string }).pattern)).toEqual(['orders.#', 'orders.+']);
  });

  it('shares one frozen empty meta among messages published without meta', () => {
    const { bus } = quietBus();
    const first = bus.publish('a', 1);
    const second = bus.publish('a', 2);
    expect(first.meta).toEqual({});
    expect(Object.isFrozen(first.meta)).toBe(true);
    expect(second.meta).toBe(first.meta);
    expect(bus.publish('a', 3, { correlationId: 'c' }).meta).toEqual({ correlationId: 'c' });
  });

  it('isolates a throwing handler and reports it with context', async () => {
    const { bus, errors } = quietBus();
    const after = vi.fn();
    bus.subscribe('a', () => {
      throw new Error('sync boom');
    });
    bus.subscribe('a', async () => {
      throw new Error('async boom');
    });
    bus.subscribe('a', after);
    const message = bus.publish('a', 1);
    await bus.flush();
    expect(after).toHaveBeenCalledWith(message);
    expect(errors.map((e) => (e.error as Error).message)).toEqual(['sync boom', 'async boom']);
    expect(errors[0]!.context).toEqual({ kind: 'handler', message, pattern: 'a' });
    expect(bus.stats().handlerErrors).toBe(2);
  });

  it('rethrows asynchronously when no onError is set', async () => {
    const bus = createPubSub({ app: 't' });
    const boom = new Error('unhandled boom');
    bus.subscribe('a', () => {
      throw boom;
    });
    const uncaught = new Promise<unknown>((resolve) => process.once('uncaughtException', resolve));
    expect(() => bus.publish('a', 1)).not.toThrow();
    await expect(uncaught).resolves.toBe(boom);
  });
});

describe('dispose', () => {
  it('drops subscriptions and refuses further use', () => {
    const { bus } = quietBus();
    const handler = vi.fn();
    bus.subscribe('a', handler);
    bus.dispose();
    expect(bus.disposed).toBe(true);
    expect(() => bus.publish('a', 1)).toThrow(expect.objectContaining({ code: 'BUS_DISPOSED' }));
    expect(() => bus.subscribe('a', handler)).toThrow(/was disposed; create a new bus/);
    expect(handler).not.toHaveBeenCalled();
    expect(bus.stats().subscriptions).toBe(0);
  });
});

describe('several buses in one tab', () => {
  // They share compiled code (the publish path reads each bus's state as a record): none of
  // that state may leak from one bus to another.
  it('keep their own subscriptions, topic checks, queues, counts and lifetimes', () => {
    const { bus: a } = quietBus('a');
    const { bus: b } = quietBus('b');
    const seen: string[] = [];
    a.subscribe('orders.#', (message) => {
      seen.push(`a:${message.topic}`);
      if (message.topic === 'orders.created') {
        a.publish('orders.queued', null); // a is delivering: queued after this message
        b.publish('orders.now', null); // b is idle: delivered right away
      }
    });
    b.subscribe('orders.#', (message) => seen.push(`b:${message.topic}`));

    a.publish('orders.created', null);
    expect(seen).toEqual(['a:orders.created', 'b:orders.now', 'a:orders.queued']);
    // b checks topics as a does.
    expect(() => b.publish('orders..created', null)).toThrow(expect.objectContaining({ code: 'INVALID_TOPIC' }));
    expect(a.stats()).toMatchObject({ published: 2, delivered: 2, subscriptions: 1 });
    expect(b.stats()).toMatchObject({ published: 1, delivered: 1, subscriptions: 1 });

    a.dispose();
    expect(() => a.publish('orders.created', null)).toThrow(expect.objectContaining({ code: 'BUS_DISPOSED' }));
    b.publish('orders.created', null);
    expect(seen.at(-1)).toBe('b:orders.created');
  });
});

describe('the first users (seed samples)', () => {
  it('supports subscribe<Payload>() and meta.correlationId', () => {
    const { bus } = quietBus();
    let got: Message<{ orderId: string }> | undefined;
    bus.subscribe<{ orderId: string }>('queries.order.get', (m) => {
      got = m;
    });
    bus.publish('queries.order.get', { orderId: '123' }, { correlationId: 'q1' });
    expect(got?.payload.orderId).toBe('123');
    expect(got?.meta.correlationId).toBe('q1');
    expect(isSwitchboardError(new Error('x'))).toBe(false);
  });
});

describe('warnOnce', () => {
  it('prints each warning once per page, prefixed', async () => {
    const { warnOnce } = await import('../src/internal.ts');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(warnOnce('test-warning-once', 'first')).toBe(true);
    expect(warnOnce('test-warning-once', 'again')).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('[switchboard] first');
    warn.mockRestore();
  });
});
