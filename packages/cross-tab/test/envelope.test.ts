import { describe, expect, it } from 'vitest';
import { ENVELOPE_VERSION } from '../src/index.ts';
import { readEnvelope } from '../src/envelope.ts';
import { createTestTabs } from '@switchboard/testing';

const base = { switchboard: 1, kind: 'beat', from: 'f1', tabId: 't1', app: 'a', seq: 1, since: 0, leader: false, ttl: 5000 };
const message = { id: 'm1', topic: 'a.b', payload: 1, ts: 5, source: 'a', meta: {}, origin: { tabId: 't1' }, depth: 0 };

describe('readEnvelope', () => {
  it.each([
    ['a string', 'garbage', 'foreign'],
    ['null', null, 'foreign'],
    ['an unmarked object', { kind: 'batch' }, 'foreign'],
    ['version 0', { ...base, switchboard: 0 }, 'malformed'],
    ['a non-numeric version', { ...base, switchboard: '1' }, 'malformed'],
    ['a future version', { ...base, switchboard: ENVELOPE_VERSION + 1 }, 'futureVersion'],
    ['an unknown kind', { ...base, kind: 'shout' }, 'malformed'],
    ['no sender', { ...base, from: '' }, 'malformed'],
    ['a negative seq', { ...base, seq: -1 }, 'malformed'],
    ['a batch without messages', { ...base, kind: 'batch' }, 'malformed'],
  ])('ignores %s as %s', (_, data, reason) => {
    expect(readEnvelope(data)).toEqual({ ok: false, reason });
  });

  it('reads a batch and drops its invalid messages one by one', () => {
    const read = readEnvelope({
      ...base,
      kind: 'batch',
      messages: [
        message,
        { ...message, id: 'm2', topic: 'a.#' },
        { ...message, id: 'm3', depth: -1 },
        { ...message, id: 'm4', origin: null },
        'junk',
        { ...message, id: 'm5', topic: '$sys.circuit.open', extra: 'dropped' },
      ],
    });
    expect(read).toMatchObject({ ok: true, malformedMessages: 4 });
    const messages = read.ok ? read.envelope.messages : [];
    expect(messages).toEqual([message, { ...message, id: 'm5', topic: '$sys.circuit.open' }]);
  });
});

describe('cross-tab: foreign traffic on the channel', () => {
  it('ignores and counts garbage, future versions and replayed envelopes, and keeps delivering', async () => {
    const tabs = createTestTabs();
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    await tabs.settle();
    const intruder = tabs.hub.create(channelOf(a));
    let replay: unknown;
    intruder.addEventListener('message', (event) => {
      if ((event.data as { kind?: string }).kind === 'batch') replay = event.data;
    });
    a.bus.publish('real.one', 1);
    await tabs.settle();
    for (const data of ['garbage', 42, null, { hello: 1 }, { ...base, switchboard: 99 }, { ...base, ttl: 'x' }, replay]) {
      intruder.postMessage(data);
    }
    await tabs.settle();
    a.bus.publish('real.two', 2);
    await tabs.settle();
    expect(b.topics('real.')).toEqual(['real.one', 'real.two']);
    expect(b.crossTab.stats().ignoredEnvelopes).toEqual({ foreign: 4, malformed: 1, futureVersion: 1, duplicate: 1, own: 0 });
    expect(b.errors).toEqual([]);
  });
});

function channelOf(tab: ReturnType<ReturnType<typeof createTestTabs>['open']>): string {
  return tab.bus.stats().adapters[0]!.replace(/^cross-tab:/, '');
}
