import type { ChannelLike } from '@switchboard/cross-tab';
import { createFakeLocks } from '@switchboard/testing';
import { describe, expect, it } from 'vitest';
import { MQTT_IN, type MqttClientLike, type MqttPublishPacket } from '../src/index.ts';
import { createFakeBroker } from './fake-broker.ts';
import { connectAll, createDevice, until } from './devices.ts';

/** The client, with `onAck` called as the bridge acknowledges each broker message (calls `done`). */
function watchAcks(client: MqttClientLike, onAck: () => void): MqttClientLike {
  let handle: MqttClientLike['handleMessage'] = (_packet, done) => done();
  Object.defineProperty(client, 'handleMessage', {
    get: () => (packet: MqttPublishPacket, done: (error?: Error) => void) =>
      handle(packet, (error) => {
        onAck();
        done(error);
      }),
    set(bridge: MqttClientLike['handleMessage']) {
      handle = bridge;
    },
  });
  return client;
}

/** The channel, with `onRelay` called as it posts a relay of broker messages. */
function watchRelays(channel: ChannelLike, onRelay: () => void): ChannelLike {
  return {
    name: channel.name,
    postMessage(data) {
      if (JSON.stringify(data).includes(MQTT_IN)) onRelay();
      channel.postMessage(data);
    },
    addEventListener: (type, listener) => channel.addEventListener(type, listener),
    removeEventListener: (type, listener) => channel.removeEventListener(type, listener),
    close: () => channel.close(),
  };
}

/** A channel factory whose channels hear everything but hold what they post until released. */
function heldChannels(create: (name: string) => ChannelLike): {
  factory: (name: string) => ChannelLike;
  release(): void;
} {
  const held: Array<() => void> = [];
  let holding = true;
  return {
    factory(name) {
      const channel = create(name);
      return {
        name: channel.name,
        postMessage(data) {
          if (holding) held.push(() => channel.postMessage(data));
          else channel.postMessage(data);
        },
        addEventListener: (type, listener) => channel.addEventListener(type, listener),
        removeEventListener: (type, listener) => channel.removeEventListener(type, listener),
        close: () => channel.close(),
      };
    },
    release() {
      holding = false;
      for (const post of held.splice(0)) post();
    },
  };
}

/** A channel factory whose channels hear everything but drop what they post while muted. */
function mutableChannels(create: (name: string) => ChannelLike): {
  factory: (name: string) => ChannelLike;
  mute(muted: boolean): void;
} {
  let muted = false;
  return {
    factory(name) {
      const channel = create(name);
      return {
        name: channel.name,
        postMessage(data) {
          if (!muted) channel.postMessage(data);
        },
        addEventListener: (type, listener) => channel.addEventListener(type, listener),
        removeEventListener: (type, listener) => channel.removeEventListener(type, listener),
        close: () => channel.close(),
      };
    },
    mute(value) {
      muted = value;
    },
  };
}

/** A channel factory whose channels post at once but hold what they hear while asked to. */
function heldArrivals(create: (name: string) => ChannelLike): {
  factory: (name: string) => ChannelLike;
  hold(): void;
  release(): void;
} {
  const held: Array<() => void> = [];
  let holding = false;
  return {
    factory(name) {
      const channel = create(name);
      const wrapped = new Map<unknown, (event: { data: unknown }) => void>();
      return {
        name: channel.name,
        postMessage: (data) => channel.postMessage(data),
        addEventListener(type, listener) {
          const late = (event: { data: unknown }) => {
            if (holding) held.push(() => listener(event));
            else listener(event);
          };
          wrapped.set(listener, late);
          channel.addEventListener(type, late);
        },
        removeEventListener(type, listener) {
          const late = wrapped.get(listener);
          if (late !== undefined) channel.removeEventListener(type, late);
        },
        close: () => channel.close(),
      };
    },
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const hear of held.splice(0)) hear();
    },
  };
}

