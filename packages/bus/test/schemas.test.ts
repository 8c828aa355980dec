import type { StandardSchemaV1 } from '@standard-schema/spec';
import * as v from 'valibot';
import { describe, expect, it, vi } from 'vitest';
import { forApp } from '../src/apps.ts';
import { createPubSub, type AdapterLink, type ErrorContext, type Message } from '../src/index.ts';
import { attachSchemas, isSchemaError, type SchemaError } from '../src/schemas.ts';

/** A hand-written Standard Schema: a payload with a numeric `n`. */
const numberN: StandardSchemaV1<{ n: number }> = {
  '~standard': {
    version: 1,
    vendor: 'test',
    validate: (value) =>
      typeof (value as { n?: unknown } | undefined)?.n === 'number'
        ? { value: value as { n: number } }
        : { issues: [{ message: 'expected a number', path: [{ key: 'n' }] }] },
  },
};

const orderPlaced = v.object({
  orderId: v.string(),
  lines: v.array(v.object({ sku: v.string(), quantity: v.number() })),
});

function setup() {
  const reported: Array<{ error: unknown; context: ErrorContext }> = [];
  const bus = createPubSub({ app: 'shell', onError: (error, context) => void reported.push({ error, context }) });
  let link!: AdapterLink;
  bus.attach({
    name: 'remote',
    connect: (connected) => {
      link = connected;
    },
  });
  const schemas = attachSchemas(bus, { 'orders.placed': orderPlaced, 'metrics.+': numberN });
  const remote = (topic: string, payload: unknown): Message => ({
    id: `r-${Math.random()}`,
    topic,
    payload,
    ts: 1,
    source: 'orders',
    meta: {},
    origin: { tabId: 'tab-2' },
    depth: 0,
  });
  return { bus, link: () => link, schemas, reported, remote };
}

function schemaError(run: () => unknown): SchemaError {
  try {
    run();
  } catch (error) {
    if (isSchemaError(error)) return error;
    throw error;
  }
  throw new Error('expected a SchemaError');
}

