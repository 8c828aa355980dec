import type { Message } from '@switchboard/bus';
import { attachRetained, clearRetained } from '@switchboard/bus/retained';
import { describe, expect, it } from 'vitest';
import { connectAll, createDevice, type Device, until } from './devices.ts';
import { createFakeBroker, type FakeBroker } from './fake-broker.ts';

/** A device whose tabs keep retained messages, as a shell with `attachRetained` does. */
function retainingDevice(broker: FakeBroker, name: string, tabs: string[]): Device {
  const device = createDevice(broker, name);
  for (const id of tabs) attachRetained(device.open(id).bus);
  return device;
}

/** What a retained subscription made now hands over first, synchronously. */
function retainedNow(device: Device, tab: number, pattern: string): Message[] {
  const got: Message[] = [];
  const stop = device.all[tab]!.bus.subscribe(pattern, (m) => void got.push(m), { retained: true });
  stop();
  return got;
}

describe('retained messages across the bridge', () => {
  it('a retained bus message reaches the retained subscriptions of a device that connects later, in every tab', async () => {
    const broker = createFakeBroker();
    const a = retainingDevice(broker, 'a', ['a1']);
    await connectAll(broker, [a]);
    const sent = a.all[0]!.bus.publish('orders.latest', { version: 3 }, { retain: true });
    await until(() => broker.accepted.length === 1, [a]);
    expect(broker.accepted[0]).toMatchObject({ topic: 'orders/latest', retain: true });

    const late = retainingDevice(broker, 'late', ['l1', 'l2']);
    await connectAll(broker, [late]);
    await until(() => late.all.every((tab) => tab.topics('orders.').length === 1), [late]);
    // Subscribed after it arrived: the bus's retained store hands it over, with every field.
    for (const tab of [0, 1]) expect(retainedNow(late, tab, 'orders.#')).toEqual([sent]);
  });

  it('clearRetained on the bus clears the broker (an empty retained message), and the other devices forget it', async () => {
    const broker = createFakeBroker();
    const a = retainingDevice(broker, 'a', ['a1', 'a2']);
    const b = retainingDevice(broker, 'b', ['b1', 'b2']);
    await connectAll(broker, [a, b]);
    a.all[1]!.bus.publish('orders.latest', { version: 1 }, { retain: true });
    await until(() => retainedNow(b, 1, 'orders.#').length === 1, [a, b]);

    clearRetained(a.all[1]!.bus, 'orders.latest');
    await until(() => broker.accepted.length === 2, [a, b]);
    expect(broker.accepted[1]).toMatchObject({ topic: 'orders/latest', payload: '', retain: true });
    await until(() => retainedNow(b, 0, 'orders.#').length === 0 && retainedNow(b, 1, 'orders.#').length === 0, [a, b]);
    // Nothing was delivered to live subscribers, and nothing waits any more in any tab.
    expect(b.all.map((tab) => tab.topics('orders.').length)).toEqual([1, 1]);
    await until(() => [...a.all, ...b.all].every((tab) => tab.mqtt.stats().pending === 0), [a, b]);
    // The device that cleared because the broker told it did not send the clear back.
    expect(broker.accepted).toHaveLength(2);
  });

  it('an empty retained message from a plain MQTT client clears the topic on the bus and is not delivered', async () => {
    const broker = createFakeBroker();
    const a = retainingDevice(broker, 'a', ['a1', 'a2']);
    await connectAll(broker, [a]);
    broker.publish('orders/latest', '{"version":9}', { retain: true });
    await until(() => retainedNow(a, 1, 'orders.#').length === 1, [a]);
    broker.publish('orders/latest', '', { retain: true });
    await until(() => retainedNow(a, 0, 'orders.#').length === 0 && retainedNow(a, 1, 'orders.#').length === 0, [a]);
    expect(a.all.map((tab) => tab.topics('orders.').length)).toEqual([1, 1]);
    await until(() => a.all.every((tab) => tab.mqtt.stats().pending === 0), [a]);
    expect(broker.accepted.map((m) => m.from)).toEqual(['plain', 'plain']);
  });
});
