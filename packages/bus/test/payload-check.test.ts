import { describe, expect, it, vi } from 'vitest';
import { confirmCloneable, createPubSub, type BusAdapter, type ErrorContext } from '../src/index.ts';
import { findUncloneable } from '../src/internal.ts';

function quietBus() {
  const errors: Array<{ error: unknown; context: ErrorContext }> = [];
  const bus = createPubSub({ app: 'test', onError: (error, context) => errors.push({ error, context }) });
  const delivered = vi.fn();
  bus.subscribe('#', delivered);
  return { bus, errors, delivered };
}

function nested(levels: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let at = root;
  for (let i = 0; i < levels; i++) {
    const next: Record<string, unknown> = {};
    at.next = next;
    at = next;
  }
  return root;
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({ id: 1 }, {});
  revoke();
  return proxy;
}

/** An adapter that sends messages elsewhere, as cross-tab and history do. */
function cloningAdapter(): BusAdapter & { seen: string[] } {
  const seen: string[] = [];
  return { name: 'cloning', clones: confirmCloneable, connect() {}, onPublish: (m) => void seen.push(m.topic), seen };
}

describe('publish refuses what cannot be cloned with a typed error naming topic and path', () => {
  it.each([
    [
      'a throwing getter in a flat object',
      () => ({
        id: 1,
        get total(): number {
          throw new Error('boom');
        },
      }),
      'payload.total',
      /reading it threw Error: boom/,
    ],
    [
      'a throwing getter deeper down',
      () => ({
        order: {
          lines: [
            {
              get qty(): number {
                throw new TypeError('no qty');
              },
            },
          ],
        },
      }),
      'payload.order.lines[0].qty',
      /reading it threw TypeError: no qty/,
    ],
    ['a revoked Proxy', revokedProxy, 'payload', /reading it threw TypeError/],
    ['a revoked Proxy inside', () => ({ user: revokedProxy() }), 'payload.user', /reading it threw TypeError/],
    [
      'a value nested 200,000 levels deep',
      () => nested(200_000),
      `payload${'.next'.repeat(1000)}`,
      /nested more than 1000 levels deep/,
    ],
  ])('%s', (_name, make, path, reason) => {
    const { bus, delivered } = quietBus();
    let thrown: unknown;
    try {
      bus.publish('orders.saved', make());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: 'NotCloneableError', code: 'NOT_CLONEABLE', topic: 'orders.saved', path });
    expect((thrown as { reason: string }).reason).toMatch(reason);
    expect((thrown as Error).message).toMatch(/^publish\('orders\.saved'\): payload/);
    expect(delivered).not.toHaveBeenCalled();
    bus.publish('orders.saved', { id: 1 });
    expect(delivered).toHaveBeenCalledTimes(1);
  });

  it('accepts a value nested exactly as deep as allowed', () => {
    const { bus, delivered } = quietBus();
    bus.publish('deep', nested(999));
    expect(delivered).toHaveBeenCalledTimes(1);
  });

  it('findUncloneable never throws and names the path', () => {
    expect(findUncloneable({ a: [1, revokedProxy()] })).toMatch(/^payload\.a\[1\] \(reading it threw TypeError/);
    expect(findUncloneable(nested(5000), 'meta')).toMatch(/^meta(\.next){1000} \(nested more than 1000 levels deep\)$/);
    expect(findUncloneable({ a: new Map([['k', () => 1]]) })).toBe('payload.a.get(k) (function (anonymous))');
  });
});

