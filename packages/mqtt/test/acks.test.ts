import { describe, expect, it } from 'vitest';
import { MQTT_SENT, type MqttSentEvent } from '../src/index.ts';
import { createFakeBroker } from './fake-broker.ts';
import { connectAll, createDevice, until } from './devices.ts';

describe('attachMqtt telling the other tabs what the broker acknowledged', () => {
  it('tells every PUBACK of a stream in a few events, and the last ones once nothing is in flight', async () => {
    const broker = createFakeBroker();
    const a = createDevice(broker, 'a');
    a.open('a1');
    a.open('a2');
    await connectAll(broker, [a]);
    const leader = a.leader()!;
    const follower = a.all.find((tab) => tab !== leader)!;
    const told: number[] = [];
    follower.bus.subscribe<MqttSentEvent>(MQTT_SENT, (m) => told.push(m.payload.ids.length));
    for (let i = 0; i < 300; i++) leader.bus.publish('orders.stream', i);
    await until(() => leader.mqtt.stats().sent === 300 && follower.mqtt.stats().pending === 0, [a]);
    expect(told.reduce((sum, n) => sum + n, 0)).toBe(300);
    // 128 at most per event while others are in flight, then the rest.
    expect(told.length).toBeLessThanOrEqual(3);
    expect(follower.mqtt.stats().sent).toBe(0);
    // One message alone is told as soon as its PUBACK arrives.
    leader.bus.publish('orders.stream', 300);
    await until(() => leader.mqtt.stats().sent === 301 && follower.mqtt.stats().pending === 0, [a]);
    expect(told.at(-1)).toBe(1);
  });
});
