import { describe, expect, it } from 'vitest';
import { createPubSub, type Message } from '../../src/index.ts';
import { subscribeOptions } from '../../src/internal.ts';
import { attachRetained } from '../../src/retained.ts';

describe('subscribeOptions', () => {
  it('asks for the retained messages first, or for nothing', () => {
    const bus = createPubSub({ app: 'shell' });
    attachRetained(bus);
    bus.publish('stock.a1', 3, { retain: true });
    const seen = (retained: boolean): unknown[] => {
      const payloads: unknown[] = [];
      bus.subscribe('stock.+', (message: Message) => void payloads.push(message.payload), subscribeOptions(retained))();
      return payloads;
    };
    expect(seen(true)).toEqual([3]);
    expect(seen(false)).toEqual([]);
    expect(subscribeOptions(false)).toBeUndefined();
  });
});
