import type { Message } from '@switchboard/bus';
import { describe, expect, it } from 'vitest';
import { decodePacket, type DecodeContext, encodeMessage } from '../src/connection/wire.ts';
import { remembered } from '../src/remembered.ts';
import { createTopicMapping } from '../src/topic-mapping.ts';

const mapping = createTopicMapping('', remembered);
const context: DecodeContext = {
  mapping,
  source: 'mqtt',
  tabId: 'tab-here',
  now: () => 5,
  newId: () => 'new-id',
  origin: (tabId) => Object.freeze({ tabId }),
};
const message: Message = {
  id: 'm1',
  topic: 'orders.created',
  payload: { sku: 'a', qty: 2 },
  ts: 1_765_000_000_000,
  source: 'shop',
  meta: {},
  origin: Object.freeze({ tabId: 'tab-a' }),
  depth: 0,
};

describe('the wire format', () => {
  it('sends the fields every message has in one user property, and the payload as its bare JSON', () => {
    const encoded = encodeMessage(message, mapping, message.ts)!;
    expect(encoded.topic).toBe('orders/created');
    expect(encoded.payload).toBe('{"sku":"a","qty":2}');
    expect(encoded.options.properties).toEqual({
      userProperties: { sb: '["m1",1765000000000,"shop","tab-a"]' },
    });
    const packet = { topic: encoded.topic, payload: encoded.payload, ...encoded.options };
    expect(decodePacket(packet, context)).toEqual({ ok: true, message });
  });

  it('keeps depth, correlation, causation and other meta', () => {
    const deep: Message = {
      ...message,
      depth: 2,
      meta: { correlationId: 'c1', causationId: 'k1', tenant: 'acme' },
    };
    const encoded = encodeMessage(deep, mapping, deep.ts)!;
    expect(encoded.options.properties.userProperties).toEqual({
      sb: '["m1",1765000000000,"shop","tab-a",2]',
      'sb-correlation-id': 'c1',
      'sb-causation-id': 'k1',
      'sb-meta': '{"tenant":"acme"}',
    });
    const packet = { topic: encoded.topic, payload: encoded.payload, ...encoded.options };
    expect(decodePacket(packet, context)).toEqual({ ok: true, message: deep });
  });

  it('reports a malformed sb property instead of delivering it', () => {
    for (const sb of ['{}', '["m1","not a number","shop","tab-a"]', '["m1",1,"","tab-a"]', '[1,2']) {
      const decoded = decodePacket(
        { topic: 'orders/created', payload: '1', retain: false, qos: 1, properties: { userProperties: { sb } } },
        context,
      );
      expect(decoded).toMatchObject({ ok: false, failure: 'malformed' });
    }
  });

  it('reads a plain client message (no sb) as an ordinary one from the bridge', () => {
    const decoded = decodePacket({ topic: 'orders/42/created', payload: '{"id":42}', retain: false, qos: 1 }, context);
    expect(decoded).toEqual({
      ok: true,
      message: {
        id: 'new-id',
        topic: 'orders.42.created',
        payload: { id: 42 },
        ts: 5,
        source: 'mqtt',
        meta: {},
        origin: { tabId: 'tab-here' },
        depth: 0,
      },
    });
  });
});
