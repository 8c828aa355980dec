import { describe, expect, it } from 'vitest';
import { connectAll, createDevice, until } from './devices.ts';
import { createFakeBroker } from './fake-broker.ts';

/** Device `a` with two copies in tab a1 (one holds the connection), and device `b` with one tab. */
async function twoCopiesConnected() {
  const broker = createFakeBroker();
  const a = createDevice(broker, 'a');
  const b = createDevice(broker, 'b');
  const first = a.open('a1');
  const second = a.open('a1');
  const remote = b.open('b1');
  await connectAll(broker, [a, b]);
  const holder = first.mqtt.holdsConnection ? first : second;
  const other = holder === first ? second : first;
  return { broker, a, b, holder, other, remote };
}

/** Two microfrontends in one page, each bundling Switchboard: two buses and two bridges with one tab id. */
describe('attachMqtt from two bundled copies in one tab', () => {
  it('opens one broker connection for the tab, and both copies send and receive through it', async () => {
    const { broker, a, b, holder, other, remote } = await twoCopiesConnected();
    expect(broker.connections.filter((id) => id === 'a-client')).toHaveLength(1);
    expect([holder.mqtt.holdsConnection, other.mqtt.holdsConnection]).toEqual([true, false]);

    other.bus.publish('orders.created', { n: 1 });
    holder.bus.publish('orders.created', { n: 2 });
    remote.bus.publish('notes.added', { n: 3 });
    await until(
      () =>
        remote.topics('orders.').length === 2 &&
        holder.topics('notes.').length === 1 &&
        other.topics('notes.').length === 1 &&
        holder.mqtt.stats().pending === 0 &&
        other.mqtt.stats().pending === 0,
      [a, b],
    );
    await a.tabs.settle();
    // Two publishers (two buses): each one's order holds, not one order between them.
    const created = remote.seen.filter((m) => m.topic === 'orders.created').map((m) => m.payload);
    expect(created).toHaveLength(2);
    expect(created).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }]));
    for (const tab of [holder, other]) {
      expect(tab.seen.filter((m) => m.topic === 'notes.added').map((m) => m.payload)).toEqual([{ n: 3 }]);
    }
    expect(broker.accepted.filter((m) => m.topic === 'orders/created')).toHaveLength(2);
    expect(broker.connections.filter((id) => id === 'a-client')).toHaveLength(1);
  });

  it('hands the connection over when the holder detaches with a publish unanswered by the broker', async () => {
    const { broker, a, b, holder, other, remote } = await twoCopiesConnected();
    broker.holdAcks(true);
    holder.bus.publish('orders.stream', 1);
    await until(() => broker.accepted.length === 1, [a, b]);
    // A clean close would wait for that PUBACK (mqtt.js's does, and may wait behind a broker message
    // it was never told to acknowledge): the holder closes at once; the next one sends it again.
    holder.mqtt.detach();
    await until(() => other.mqtt.holdsConnection, [a, b], 2000);
    broker.holdAcks(false);
    await until(() => remote.topics('orders.').length === 1 && other.mqtt.stats().pending === 0, [a, b]);
    await b.tabs.settle();
    expect(remote.topics('orders.')).toEqual(['orders.stream']);
  });

  it('hands the connection to the other copy when the holding one detaches, losing and doubling nothing', async () => {
    const { broker, a, b, holder, other, remote } = await twoCopiesConnected();
    for (let i = 0; i < 10; i++) remote.bus.publish('notes.stream', i);
    await until(() => other.topics('notes.').length === 10, [a, b]);
    holder.mqtt.detach();
    for (let i = 10; i < 20; i++) {
      remote.bus.publish('notes.stream', i);
      other.bus.publish('orders.stream', i);
    }
    await until(
      () =>
        other.mqtt.holdsConnection &&
        other.topics('notes.').length >= 20 &&
        remote.topics('orders.').length >= 10 &&
        other.mqtt.stats().pending === 0,
      [a, b],
    );
    await a.tabs.settle();
    await b.tabs.settle();
    const range = (from: number) => Array.from({ length: 10 }, (_, i) => from + i);
    expect(other.seen.filter((m) => m.topic === 'notes.stream').map((m) => m.payload)).toEqual([
      ...range(0),
      ...range(10),
    ]);
    expect(remote.seen.filter((m) => m.topic === 'orders.stream').map((m) => m.payload)).toEqual(range(10));
    expect(broker.connections.filter((id) => id === 'a-client')).toHaveLength(2);
  });
});
