import { createPubSub, type Message } from '@switchboard/bus';
import { attachRetained } from '@switchboard/bus/retained';
import { describe, expect, it } from 'vitest';
import { createHistoryAdapter } from '../src/index.ts';
import { freshIndexedDB } from './support.ts';

describe('retained messages in IndexedDB', () => {
  it('a tab that opens alone gets the retained messages of tabs that are all closed', async () => {
    const indexedDB = freshIndexedDB();
    // Time moves only when told, so the three messages have distinct, ordered timestamps.
    let now = 1_000;
    const clock = {
      now: () => now,
      setTimeout: (run: () => void, ms: number) => setTimeout(run, ms),
      clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      advance(ms: number) {
        now += ms;
      },
    };
    const first = createPubSub({ app: 'shell', tabId: 'first', clock });
    await createHistoryAdapter({ indexedDB, gcIntervalMs: 0 }).attach(first);
    attachRetained(first);
    first.publish('user.session', { name: 'Ada' }, { retain: true });
    clock.advance(1);
    first.publish('user.theme', 'dark', { retain: true });
    clock.advance(1);
    first.publish('user.session', { name: 'Grace' }, { retain: true });
    await first.flush();
    first.dispose();

    const reopened = createPubSub({ app: 'shell', tabId: 'reopened' });
    await createHistoryAdapter({ indexedDB, gcIntervalMs: 0 }).attach(reopened);
    const retained = attachRetained(reopened);
    await retained.ready();
    const seen: Message[] = [];
    reopened.subscribe('user.#', (m) => void seen.push(m), { retained: true });
    expect(seen.map((m) => [m.topic, m.payload])).toEqual([
      ['user.theme', 'dark'],
      ['user.session', { name: 'Grace' }],
    ]);
    reopened.dispose();
  });
});
