import { describe, expect, it } from 'vitest';
import { createFakeBroker } from './fake-broker.ts';
import { connectAll, createDevice, until } from './devices.ts';

describe('attachMqtt when the broker or the connection tab goes away', () => {
  it('keeps a stream exactly once and in order across a broker outage', async () => {
    const broker = createFakeBroker();
    const a = createDevice(broker, 'a');
    const b = createDevice(broker, 'b');
    const a1 = a.open('a1');
    a.open('a2');
    b.open('b1');
    b.open('b2');
    await connectAll(broker, [a, b]);
    for (let i = 0; i < 50; i++) a1.bus.publish('orders.stream', i);
    await until(() => b.all[0]!.topics('orders.').length >= 10, [a, b]);
    broker.down();
    for (let i = 50; i < 100; i++) a1.bus.publish('orders.stream', i);
    await until(() => a.all.every((tab) => tab.mqtt.state === 'offline'), [a, b]);
    broker.up();
    await a.tabs.advance(1000);
    await b.tabs.advance(1000);
    await until(() => b.all.every((tab) => tab.topics('orders.').length >= 100), [a, b]);
    await until(() => a.all.every((tab) => tab.mqtt.stats().pending === 0), [a, b]);
    const expected = Array.from({ length: 100 }, (_, i) => i);
    for (const tab of b.all) {
      expect(tab.seen.filter((m) => m.topic === 'orders.stream').map((m) => m.payload)).toEqual(expected);
    }
  });

  it('hands the connection to another tab when the leader goes, losing and doubling nothing', async () => {
    const broker = createFakeBroker();
    const a = createDevice(broker, 'a');
    const b = createDevice(broker, 'b');
    a.open('a1');
    a.open('a2');
    b.open('b1');
    b.open('b2');
    await connectAll(broker, [a, b]);
    const publisher = a.all.find((tab) => !tab.mqtt.holdsConnection)!;
    const oldLeaderA = a.leader()!;
    const oldLeaderB = b.leader()!;
    for (let i = 0; i < 40; i++) publisher.bus.publish('orders.stream', i);
    // Device A's connection tab sends the stream and dies before the broker's PUBACKs arrive:
    // the next connection tab sends it all again, and device B drops the copies by id.
    broker.holdAcks(true);
    // The broker's Receive Maximum (20) holds the rest back.
    await until(() => broker.accepted.length === 20, [a]);
    oldLeaderA.crash();
    oldLeaderA.mqtt.detach();
    oldLeaderA.bus.dispose();
    broker.holdAcks(false);
    // Device B's connection tab closes mid-stream.
    await until(() => b.all.every((tab) => tab.topics('orders.').length >= 10), [b]);
    oldLeaderB.close();
    for (let i = 40; i < 80; i++) publisher.bus.publish('orders.stream', i);
    await a.tabs.advance(6000);
    await b.tabs.advance(2000);
    const survivor = b.all.find((tab) => tab !== oldLeaderB)!;
    await until(() => survivor.topics('orders.').length >= 80 && publisher.mqtt.stats().pending === 0, [a, b]);
    await b.tabs.advance(500);
    expect(broker.accepted.length).toBe(100);
    expect(survivor.seen.filter((m) => m.topic === 'orders.stream').map((m) => m.payload)).toEqual(
      Array.from({ length: 80 }, (_, i) => i),
    );
    expect(broker.connections.filter((id) => id === 'a-client')).toHaveLength(2);
    expect(publisher.mqtt.holdsConnection).toBe(true);
    expect(survivor.mqtt.holdsConnection).toBe(true);
  });

  it('drops a message whose TTL ran out while the broker was away, and sends the rest', async () => {
    const broker = createFakeBroker();
    const a = createDevice(broker, 'a');
    const a1 = a.open('a1');
    await connectAll(broker, [a]);
    broker.down();
    await until(() => a1.mqtt.state === 'offline', [a]);
    a1.bus.publish('orders.flash', 'short', { ttlSeconds: 1 });
    a1.bus.publish('orders.flash', 'long', { ttlSeconds: 60 });
    await a.tabs.advance(2000);
    broker.up();
    await a.tabs.advance(2000);
    await until(() => a1.mqtt.stats().pending === 0, [a]);
    expect(broker.accepted.map((m) => JSON.parse(m.payload))).toEqual(['long']);
    expect(broker.accepted[0]!.properties.messageExpiryInterval).toBeLessThanOrEqual(58);
    expect(a1.mqtt.stats().expired).toBe(1);
  });

  it('maps meta.retain to the retain flag both ways, so a device connecting later gets it', async () => {
    const broker = createFakeBroker();
    const a = createDevice(broker, 'a');
    const a1 = a.open('a1');
    await connectAll(broker, [a]);
    const sent = a1.bus.publish('orders.latest', { id: 7 }, { retain: true });
    await until(() => broker.accepted.length === 1, [a]);
    expect(broker.accepted[0]!.retain).toBe(true);
    const late = createDevice(broker, 'late');
    const l1 = late.open('l1');
    await connectAll(broker, [late]);
    await until(() => l1.topics('orders.').length === 1, [late]);
    expect(l1.seen.find((m) => m.topic === 'orders.latest')).toEqual(sent);
  });
});
