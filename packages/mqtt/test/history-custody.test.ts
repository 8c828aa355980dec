import { createMemoryHistory } from '@switchboard/history';
import { describe, expect, it } from 'vitest';
import { createFakeBroker } from './fake-broker.ts';
import { connectAll, createDevice, until } from './devices.ts';

describe('attachMqtt with history', () => {
  it('stores a message from the broker once, in the tab holding the connection', async () => {
    const broker = createFakeBroker();
    const device = createDevice(broker, 'a');
    const tabs = [device.open('a1'), device.open('a2'), device.open('a3')];
    const histories = tabs.map(() =>
      createMemoryHistory({ namespace: 'custody', batchDelayMs: 0, clock: device.tabs.clock }),
    );
    await Promise.all(histories.map((history, i) => history.attach(tabs[i]!.bus)));
    await connectAll(broker, [device]);
    broker.publish('orders/1/created', '{"id":1}');
    broker.publish('orders/2/created', '{"id":2}');
    await until(() => tabs.every((tab) => tab.topics('orders.').length === 2), [device]);
    await Promise.all(tabs.map((tab) => tab.bus.flush()));
    const stored = await Promise.all(histories.map((history) => history.getHistory('orders.#')));
    const leaderIndex = tabs.findIndex((tab) => tab.mqtt.holdsConnection);
    expect(stored.map((messages) => messages.length)).toEqual(tabs.map((_, i) => (i === leaderIndex ? 2 : 0)));
    expect(stored[leaderIndex]!.map((m) => m.payload)).toEqual([{ id: 1 }, { id: 2 }]);
  });
});
