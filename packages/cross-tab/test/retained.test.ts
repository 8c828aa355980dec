import type { Message } from '@switchboard/bus';
import { attachRetained } from '@switchboard/bus/retained';
import { createTestTabs } from '@switchboard/testing';
import { describe, expect, it } from 'vitest';
import { attachCrossTab } from '../src/index.ts';

describe('retained messages over cross-tab', () => {
  it('a tab opened later gets the retained messages from the leader, and a retained subscriber mounted at once receives them', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a', 'shell');
    attachRetained(a.bus);
    await tabs.advance(1_000);
    expect(a.crossTab.isLeader()).toBe(true);
    a.bus.publish('cart.count', 3, { retain: true });
    a.bus.publish('user.session', 'Ada', { retain: true });

    const b = tabs.open('tab-b', 'shell');
    const retained = attachRetained(b.bus);
    const seen: Message[] = [];
    b.bus.subscribe('cart.#', (m) => void seen.push(m), { retained: true });
    await tabs.advance(500);
    await retained.ready();
    expect(seen.map((m) => m.payload)).toEqual([3]);
    expect(retained.get('user.session')?.payload).toBe('Ada');
    // Exactly once: the live update after the sync arrives once.
    a.bus.publish('cart.count', 4, { retain: true });
    await tabs.settle();
    expect(seen.map((m) => m.payload)).toEqual([3, 4]);
    expect(tabs.errors).toEqual([]);
  });
});
