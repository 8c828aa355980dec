import type { Message } from '@switchboard/bus';
import { describe, expect, it } from 'vitest';
import { copyOfValues, metaTravelsCompact, sizeAsValues, travelsAsValues, writeBatch } from '../src/batch-codec.ts';
import { estimatePayloadBytes } from '../src/payload-size.ts';
import { createEnvelopeReader, writeEnvelope, type EnvelopeHead } from '../src/envelope.ts';

const head: EnvelopeHead = {
  kind: 'batch',
  from: 't1.f1',
  tabId: 't1',
  apps: ['a', 'b'],
  seq: 1,
  since: 0,
  leader: false,
  ttl: 5000,
  proof: '',
};
/** Header elements, then the topics, the shapes and the runs. */
const ROWS = 14;
const message: Message = {
  id: 'm1',
  topic: 'a.b',
  payload: 1,
  ts: 5,
  source: 'a',
  meta: {},
  origin: { tabId: 't1' },
  depth: 0,
};
const read = (wire: unknown[]) => {
  const result = createEnvelopeReader()(structuredClone(wire));
  if (!result.ok) throw new Error(`not read: ${result.reason}`);
  const messages: Message[] = [];
  const malformed = result.envelope.readMessages?.((m) => messages.push(m)) ?? 0;
  return { messages, malformed };
};

