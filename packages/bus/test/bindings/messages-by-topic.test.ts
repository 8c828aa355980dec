import { describe, expect, it } from 'vitest';
import { createPubSub, isSwitchboardError, type Message } from '../../src/index.ts';
import { type MessagesByTopic, messagesByTopic, NO_MESSAGES } from '../../src/internal.ts';

function messages(): (topic: string, payload: unknown) => Message {
  const bus = createPubSub({ app: 'inventory' });
  return (topic, payload) => bus.publish(topic, payload);
}

function fold(maxTopics: number | undefined, list: readonly Message[]): MessagesByTopic {
  const topics = messagesByTopic('stock.+', maxTopics);
  return list.reduce(topics.reduce, topics.initial());
}

describe('messagesByTopic', () => {
  it('keeps the newest message of each topic, a new object on each change', () => {
    const message = messages();
    const a1 = message('stock.a1', 1);
    const b2 = message('stock.b2', 2);
    const a1Again = message('stock.a1', 3);
    const topics = messagesByTopic('stock.+');
    const start = topics.initial();
    expect(start).toBe(NO_MESSAGES);
    const once = topics.reduce(start, a1);
    expect(once).not.toBe(start);
    expect(topics.reduce(once, a1)).toBe(once);
    expect(fold(undefined, [a1, b2, a1Again])).toEqual({ 'stock.a1': a1Again, 'stock.b2': b2 });
    expect(Object.isFrozen(NO_MESSAGES)).toBe(true);
  });

  it('drops the topic updated longest ago past maxTopics', () => {
    const message = messages();
    const list = [message('stock.a1', 1), message('stock.b2', 2), message('stock.a1', 3), message('stock.c3', 4)];
    expect(Object.keys(fold(2, list))).toEqual(['stock.a1', 'stock.c3']);
  });

  it('keeps the order of updates for numeric topics, which objects list in numeric order', () => {
    const message = messages();
    // '2' was updated longest ago, though an object lists it after '1'.
    const list = [message('2', 'a'), message('1', 'b'), message('3', 'c')];
    expect(Object.keys(fold(2, list))).toEqual(['1', '3']);
  });

  it('forgets the topics seen when it starts over', () => {
    const message = messages();
    const topics = messagesByTopic('stock.+', 1);
    topics.reduce(topics.initial(), message('stock.a1', 1));
    const again = topics.reduce(topics.initial(), message('stock.b2', 2));
    expect(Object.keys(topics.reduce(again, message('stock.c3', 3)))).toEqual(['stock.c3']);
  });

  it('refuses a maxTopics that is not a positive integer, naming the pattern', () => {
    for (const maxTopics of [0, -1, 1.5, Number.NaN]) {
      let thrown: unknown;
      try {
        messagesByTopic('stock.+', maxTopics);
      } catch (error) {
        thrown = error;
      }
      expect(isSwitchboardError(thrown, 'INVALID_OPTION')).toBe(true);
      expect((thrown as Error).message).toBe(
        `useRetained('stock.+', { maxTopics }): expected a positive integer, got ${String(maxTopics)}.`,
      );
    }
  });
});
