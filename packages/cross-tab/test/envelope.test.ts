import { describe, expect, it } from 'vitest';
import { attachCrossTab, ENVELOPE_VERSION } from '../src/index.ts';
import { createEnvelopeReader, writeEnvelope, type EnvelopeHead } from '../src/envelope.ts';
import { createTestTabs } from '@switchboard/testing';

const head: EnvelopeHead = {
  kind: 'beat',
  from: 't1.f1',
  tabId: 't1',
  apps: ['a'],
  seq: 1,
  since: 0,
  leader: false,
  ttl: 5000,
  proof: '',
};
const base = writeEnvelope(head);
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
    ['a ttl of 0', set(9, 0), 'malformed'],
    ['a sender id not made from its tab id', set(3, 't2.f1'), 'malformed'],
    ['a tab id longer than 256 characters', set(4, 'x'.repeat(257)), 'malformed'],
    ['a seq past the safe integers', set(6, 2 ** 53), 'malformed'],
    ['a negative start time', set(7, -5), 'malformed'],
    ['an infinite start time', set(7, Number.POSITIVE_INFINITY), 'malformed'],
    ['no apps', set(5, []), 'malformed'],
    ['an app that is no string', set(5, ['a', 7]), 'malformed'],
    ['a proof that is no string', set(10, 1), 'malformed'],
    ['a version 2 array (an older copy)', set(1, 2), 'foreign'],
    ['a batch without messages', writeEnvelope({ ...head, kind: 'batch' }), 'malformed'],
    ['a beat with trailing elements', [...base, 1], 'malformed'],
  ])('ignores %s as %s', (_, data, reason) => {
    expect(readEnvelope(data)).toEqual({ ok: false, reason });
  });
});

describe('cross-tab: foreign traffic on the channel', () => {
  it('ignores and counts garbage, future versions and replayed envelopes, keeps delivering, and reports once per heartbeat', async () => {
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
      forged: 0,
    });
    // Reported with the next heartbeat, all together: garbage cannot flood onError.
    expect(b.errors).toEqual([]);
    await tabs.advance(1000);
    expect(b.errors).toEqual([
      expect.objectContaining({
        name: 'EnvelopeError',
        code: 'INVALID_ENVELOPE',
        channel: channelOf(b),
        counts: { malformed: 1, futureVersion: 1, duplicate: 1 },
      }),
    ]);
    expect((b.errors[0] as Error).message).toMatch(
      /^cross-tab\('.*'\): ignored untrusted data .*Use a channel name of your own/,
    );
    await tabs.advance(1000);
    expect(b.errors).toHaveLength(1);
  });
});

function channelOf(tab: ReturnType<ReturnType<typeof createTestTabs>['open']>): string {
  return tab.bus.stats().adapters[0]!.replace(/^cross-tab:/, '');
}

describe('estimatePayloadBytes', () => {
  it('counts a plain object of primitives as the walk does for any value', async () => {
    const { estimatePayloadBytes } = await import('../src/index.ts');
    const flat = { s: 'abc', n: 1, b: true, z: null, u: undefined, big: 2n };
    // The same object one level down takes the general walk: 2 for the array, 1 per element.
    expect(estimatePayloadBytes([flat])).toBe(estimatePayloadBytes(flat) + 3);
    expect(estimatePayloadBytes(flat)).toBe(
      2 + (1 + 4 + 5) + (1 + 4 + 8) + (1 + 4 + 4) + (1 + 4 + 4) + (1 + 4) + (3 + 4 + 8),
    );
    expect(estimatePayloadBytes({ id: 'o1', qty: 2 })).toBe(27);
  });
});