describe('batches on the wire', () => {
  it('carries every field of every kind of message unchanged', () => {
    const messages: Message[] = [
      message,
      {
        id: 'm2',
        topic: '$sys.circuit.open',
        payload: { at: new Date(7), list: [1, undefined], map: new Map([[1, 'x']]) },
        ts: 12.5,
        source: 'elsewhere',
        meta: { correlationId: 'c1', causationId: 'm1', custom: { deep: true } },
        origin: { tabId: 't2' },
        depth: 3,
      },
      { ...message, id: 'm3', payload: { n: 1, s: 'x', u: undefined, z: null, big: 5n, neg: -0, nan: Number.NaN } },
      { ...message, id: 'm4', source: 'b', payload: { n: 2, s: 'y', u: undefined, z: null, big: 6n, neg: 0, nan: 1 } },
      { ...message, id: 'm5', payload: Object.assign(Object.create(null), { bare: true }) },
      { ...message, id: 'm6', payload: { nested: { no: 'shape' } } },
      { ...message, id: 'm7', payload: ['an', 'array'] },
      { ...message, id: 'm8', payload: {} },
      { ...message, id: 'm9', ts: 0.1 + 0.2, payload: JSON.parse('{"__proto__": 1, "x": 2}') },
      { ...message, id: 'm10', ts: 1e21, meta: { causationId: 'm9' }, depth: 1 },
    ];
    const got = read(writeEnvelope(head, messages));
    expect(got.malformed).toBe(0);
    expect(got.messages).toEqual(messages.map((m) => ({ ...m, payload: structuredClone(m.payload) })));
    expect(Object.is((got.messages[2]!.payload as { neg: number }).neg, -0)).toBe(true);
    expect(Object.hasOwn(got.messages[8]!.payload as object, '__proto__')).toBe(true);
    expect(got.messages.map((m) => m.ts)).toEqual(messages.map((m) => m.ts));
    expect(got.messages.every((m) => Object.isFrozen(m.origin))).toBe(true);
  });

  it('says once what messages repeat: topics in a table, flat payloads without their keys, runs of code and timestamp', () => {
    const caused = { ...message, id: 'm2', ts: 6, meta: { causationId: 'm1' }, depth: 1 };
    const flat = (id: string, n: number, ts = 7) => ({ ...message, id, topic: 'c.d', ts, payload: { n, sku: 'x' } });
    const messages = [message, caused, flat('m3', 1), flat('m4', 2), flat('m5', 3, 8)];
    const wire = writeEnvelope(head, messages);
    expect(wire.slice(11, ROWS)).toEqual([
      ['a.b', 'c.d'],
      [['n', 'sku']],
      [...[0, 5, 1], ...[1, 6, 1], ...[2048 + 2, 7, 2], ...[2048 + 2, 8, 1]],
    ]);
    expect(wire.slice(ROWS)).toEqual([
      ...['m1', 1],
      ...['m2', 1, 0, 'm1', 1, 0],
      ...['m3', 1, 'x'],
      ...['m4', 2, 'x'],
      ...['m5', 3, 'x'],
    ]);
    expect(read(wire).messages).toEqual(messages);
  });

  it('gives a timestamp of -0 or 0 a run of its own, so each comes back as it was', () => {
    const messages = [0, -0, 0].map((ts, i) => ({ ...message, id: `m${i}`, ts }));
    const got = read(writeEnvelope(head, messages)).messages;
    expect(got.map((m) => Object.is(m.ts, -0))).toEqual([false, true, false]);
  });

  it('drops invalid messages one by one, invalid runs as a whole, and stops where values can no longer be told apart', () => {
    /** One message's batch, its run's fields replaced by `edits`, and its values. */
    const batch = (id: string, edits: Record<number, unknown> = {}, extras?: unknown[]) => {
      const wire = writeEnvelope(head, [{ ...message, id }]);
      const run = (wire[13] as unknown[]).map((item, i) => (i in edits ? edits[i] : item));
      return { run, values: [...wire.slice(ROWS), ...(extras ?? [])] };
    };
    const parts = [
      batch('m1'),
      batch('m2', {}, []),
      batch('m3', { 1: 'late' }), // a timestamp that is no number: the run is dropped
      batch('m4', { 0: 5 * 2048 }), // a topic index past the table: the run is dropped
      batch('m5', { 0: 1 }, [7, 0, 0, 0]), // the index of an app the envelope does not list
      batch('m6', { 0: 1 }, [0, 0, -1, 0]), // a negative depth
      batch('m7'),
      batch('m8', { 0: 4 }), // a shape the table does not have: the rest cannot be read
      batch('m9'),
    ];
    parts[1]!.values[0] = ''; // no id
    const wire = [
      ...writeEnvelope(head, [message]).slice(0, 13),
      parts.flatMap((part) => part.run),
      ...parts.flatMap((part) => part.values),
    ];
    const got = read(wire);
    expect(got.messages.map((m) => m.id)).toEqual(['m1', 'm7']);
    expect(got.malformed).toBe(6);
  });

  it.each([
    ['a count that is no whole number', 1.5, 0],
    ['a count of 0', 0, 0],
    ['a count past the values', 4, 3],
  ])('stops at a run with %s', (_, count, delivered) => {
    const wire = writeEnvelope(head, [message, { ...message, id: 'm2' }, { ...message, id: 'm3', ts: 6 }]);
    (wire[13] as unknown[])[2] = count;
    const got = read(wire);
    expect(got.messages).toHaveLength(delivered);
    expect(got.malformed).toBe(1);
  });

  it('counts values that no run accounts for', () => {
    const wire = [...writeEnvelope(head, [message]), 'm2', 1];
    const got = read(wire);
    expect(got.messages).toEqual([message]);
    expect(got.malformed).toBe(1);
  });

  it("drops messages on topics that are invalid or cross-tab's own, once per topic", () => {
    const wire = writeEnvelope(head, [
      message,
      { ...message, id: 'm2', topic: '$sys.tab.left' },
      { ...message, id: 'm3', topic: '$sys.leader.changed' },
      { ...message, id: 'm4', topic: '$sys.tab.left' },
    ]);
    (wire[11] as string[]).push('a.#');
    (wire[13] as unknown[]).push(3 * 2048, 5, 1);
    wire.push('m5', 1);
    const got = read(wire);
    expect(got.messages.map((m) => m.id)).toEqual(['m1']);
    expect(got.malformed).toBe(4);
  });

  it.each([
    ['topics that are no list', 11, 'a.b'],
    ['shapes that are no list', 12, null],
    ['a shape with a __proto__ key', 12, [['__proto__']]],
    ['an empty shape', 12, [[]]],
    ['runs that are no list', 13, 5],
    ['no runs', 13, []],
  ])('refuses a batch with %s', (_, index, value) => {
    const wire = writeEnvelope(head, [message]);
    wire[index] = value;
    expect(createEnvelopeReader()(wire)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('payloads that travel as their values', () => {
  class Point {
    x = 1;
  }
  const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i]));
  it.each([
    ['a flat object of primitives', { id: 'o1', qty: 2, ok: true, none: null, gone: undefined }, true],
    ['a flat Proxy', new Proxy({ id: 'o1' }, {}), true],
    ['an empty object', {}, false],
    ['a nested object', { id: 'o1', lines: [] }, false],
    ['more keys than a shape holds', many, false],
    ['a __proto__ key', JSON.parse('{"__proto__":1}'), false],
    ['a null-prototype object', Object.assign(Object.create(null), { a: 1 }), false],
    ['a class instance', new Point(), false],
    ['a function value', { f: () => {} }, false],
    ['an array', [1, 2], false],
    ['a string', 'x', false],
  ])('%s: travelsAsValues and the batch agree', (_, payload, values) => {
    expect(travelsAsValues(payload)).toBe(values);
    expect(copyOfValues(payload) !== undefined).toBe(values);
    // Publish reads the size in the same walk: what the general estimate gives.
    expect(sizeAsValues(payload)).toBe(values ? estimatePayloadBytes(payload) : -1);
    const wire: unknown[] = [];
    writeBatch(wire, 't1', ['a'], [{ ...message, payload }]);
    // The shapes table names a shape only for a payload sent as values; otherwise it is on the wire itself.
    expect((wire[1] as unknown[]).length > 0).toBe(values);
    expect(wire.includes(payload)).toBe(!values);
  });

  it('copies what another tab rebuilds, a plain object', () => {
    const copy = copyOfValues(new Proxy({ id: 'o1', qty: 2 }, {}));
    expect(copy).toEqual({ id: 'o1', qty: 2 });
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });

  it.each([
    ['one key', { a: 1 }],
    ['integer-like keys, which objects list first', { b: 'x', 2: true, a: null, 1: 5 }],
    ['more keys than the literals hold', { a: 1, b: 2, c: 3, d: 4, e: 5, f: 'six' }],
  ])('rebuilds a payload of %s with its keys in order', (_, payload) => {
    const [got] = read(writeEnvelope(head, [{ ...message, payload }])).messages;
    expect(got!.payload).toEqual(payload);
    expect(Object.keys(got!.payload as object)).toEqual(Object.keys(payload));
  });

  it('reads again an empty meta that is not frozen, which may gain keys', () => {
    const shared = Object.freeze({});
    const open: Message['meta'] = {};
    expect(
      read(
        writeEnvelope(head, [
          { ...message, meta: shared },
          { ...message, meta: open },
        ]),
      ).messages,
    ).toHaveLength(2);
    open.correlationId = 'c1';
    const [again] = read(writeEnvelope(head, [{ ...message, meta: open }])).messages;
    expect(again!.meta).toEqual({ correlationId: 'c1' });
  });

  it('says when meta travels without an object', () => {
    expect(metaTravelsCompact({})).toBe(true);
    expect(metaTravelsCompact({ causationId: 'm1' })).toBe(true);
    expect(metaTravelsCompact({ correlationId: 'c1' })).toBe(false);
  });
});