describe('attachSchemas', () => {
  it('refuses an invalid publish with SCHEMA_INVALID naming the topic and path; nothing is delivered', () => {
    const { bus, schemas } = setup();
    const handler = vi.fn();
    bus.subscribe('#', handler);
    const error = schemaError(() => bus.publish('orders.placed', { orderId: 'o1', lines: null }));
    expect(error.code).toBe('SCHEMA_INVALID');
    expect(error.topic).toBe('orders.placed');
    expect(error.path).toBe('payload.lines');
    expect(error.message).toMatch(/^publish\('orders\.placed'\): payload\.lines: Invalid type/);
    const nested = schemaError(() => bus.publish('orders.placed', { orderId: 'o1', lines: [{ sku: 1, quantity: 1 }] }));
    expect(nested.path).toBe('payload.lines[0].sku');
    expect(handler).not.toHaveBeenCalled();
    bus.publish('orders.placed', { orderId: 'o1', lines: [{ sku: 'a', quantity: 1 }] });
    bus.publish('metrics.cpu', { n: 1 });
    bus.publish('unschematised', 'anything');
    expect(handler).toHaveBeenCalledTimes(3);
    expect(schemas.stats()).toEqual({ checked: 4, refused: 2, dropped: 0 });
  });

  it('checks what a handle publishes too', () => {
    const { bus } = setup();
    const orders = forApp(bus, 'orders');
    expect(() => orders.publish('metrics.cpu', { n: 'high' })).toThrow(/payload\.n: expected a number/);
  });

  it('drops an invalid message from another tab before any handler, counts and reports it', () => {
    const { bus, link, schemas, reported, remote } = setup();
    const handler = vi.fn();
    bus.subscribe('#', handler);
    const bad = remote('orders.placed', { orderId: 'o1', lines: null });
    link().inject(bad);
    link().inject(remote('metrics.cpu', { n: 2 }));
    expect(handler.mock.calls.map(([m]) => m.topic)).toEqual(['metrics.cpu']);
    expect(schemas.stats().dropped).toBe(1);
    expect(bus.stats()).toMatchObject({ refused: 1, injected: 1 });
    expect(reported).toHaveLength(1);
    expect(reported[0]!.context).toEqual({ kind: 'adapter', adapter: 'schemas', message: bad });
    expect(reported[0]!.error).toMatchObject({ code: 'SCHEMA_INVALID', path: 'payload.lines' });
    expect((reported[0]!.error as Error).message).toMatch(
      /from app 'orders' \(tab tab-2\) was dropped: payload\.lines/,
    );
  });

  it('answers link.admit for messages read from elsewhere (history)', () => {
    const { bus, link, remote } = setup();
    expect(link().admit(remote('metrics.cpu', { n: 1 }))).toBe(true);
    expect(link().admit(remote('metrics.cpu', { n: 'x' }))).toBe(false);
    expect(bus.stats().refused).toBe(1);
  });

  it('checks every schema whose pattern matches', () => {
    const bus = createPubSub({ app: 'shell' });
    attachSchemas(bus, {
      'a.#': v.object({ id: v.string() }),
      'a.b': v.object({ n: v.number() }),
      '+.b': v.object({ ok: v.boolean() }),
    });
    expect(() => bus.publish('a.b', { id: 'x', ok: true })).toThrow(/payload\.n/);
    expect(() => bus.publish('a.b', { n: 1, ok: true })).toThrow(/payload\.id/);
    expect(() => bus.publish('a.b', { id: 'x', n: 1 })).toThrow(/payload\.ok/);
    expect(() => bus.publish('c.b', {})).toThrow(/payload\.ok/);
    bus.publish('a.b', { id: 'x', n: 1, ok: true });
    bus.publish('ab.b', { ok: true });
    bus.publish('c', 'no schema');
  });

  it('checks each topic against its own schemas when topics alternate', () => {
    const bus = createPubSub({ app: 'shell' });
    const attached = attachSchemas(bus, { 'a.#': v.object({ id: v.string() }), '+.b': v.object({ ok: v.boolean() }) });
    for (let i = 0; i < 3; i++) {
      bus.publish('a.b', { id: 'x', ok: true });
      bus.publish('a.c', { id: 'x' });
      bus.publish('c.b', { ok: true });
      expect(() => bus.publish('a.c', { ok: true })).toThrow(/payload\.id/);
    }
    expect(attached.stats()).toEqual({ checked: 15, refused: 3, dropped: 0 });
  });

  it('checks schemas declared per domain (`head.#` only) by the topic head, the head itself included', () => {
    const bus = createPubSub({ app: 'shell' });
    const attached = attachSchemas(bus, {
      'orders.#': v.object({ id: v.string() }),
      'carts.#': v.object({ n: v.number() }),
      'ordersx.#': v.object({ ok: v.boolean() }),
    });
    bus.publish('orders', { id: 'o1' });
    bus.publish('orders.o1.placed', { id: 'o1' });
    bus.publish('carts.c1', { n: 1 });
    bus.publish('ordersx.a', { ok: true });
    expect(() => bus.publish('orders.o2.placed', { n: 1 })).toThrow(/payload\.id/);
    expect(() => bus.publish('carts', { id: 'x' })).toThrow(/payload\.n/);
    expect(() => bus.publish('ordersx', { id: 'x' })).toThrow(/payload\.ok/);
    bus.publish('order.a', 'no schema');
    bus.publish('users.u1', 'no schema');
    expect(attached.stats()).toEqual({ checked: 7, refused: 3, dropped: 0 });
  });

  it('checks every `head.#` schema of a head, in order', () => {
    const bus = createPubSub({ app: 'shell' });
    attachSchemas(bus, { 'a.#': v.object({ id: v.string() }), 'b.#': numberN });
    const second = attachSchemas(bus, { 'a.#': v.object({ n: v.number() }) });
    expect(() => bus.publish('a.b', { id: 'x' })).toThrow(/payload\.n/);
    expect(() => bus.publish('a.b', { n: 1 })).toThrow(/payload\.id/);
    second.detach();
    bus.publish('a.b', { id: 'x' });
  });

  it('applies every attached set of schemas, until each is detached', () => {
    const bus = createPubSub({ app: 'shell' });
    const first = attachSchemas(bus, { 'a.b': v.object({ id: v.string() }) });
    const second = attachSchemas(bus, { 'a.#': v.object({ n: v.number() }) });
    expect(() => bus.publish('a.b', { id: 'x' })).toThrow(/payload\.n/);
    expect(() => bus.publish('a.b', { n: 1 })).toThrow(/payload\.id/);
    second.detach();
    bus.publish('a.b', { id: 'x' });
    first.detach();
    bus.publish('a.b', 'anything');
    expect(bus.stats().adapters).toEqual([]);
  });

  it('refuses an async validator, or anything that is not a Standard Schema, when registered', () => {
    const bus = createPubSub({ app: 'shell' });
    expect(() => attachSchemas(bus, { 'a.b': v.objectAsync({ id: v.string() }) })).toThrow(
      /schema of 'a\.b' is async.*use a synchronous schema/,
    );
    expect(() => attachSchemas(bus, { 'a.b': { parse: () => 1 } as never })).toThrow(/not a Standard Schema/);
    expect(() => attachSchemas(bus, { 'a.+x': numberN })).toThrow(expect.objectContaining({ code: 'INVALID_PATTERN' }));
    expect(bus.stats().adapters).toEqual([]);
  });

  it('refuses a message whose validator turns async later', () => {
    const bus = createPubSub({ app: 'shell' });
    let async = false;
    attachSchemas(bus, {
      'a.b': {
        '~standard': {
          version: 1,
          vendor: 'test',
          validate: (value) => (async ? Promise.resolve({ value }) : { value }),
        },
      },
    });
    async = true;
    expect(() => bus.publish('a.b', 1)).toThrow(/schema of 'a\.b' is async/);
  });

  it('stops checking once detached', () => {
    const { bus, schemas } = setup();
    schemas.detach();
    bus.publish('metrics.cpu', { n: 'x' });
    expect(bus.stats().adapters).not.toContain('schemas');
  });
});
