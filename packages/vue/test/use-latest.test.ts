// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import { type MessagesByTopic, useLatest, useRetained } from '../src/index.ts';
import { withRetained } from '../../react/test/support/retained.ts';
import { mountWith, testBus } from './support/vue.ts';

function payloads(messages: MessagesByTopic): Record<string, unknown> {
  return Object.fromEntries(Object.entries(messages).map(([topic, message]) => [topic, message.payload]));
}

describe('useLatest', () => {
  it('is undefined until a message arrives, then the latest one, rendered', async () => {
    const bus = testBus();
    const { result, wrapper } = mountWith(
      () => useLatest('stock.a1'),
      { bus },
      (latest) => String(latest.value?.payload ?? '-'),
    );
    expect(result.value).toBeUndefined();
    bus.publish('stock.a1', 3);
    bus.publish('stock.a1', 2);
    await nextTick();
    expect(result.value?.payload).toBe(2);
    expect(wrapper.text()).toBe('2');
  });

  it('follows a getter topic and starts over for a new one', async () => {
    const bus = testBus();
    const sku = ref('a1');
    const { result } = mountWith(() => useLatest(() => `stock.${sku.value}`), { bus });
    bus.publish('stock.a1', 1);
    sku.value = 'b2';
    await nextTick();
    expect(result.value).toBeUndefined();
    bus.publish('stock.a1', 2);
    bus.publish('stock.b2', 3);
    expect(result.value?.payload).toBe(3);
    expect(bus.stats().subscriptions).toBe(1);
  });

  it('with retained, holds the retained message once mounted', async () => {
    const { bus } = withRetained(testBus());
    bus.publish('user.current', { name: 'Ada' }, { retain: true });
    const { result, wrapper } = mountWith(
      () => useLatest('user.current', { retained: true }),
      { bus },
      (user) => user.value?.payload.name ?? 'guest',
    );
    expect(result.value?.payload).toEqual({ name: 'Ada' });
    await nextTick();
    expect(wrapper.text()).toBe('Ada');
  });

  it('leaves no subscription after unmount', () => {
    const bus = testBus();
    const { wrapper } = mountWith(() => useLatest('stock.a1'), { bus });
    expect(bus.stats().subscriptions).toBe(1);
    wrapper.unmount();
    expect(bus.stats().subscriptions).toBe(0);
  });

  it('works in an effect scope (a store) and stops with it', () => {
    const bus = testBus();
    const scope = effectScope();
    const latest = scope.run(() => useLatest('stock.a1', { bus }))!;
    bus.publish('stock.a1', 1);
    expect(latest.value?.payload).toBe(1);
    scope.stop();
    bus.publish('stock.a1', 2);
    expect(latest.value?.payload).toBe(1);
  });
});

describe('useRetained', () => {
  it('holds the retained message of each matching topic, then live ones, as new objects', () => {
    const { bus } = withRetained(testBus());
    bus.publish('stock.a1', 3, { retain: true });
    bus.publish('price.a1', 9, { retain: true });
    const { result } = mountWith(() => useRetained('stock.+'), { bus });
    const first = result.value;
    expect(payloads(first)).toEqual({ 'stock.a1': 3 });
    bus.publish('stock.b2', 5);
    expect(payloads(result.value)).toEqual({ 'stock.a1': 3, 'stock.b2': 5 });
    expect(payloads(first)).toEqual({ 'stock.a1': 3 });
  });

  it('drops the topic updated longest ago past maxTopics', () => {
    const { bus } = withRetained(testBus());
    const { result } = mountWith(() => useRetained('stock.+', { maxTopics: 2 }), { bus });
    bus.publish('stock.1', 1);
    bus.publish('stock.2', 2);
    bus.publish('stock.1', 11);
    bus.publish('stock.3', 3);
    expect(payloads(result.value)).toEqual({ 'stock.1': 11, 'stock.3': 3 });
  });

  it('starts over for a new pattern', async () => {
    const { bus } = withRetained(testBus());
    bus.publish('stock.a1', 3, { retain: true });
    bus.publish('price.a1', 9, { retain: true });
    const pattern = ref('stock.+');
    const { result } = mountWith(() => useRetained(pattern), { bus });
    pattern.value = 'price.+';
    await nextTick();
    expect(payloads(result.value)).toEqual({ 'price.a1': 9 });
  });

  it('refuses a maxTopics that is not a positive integer', () => {
    const { bus } = withRetained(testBus());
    expect(() => mountWith(() => useRetained('stock.+', { maxTopics: 1.5 }), { bus })).toThrow(
      "useRetained('stock.+', { maxTopics }): expected a positive integer, got 1.5.",
    );
  });
});