describe('relaying broker messages to the other tabs', () => {
  it('posts no relay while the connection tab knows no other tab, and relays once one joins', async () => {
    const broker = createFakeBroker();
    const b = createDevice(broker, 'b');
    const b1 = b.open('b1');
    await connectAll(broker, [b]);
    for (let i = 0; i < 5; i++) broker.publish(`orders/${i}`, '{}');
    await until(() => b1.topics('orders.').length === 5, [b]);
    expect(b1.topics(MQTT_IN)).toEqual([]);

    b.tabs.clock.advance(10);
    const b2 = b.open('b2');
    await until(() => b1.topics('$sys.tab.joined').length === 1, [b]);
    broker.publish('orders/5', '{}');
    await until(() => b2.topics('orders.').length === 1, [b]);
    await b.tabs.settle();
    expect(b2.topics('orders.')).toEqual(['orders.5']);
    expect(b1.topics(MQTT_IN).length).toBeGreaterThan(0);
  });

  it('gives a tab that opened before its hello was read the messages that arrived after it attached', async () => {
    const broker = createFakeBroker();
    const b = createDevice(broker, 'b');
    const b1 = b.open('b1');
    await connectAll(broker, [b]);
    broker.publish('orders/before', '{}');
    await until(() => b1.topics('orders.').length === 1, [b]);
    b.tabs.clock.advance(10);

    // b2 listens, but the connection tab has not heard of it yet.
    const channels = heldChannels((name) => b.tabs.hub.create(name));
    const b2 = b.open('b2', {}, { channelFactory: channels.factory });
    broker.publish('orders/meanwhile', '{}');
    await until(() => b1.topics('orders.').length === 2, [b]);
    await b.tabs.settle();
    expect(b2.topics('orders.')).toEqual([]);

    channels.release();
    await until(() => b2.topics('orders.').length === 1, [b]);
    broker.publish('orders/after', '{}');
    await until(() => b2.topics('orders.').length === 2, [b]);
    await b.tabs.settle();
    expect(b2.topics('orders.')).toEqual(['orders.meanwhile', 'orders.after']);
    expect(b1.topics('orders.')).toEqual(['orders.before', 'orders.meanwhile', 'orders.after']);
  });

  it('gives a joining tab every kept message even when together they exceed the payload limit', async () => {
    const broker = createFakeBroker();
    const b = createDevice(broker, 'b');
    const limit = { maxPayloadBytes: 4_000 };
    const b1 = b.open('b1', {}, limit);
    await connectAll(broker, [b]);
    b.tabs.clock.advance(10);
    const channels = heldChannels((name) => b.tabs.hub.create(name));
    const b2 = b.open('b2', {}, { ...limit, channelFactory: channels.factory });
    // 40 messages of ~300 bytes arrive while b1 knows no other tab: ~12 kB kept, 3x the limit.
    const text = JSON.stringify({ note: 'x'.repeat(280) });
    for (let i = 0; i < 40; i++) broker.publish(`orders/${i}`, text);
    await until(() => b1.topics('orders.').length === 40, [b]);

    channels.release();
    await until(() => b2.topics('orders.').length === 40, [b], 2000);
    expect(b2.topics('orders.')).toEqual(Array.from({ length: 40 }, (_, i) => `orders.${i}`));
    expect(b1.errors).toEqual([]);
  });

  it('keeps relaying to a tab that went silent, so it loses nothing when the connection tab dies', async () => {
    const broker = createFakeBroker();
    const b = createDevice(broker, 'b');
    const b1 = b.open('b1');
    const channels = mutableChannels((name) => b.tabs.hub.create(name));
    const b2 = b.open('b2', {}, { channelFactory: channels.factory });
    await connectAll(broker, [b]);
    expect(b1.mqtt.holdsConnection).toBe(true);

    // b2 listens but is not heard (a busy or throttled page): b1 sees it leave by timeout.
    channels.mute(true);
    await b.tabs.advance(10_000);
    expect(b1.topics('$sys.tab.left')).toHaveLength(1);
    for (let i = 0; i < 5; i++) broker.publish(`orders/${i}`, '{}');
    await until(() => b1.topics('orders.').length === 5, [b]);
    await b.tabs.settle();

    // b1 dies without a word; b2 takes the connection over and the broker goes on from there.
    b1.crash();
    b1.mqtt.detach();
    b1.bus.dispose();
    channels.mute(false);
    await b.tabs.advance(10_000);
    await until(() => b2.mqtt.holdsConnection && b2.mqtt.state === 'connected', [b]);
    for (let i = 5; i < 10; i++) broker.publish(`orders/${i}`, '{}');
    await until(() => b2.topics('orders.').includes('orders.9'), [b]);
    expect(b2.topics('orders.')).toEqual(Array.from({ length: 10 }, (_, i) => `orders.${i}`));
  });

  it('acknowledges nothing more once its page hides: the next connection tab gets the rest from the broker', async () => {
    const broker = createFakeBroker();
    const b = createDevice(broker, 'b', {}, { leaderElection: 'locks', locks: createFakeLocks() });
    const page = new EventTarget();
    const b1 = b.open('b1', {}, { lifecycle: page });
    const b2 = b.open('b2');
    await connectAll(broker, [b]);
    expect(b1.mqtt.holdsConnection).toBe(true);
    for (let i = 0; i < 5; i++) broker.publish(`orders/${i}`, '{}');
    await until(() => b2.topics('orders.').length === 5, [b]);

    // The page closes: its channel says goodbye and posts nothing more, while its socket may
    // still hear the broker until the page is torn down. What it would acknowledge then could
    // never reach the other tabs.
    page.dispatchEvent(new Event('pagehide'));
    for (let i = 5; i < 10; i++) broker.publish(`orders/${i}`, '{}');
    await until(() => b2.topics('orders.').includes('orders.9'), [b]);
    expect(b2.topics('orders.')).toEqual(Array.from({ length: 10 }, (_, i) => `orders.${i}`));
    expect(b1.mqtt.holdsConnection).toBe(false);
  });

  it('posts a broker message to the other tabs before acknowledging it', async () => {
    const broker = createFakeBroker();
    const order: string[] = [];
    const b = createDevice(
      broker,
      'b',
      { connect: (url, options) => watchAcks(broker.connect(url, options), () => order.push('ack')) },
      { leaderElection: 'locks', locks: createFakeLocks() },
    );
    b.open(
      'b1',
      {},
      { channelFactory: (name: string) => watchRelays(b.tabs.hub.create(name), () => order.push('relay')) },
    );
    const b2 = b.open('b2');
    await connectAll(broker, [b]);
    for (let i = 0; i < 3; i++) broker.publish(`orders/${i}`, '{}');
    await until(() => b2.topics('orders.').length === 3, [b]);
    // The fake broker hands over the three at once (mqtt.js, one a turn): one relay, then their PUBACKs.
    expect(order).toEqual(['relay', 'ack', 'ack', 'ack']);
  });

  it("delivers the last relays of the tab that held the connection before the broker's next messages", async () => {
    const broker = createFakeBroker();
    const b = createDevice(broker, 'b', {}, { leaderElection: 'locks', locks: createFakeLocks() });
    const b1 = b.open('b1');
    const arrivals = heldArrivals((name) => b.tabs.hub.create(name));
    const b2 = b.open('b2', {}, { channelFactory: arrivals.factory });
    await connectAll(broker, [b]);
    expect(b1.mqtt.holdsConnection).toBe(true);

    // b1's relays, acknowledged to the broker already, are still on their way to b2 when b1
    // closes and b2 gets the lock.
    arrivals.hold();
    for (let i = 0; i < 5; i++) broker.publish(`orders/${i}`, '{}');
    await until(() => b1.topics('orders.').length === 5, [b]);
    b1.close();
    await until(() => b2.mqtt.holdsConnection, [b]);
    for (let i = 5; i < 10; i++) broker.publish(`orders/${i}`, '{}');
    await b.tabs.advance(1000);
    arrivals.release();
    await until(() => b2.topics('orders.').includes('orders.9'), [b]);
    expect(b2.topics('orders.')).toEqual(Array.from({ length: 10 }, (_, i) => `orders.${i}`));
  });
});