describe('meta and topic are checked the same way on every bus', () => {
  it('refuses publish(undefined) on a fresh bus, and after other publishes', () => {
    const { bus, delivered } = quietBus();
    expect(() => bus.publish(undefined as never, 1)).toThrow(expect.objectContaining({ code: 'INVALID_TOPIC' }));
    bus.publish('a', 1);
    expect(() => bus.publish(undefined as never, 1)).toThrow(expect.objectContaining({ code: 'INVALID_TOPIC' }));
    expect(delivered).toHaveBeenCalledTimes(1);
  });

  it('refuses a function in meta on a bare bus, naming the meta path', () => {
    const { bus, delivered } = quietBus();
    expect(() => bus.publish('orders.saved', { id: 1 }, { onDone: () => {} })).toThrow(
      expect.objectContaining({ code: 'NOT_CLONEABLE', topic: 'orders.saved', path: 'meta.onDone' }),
    );
    expect(() => bus.publish('orders.saved', 1, { trace: { at: [Symbol('x')] } })).toThrow(
      expect.objectContaining({ path: 'meta.trace.at[0]' }),
    );
    expect(() => bus.publish('orders.saved', 1, 'c1' as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(delivered).not.toHaveBeenCalled();
    bus.publish('orders.saved', 1, { correlationId: 'c1', tags: ['a'] });
    expect(delivered).toHaveBeenCalledTimes(1);
  });

  it('leaves meta and payload alone when checkPayloads is off', () => {
    const bus = createPubSub({ app: 'test', checkPayloads: false });
    expect(() => bus.publish('a', { f: () => {} }, { g: () => {} })).not.toThrow();
  });
});

describe('with an adapter that clones messages', () => {
  it('refuses a live Proxy at publish, before local delivery or any adapter sees it', () => {
    const { bus, delivered } = quietBus();
    const adapter = cloningAdapter();
    bus.attach(adapter);
    const order = { id: 'o-1', customer: new Proxy({ name: 'Ada' }, {}) };
    expect(() => bus.publish('orders.saved', order)).toThrow(
      expect.objectContaining({ code: 'NOT_CLONEABLE', topic: 'orders.saved', path: 'payload.customer' }),
    );
    expect(() => bus.publish('orders.saved', 1, { ctx: new Proxy({}, {}) })).toThrow(
      expect.objectContaining({ path: 'meta.ctx' }),
    );
    expect(delivered).not.toHaveBeenCalled();
    expect(adapter.seen).toEqual([]);
    bus.publish('orders.saved', { id: 'o-1', customer: { name: 'Ada' } });
    expect(adapter.seen).toEqual(['orders.saved']);
  });

  it('runs the check that several adapters share once per publish, while any of them is attached', () => {
    const { bus, delivered } = quietBus();
    const shared = vi.fn(confirmCloneable);
    const detachFirst = bus.attach({ ...cloningAdapter(), clones: shared });
    bus.attach({ ...cloningAdapter(), name: 'cloning-2', clones: shared });
    bus.publish('a', { id: 1 });
    expect(shared).toHaveBeenCalledTimes(1);
    detachFirst();
    expect(() => bus.publish('a', new Proxy({ id: 2 }, {}))).toThrow(
      expect.objectContaining({ code: 'NOT_CLONEABLE' }),
    );
    expect(shared).toHaveBeenCalledTimes(2);
    expect(delivered).toHaveBeenCalledTimes(1);
  });

  it('runs each distinct check, so a narrower one (clones part of a message) never hides a full one', () => {
    const { bus, delivered } = quietBus();
    // Like cross-tab's: it posts a flat payload's values, not the object, so it lets a flat Proxy by.
    const narrower = vi.fn();
    bus.attach({ ...cloningAdapter(), name: 'narrower', clones: narrower });
    bus.publish('a', new Proxy({ id: 1 }, {}));
    expect(delivered).toHaveBeenCalledTimes(1);
    bus.attach(cloningAdapter());
    expect(() => bus.publish('a', new Proxy({ id: 2 }, {}))).toThrow(
      expect.objectContaining({ code: 'NOT_CLONEABLE', path: 'payload' }),
    );
    expect(narrower).toHaveBeenCalledTimes(2);
    expect(delivered).toHaveBeenCalledTimes(1);
  });

  it('runs no clone check with checkPayloads: false', () => {
    const bus = createPubSub({ app: 'test', checkPayloads: false, onError: () => {} });
    const clones = vi.fn(confirmCloneable);
    bus.attach({ ...cloningAdapter(), clones });
    bus.publish('a', { id: 1 });
    expect(clones).not.toHaveBeenCalled();
  });

  it('stops cloning once the adapter is detached (a bare bus cannot tell a Proxy cheaply)', () => {
    const { bus, delivered } = quietBus();
    const detach = bus.attach(cloningAdapter());
    detach();
    bus.publish('a', new Proxy({ id: 1 }, {}));
    expect(delivered).toHaveBeenCalledTimes(1);
  });
});
