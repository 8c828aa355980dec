import type { AdapterLink, Message, PubSubBus } from '@switchboard/bus';
import { describe, expect, it } from 'vitest';
import { createTestTabs, isTestingError, type LinkOptions } from '../src/index.ts';

interface RelayOptions extends Partial<LinkOptions> {
  /** An option of the stand-in's own, set per set or per tab. */
  label?: string;
}

/**
 * A stand-in for cross-tab with its shape: sends what the bus publishes over the channel it is
 * given and injects what arrives. The real cross-tab runs under this kit in cross-tab's suite.
 */
function attachRelay(bus: PubSubBus, options: RelayOptions = {}) {
  const channel = options.channelFactory!(options.channel!);
  let link!: AdapterLink;
  const detach = bus.attach({
    name: 'relay',
    connect: (l) => {
      link = l;
    },
    onPublish: (message) => channel.postMessage(message),
  });
  channel.addEventListener('message', (event) => link.inject(event.data as Message));
  return {
    options,
    flush: async () => {},
    detach() {
      detach();
      channel.close();
    },
  };
}

describe('createTestTabs', () => {
  it('links each tab with the attachCrossTab it is given, on one clock and channel', async () => {
    const tabs = createTestTabs({ attachCrossTab: attachRelay, label: 'set' });
    const a = tabs.open('tab-a', 'orders');
    const b = tabs.open('tab-b', 'inventory', { label: 'tab' });
    expect(a.crossTab.options).toMatchObject({ clock: tabs.clock, leaderElection: 'heartbeat', label: 'set' });
    expect(b.crossTab.options.label).toBe('tab');
    expect(b.crossTab.options.channel).toBe(a.crossTab.options.channel);

    a.bus.publish('orders.placed', { id: 1 });
    await tabs.settle();
    expect(b.topics('orders.')).toEqual(['orders.placed']);
    expect(b.seen[0]?.origin.tabId).toBe('tab-a');
    expect(tabs.errors).toEqual([]);
  });

  it('silences a crashed tab, closes a tab with its transport, and collects errors', async () => {
    const tabs = createTestTabs({ attachCrossTab: attachRelay });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    a.crash();
    a.bus.publish('lost', 1);
    await tabs.settle();
    expect(b.topics('lost')).toEqual([]);

    b.bus.subscribe('boom', () => {
      throw new Error('handler failed');
    });
    b.bus.publish('boom', 1);
    expect(b.errors).toHaveLength(1);
    expect(tabs.errors).toEqual(b.errors);

    b.close();
    expect(b.bus.disposed).toBe(true);
  });

  it('refuses to start without attachCrossTab, saying what to pass', () => {
    let thrown: unknown;
    try {
      createTestTabs({} as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toSatisfy(isTestingError);
    expect(thrown).toMatchObject({ code: 'INVALID_OPTION' });
    expect(String((thrown as Error).message)).toMatch(
      /pass \{ attachCrossTab \}, the function of @switchboard\/cross-tab/,
    );
  });
});
