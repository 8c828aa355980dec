import { describe, expect, it } from 'vitest';
import { isMqttError, MQTT_STATE } from '../src/index.ts';
import { createFakeBroker } from './fake-broker.ts';
import { connectAll, createDevice, until } from './devices.ts';

describe('attachMqtt across devices', () => {
  it('holds one broker connection per origin, in the leader tab', async () => {
    const broker = createFakeBroker();
    const a = createDevice(broker, 'a');
    for (const id of ['a1', 'a2', 'a3', 'a4']) a.open(id);
    await connectAll(broker, [a]);
    expect(broker.connections).toEqual(['a-client']);
    expect(a.all.filter((tab) => tab.mqtt.holdsConnection)).toHaveLength(1);
    expect(a.all.every((tab) => tab.topics(MQTT_STATE).length > 0)).toBe(true);
  });

  it('delivers a message of device A to every tab of device B with every field intact', async () => {
    const broker = createFakeBroker();
    const a = createDevice(broker, 'a');
    const b = createDevice(broker, 'b');
    const a1 = a.open('a1');
    a.open('a2');
    b.open('b1');
    b.open('b2');
    await connectAll(broker, [a, b]);
    const sent = a1.bus.publish(
      'orders.42.created',
      { id: 42, items: [{ sku: 'x', qty: 2 }], note: null },
      {
        correlationId: 'c-1',
        causationId: 'm-0',
        custom: { nested: [1, 'two'] },
      },
    );
    await until(() => b.all.every((tab) => tab.topics('orders.').length === 1), [a, b]);
    for (const tab of b.all) {
      const got = tab.seen.find((m) => m.topic === 'orders.42.created')!;
      expect(got).toEqual(sent);
    }
    // Device A's own tabs got it from cross-tab only, once.
    await a.tabs.settle();
    expect(a.all.map((tab) => tab.topics('orders.').length)).toEqual([1, 1]);
  });

  it('maps topics between . and / and delivers plain MQTT messages with the bridge as source', async () => {
    const broker = createFakeBroker();
    const b = createDevice(broker, 'b');
    b.open('b1');
    b.open('b2');
    await connectAll(broker, [b]);
    broker.publish('orders/42/created', '{"total":12.5}');
    broker.publish('orders/43/created', 'not json');
    broker.publish('other/topic', '1');
    await until(() => b.all.every((tab) => tab.topics('orders.').length === 2), [b]);
    for (const tab of b.all) {
      const [first, second] = tab.seen.filter((m) => m.topic.startsWith('orders.'));
      expect(first).toMatchObject({ topic: 'orders.42.created', payload: { total: 12.5 }, source: 'mqtt', depth: 0 });
      expect(second).toMatchObject({ topic: 'orders.43.created', payload: 'not json' });
      expect(first!.id).toBe(b.all[0]!.seen.find((m) => m.topic === 'orders.42.created')!.id);
    }
    b.all[0]!.bus.publish('notes.hello', { text: 'hi' });
    await until(() => broker.accepted.some((m) => m.topic === 'notes/hello'), [b]);
    expect(JSON.parse(broker.accepted.find((m) => m.topic === 'notes/hello')!.payload)).toEqual({ text: 'hi' });
  });

  it('never sends $sys. topics or topics outside bridge.out, and never lets in what bridge.in does not name', async () => {
    const broker = createFakeBroker();
    const a = createDevice(broker, 'a', { bridge: { out: ['#'], in: ['orders.#'] } });
    const a1 = a.open('a1');
    await connectAll(broker, [a]);
    a1.bus.publish('anything.at.all', 1);
    await until(() => broker.accepted.length === 1, [a]);
    expect(broker.accepted.map((m) => m.topic)).toEqual(['anything/at/all']);
    broker.publish('$sys/rpc/request', '{}');
    broker.publish('orders/1', '{}');
    await until(() => a1.topics('orders.').length === 1, [a]);
    expect(a1.topics('$sys.rpc')).toEqual([]);
  });

  it('refills a full Receive Maximum window half a window at a time, in order', async () => {
    const broker = createFakeBroker();
    const a = createDevice(broker, 'a');
    const b = createDevice(broker, 'b');
    const a1 = a.open('a1');
    const b1 = b.open('b1');
    await connectAll(broker, [a, b]);
    broker.holdAcks(true);
    for (let i = 0; i < 40; i++) a1.bus.publish('orders.stream', i);
    // The broker's Receive Maximum is 20.
    await until(() => broker.accepted.length === 20, [a, b]);
    broker.releaseAcks(9);
    await a.tabs.settle();
    expect(broker.accepted).toHaveLength(20);
    // Half the window is free: ten more go together.
    broker.releaseAcks(1);
    await until(() => broker.accepted.length === 30, [a, b]);
    broker.holdAcks(false);
    await until(() => b1.topics('orders.').length === 40 && a1.mqtt.stats().pending === 0, [a, b]);
    expect(broker.accepted.map((m) => m.payload)).toEqual(Array.from({ length: 40 }, (_, i) => String(i)));
    expect(b1.seen.filter((m) => m.topic === 'orders.stream').map((m) => m.payload)).toEqual(
      Array.from({ length: 40 }, (_, i) => i),
    );
  });

  it('drops duplicates by message id and does not deliver its own messages twice', async () => {
    const broker = createFakeBroker();
    const a = createDevice(broker, 'a');
    const a1 = a.open('a1');
    a.open('a2');
    await connectAll(broker, [a]);
    const sent = a1.bus.publish('orders.1', 'x');
    await until(() => broker.accepted.length === 1, [a]);
    // The same message back from the broker (another bridge relaying it, a redelivery...).
    const copy = broker.accepted[0]!;
    broker.publish(copy.topic, copy.payload, { properties: copy.properties });
    broker.publish(copy.topic, copy.payload, { properties: copy.properties });
    await until(() => a.leader()!.mqtt.stats().duplicates === 2, [a]);
    expect(a.all.map((tab) => tab.seen.filter((m) => m.id === sent.id).length)).toEqual([1, 1]);
  });

  it('reports a refused publish (PUBACK 135) as a typed error naming the topic, in the publishing tab', async () => {
    const broker = createFakeBroker();
    broker.deny('orders/secret/#');
    const a = createDevice(broker, 'a');
    a.open('a1');
    a.open('a2');
    await connectAll(broker, [a]);
    const follower = a.all.find((tab) => !tab.mqtt.holdsConnection)!;
    follower.bus.publish('orders.secret.plan', { x: 1 });
    await until(() => follower.errors.length === 1, [a]);
    const [error] = follower.errors;
    expect(isMqttError(error)).toBe(true);
    expect(error).toMatchObject({ failure: 'publish-refused', topic: 'orders.secret.plan', reasonCode: 135 });
    expect((error as Error).message).toContain("publish('orders.secret.plan')");
    expect(a.leader()!.errors).toEqual([]);
    expect(a.all.map((tab) => tab.mqtt.stats().pending)).toEqual([0, 0]);
  });

  it('reports refused credentials once and keeps retrying with backoff', async () => {
    const broker = createFakeBroker({ users: { alice: 'right' } });
    const a = createDevice(broker, 'a', { username: 'alice', password: 'wrong' });
    const a1 = a.open('a1');
    await a.tabs.advance(1500);
    await until(() => a1.errors.length === 1, [a]);
    expect(a1.errors[0]).toMatchObject({ failure: 'connect-refused', reasonCode: 135 });
    await a.tabs.advance(5000);
    expect(broker.attempts.length).toBeGreaterThan(2);
    expect(a1.errors).toHaveLength(1);
    expect(a1.mqtt.state).toBe('offline');
  });

  it('asks the token provider for each attempt', async () => {
    const broker = createFakeBroker({ users: { bob: 'token-2' } });
    let calls = 0;
    const a = createDevice(broker, 'a', { username: 'bob', token: async () => `token-${++calls}` });
    const a1 = a.open('a1');
    await a.tabs.advance(2500);
    await until(() => a1.mqtt.state === 'connected', [a]);
    expect(broker.attempts.map((attempt) => attempt.password)).toEqual(['token-1', 'token-2']);
  });

  it('refuses a payload JSON cannot carry in the tab that published it, and sends the rest', async () => {
    const broker = createFakeBroker();
    const a = createDevice(broker, 'a');
    a.open('a1');
    a.open('a2');
    await connectAll(broker, [a]);
    const follower = a.all.find((tab) => !tab.mqtt.holdsConnection)!;
    follower.bus.publish('orders.odd', { at: new Date(0) });
    follower.bus.publish('orders.fine', { at: 0 });
    await until(() => broker.accepted.length === 1 && a.all.every((tab) => tab.mqtt.stats().pending === 0), [a]);
    expect(broker.accepted.map((m) => m.topic)).toEqual(['orders/fine']);
    const refusals = follower.errors.filter(isMqttError);
    expect(refusals).toEqual([expect.objectContaining({ failure: 'not-encodable', topic: 'orders.odd' })]);
    expect(refusals[0]!.message).toContain('payload.at (Date)');
  });
});
