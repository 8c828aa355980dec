import { describe, expect, it } from 'vitest';
import { isMqttError } from '../src/index.ts';
import { connectAll, createDevice, until } from './devices.ts';
import { createFakeBroker } from './fake-broker.ts';

// The bridge as app 'broker': it may bring in orders and notes, and take orders only.
const permissions = { publish: ['orders.#', 'notes.#'], subscribe: ['orders.#'] };

function denials(errors: readonly unknown[]) {
  return errors.filter(isMqttError).filter((error) => error.failure === 'permission-denied');
}

describe('the bridge as an app with its own permissions', () => {
  it('refuses to send out what its manifest entry does not let it read, naming the app and topic', async () => {
    const broker = createFakeBroker();
    const a = createDevice(broker, 'a', { app: 'broker', permissions });
    const a1 = a.open('a1');
    a.open('a2');
    await connectAll(broker, [a]);
    a1.bus.publish('notes.secret', { text: 'stays here' });
    a1.bus.publish('orders.1', { total: 1 });
    await until(() => broker.accepted.some((m) => m.topic === 'orders/1'), [a]);
    expect(broker.accepted.map((m) => m.topic)).toEqual(['orders/1']);
    const [denied, ...more] = denials(a1.errors);
    expect(more).toEqual([]);
    expect(denied).toMatchObject({ code: 'PERMISSION_DENIED', topic: 'notes.secret' });
    expect(denied!.message).toContain("app 'broker'");
    expect(a1.mqtt.stats().denied).toBe(1);
    // Reported once, in the publishing tab; the bus keeps working.
    expect(denials(a.all[1]!.errors)).toEqual([]);
    expect(a.all[1]!.topics('notes.')).toHaveLength(1);
  });

  it('refuses to publish on the bus what its manifest entry does not list, and stamps its app id on plain messages', async () => {
    const broker = createFakeBroker();
    const b = createDevice(broker, 'b', {
      app: 'broker',
      permissions: { publish: ['orders.#'], subscribe: [] },
    });
    b.open('b1');
    b.open('b2');
    await connectAll(broker, [b]);
    broker.publish('notes/forged', '{"text":"no"}');
    broker.publish('orders/7', '{"total":7}');
    await until(() => b.all.every((tab) => tab.topics('orders.').length === 1), [b]);
    for (const tab of b.all) {
      expect(tab.topics('notes.')).toEqual([]);
      expect(tab.seen.find((m) => m.topic === 'orders.7')).toMatchObject({ topic: 'orders.7', source: 'broker' });
    }
    const leader = b.leader()!;
    expect(denials(leader.errors)).toEqual([expect.objectContaining({ topic: 'notes.forged' })]);
    expect(leader.mqtt.stats().denied).toBe(1);
  });
});
