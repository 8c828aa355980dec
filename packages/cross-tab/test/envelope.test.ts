import { describe, expect, it } from 'vitest';
import { attachCrossTab, ENVELOPE_VERSION } from '../src/index.ts';
import { createEnvelopeReader, writeEnvelope, type EnvelopeHead } from '../src/envelope.ts';
import { createTestTabs } from '@switchboard/testing';
import type { Message } from '@switchboard/bus';

const head: EnvelopeHead = {
  kind: 'beat',
  from: 'f1',
  tabId: 't1',
  app: 'a',
  seq: 1,
  since: 0,
  leader: false,
  ttl: 5000,
};
const base = writeEnvelope(head);
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
/** `base` with element `index` replaced. */
const set = (index: number, value: unknown): unknown[] => base.map((item, i) => (i === index ? value : item));
const readEnvelope = createEnvelopeReader();

describe('envelopes', () => {
  it.each([
    ['a string', 'garbage', 'foreign'],
    ['null', null, 'foreign'],
    ['an unmarked object', { kind: 'batch' }, 'foreign'],
    ['an unmarked array', [1, 2], 'foreign'],
    ['a version 1 object (an older copy)', { switchboard: 1, kind: 'beat', from: 'f1' }, 'foreign'],
    ['a future version as an object', { switchboard: ENVELOPE_VERSION + 1 }, 'futureVersion'],
    ['an object claiming this version', { switchboard: ENVELOPE_VERSION, kind: 'beat' }, 'malformed'],
    ['version 0', set(1, 0), 'malformed'],
    ['a non-numeric version', set(1, '2'), 'malformed'],
    ['a future version', set(1, ENVELOPE_VERSION + 1), 'futureVersion'],
    ['an unknown kind', set(2, 'shout'), 'malformed'],
    ['no sender', set(3, ''), 'malformed'],
    ['a negative seq', set(6, -1), 'malformed'],
    ['a non-numeric ttl', set(9, 'x'), 'malformed'],
    ['a batch without messages', writeEnvelope({ ...head, kind: 'batch' }), 'malformed'],
    ['a beat with trailing elements', [...base, 1], 'malformed'],
  ])('ignores %s as %s', (_, data, reason) => {
    expect(readEnvelope(data)).toEqual({ ok: false, reason });
  });

  it('carries every field, with custom meta, another tab as origin and another source', () => {
    const rich: Message = {
      id: 'm9',
      topic: '$sys.circuit.open',
      payload: { at: new Date(7), list: [1, undefined] },
      ts: 12.5,
      source: 'other',
      meta: { correlationId: 'c1', causationId: 'm8', custom: { deep: true } },
      origin: { tabId: 't2' },
      depth: 3,
    };
    const wire = structuredClone(
      writeEnvelope({ ...head, kind: 'batch' }, [message, rich, { ...message, payload: undefined }]),
    );
    const read = readEnvelope(wire);
    expect(read).toMatchObject({
      ok: true,
      malformedMessages: 0,
      envelope: { ...head, kind: 'batch', switchboard: ENVELOPE_VERSION },
    });
    const messages = (read.ok ? read.envelope.messages : undefined) ?? [];
    expect(messages).toEqual([message, rich, { ...message, payload: undefined }]);
    expect(messages.map((m) => Object.isFrozen(m.origin))).toEqual([true, true, true]);
  });

  it('writes the common cases compactly: no source or origin of its own, no meta or only a causation id', () => {
    const caused = { ...message, id: 'm2', meta: { causationId: 'm1' }, depth: 1 };
    const wire = writeEnvelope({ ...head, kind: 'batch' }, [message, caused]);
    expect(wire.slice(10)).toEqual(['m1', 'a.b', 1, 5, 0, 0, 0, 0, 'm2', 'a.b', 1, 5, 0, 'm1', 1, 0]);
    const read = readEnvelope(structuredClone(wire));
    expect((read.ok ? read.envelope.messages : undefined) ?? []).toEqual([message, caused]);
    // Anything else in meta travels as the object.
    const other = { ...message, meta: { causationId: 'm1', tenant: 't' } };
    expect(writeEnvelope({ ...head, kind: 'batch' }, [other])[15]).toEqual({ causationId: 'm1', tenant: 't' });
  });

  it('reads a batch and drops its invalid messages one by one', () => {
    const at = (id: string, index: number, value: unknown): unknown[] =>
      writeEnvelope({ ...head, kind: 'batch' }, [{ ...message, id }])
        .slice(10)
        .map((item, i) => (i === index ? value : item));
    const extra = { ...message, id: 'm5', topic: '$sys.circuit.open' };
    const wire = [
      ...writeEnvelope({ ...head, kind: 'batch' }, [message]),
      ...at('m2', 1, 'a.#'),
      ...at('m3', 6, -1),
      ...at('m4', 7, null),
      ...at('m6', 5, 42),
      ...writeEnvelope({ ...head, kind: 'batch' }, [extra]).slice(10),
      'a partial',
      'message',
    ];
    const read = readEnvelope(wire);
    expect(read).toMatchObject({ ok: true, malformedMessages: 5 });
    const messages = (read.ok ? read.envelope.messages : undefined) ?? [];
    expect(messages).toEqual([message, extra]);
  });
});

describe('cross-tab: foreign traffic on the channel', () => {
  it('ignores and counts garbage, future versions and replayed envelopes, and keeps delivering', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    await tabs.settle();
    const intruder = tabs.hub.create(channelOf(a));
    let replay: unknown;
    intruder.addEventListener('message', (event) => {
      if ((event.data as unknown[])[2] === 'batch') replay = event.data;
    });
    a.bus.publish('real.one', 1);
    await tabs.settle();
    for (const data of ['garbage', 42, null, { hello: 1 }, set(1, 99), set(9, 'x'), replay]) {
      intruder.postMessage(data);
    }
    await tabs.settle();
    a.bus.publish('real.two', 2);
    await tabs.settle();
    expect(b.topics('real.')).toEqual(['real.one', 'real.two']);
    expect(b.crossTab.stats().ignoredEnvelopes).toEqual({
      foreign: 4,
      malformed: 1,
      futureVersion: 1,
      duplicate: 1,
      own: 0,
    });
    expect(b.errors).toEqual([]);
  });
});

function channelOf(tab: ReturnType<ReturnType<typeof createTestTabs>['open']>): string {
  return tab.bus.stats().adapters[0]!.replace(/^cross-tab:/, '');
}
