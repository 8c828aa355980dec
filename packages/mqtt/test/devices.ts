/**
 * Devices for bridge tests: each a set of linked test tabs (one browser profile) whose tabs all
 * attach the bridge to one fake broker.
 */
import { attachCrossTab, type CrossTab, type CrossTabOptions } from '@switchboard/cross-tab';
import { createTestTabs, type TestTab, type TestTabs, type TestTabsOptions } from '@switchboard/testing';
import { attachMqtt, type MqttBridge, type MqttOptions } from '../src/index.ts';
import type { FakeBroker } from './fake-broker.ts';

interface BridgedTab extends TestTab {
  readonly mqtt: MqttBridge;
  readonly id: string;
}

export interface Device {
  readonly tabs: TestTabs;
  /** Opens a tab; `crossTab` overrides its cross-tab options (a channel of its own, say). */
  readonly open: (
    tabId: string,
    overrides?: Partial<MqttOptions>,
    crossTab?: Parameters<TestTabs['open']>[2],
  ) => BridgedTab;
  readonly all: BridgedTab[];
  /** The tab holding the connection now. */
  leader(): BridgedTab | undefined;
}

/** Creates a device; `crossTab` are cross-tab options every tab gets (`leaderElection`, `locks`…). */
export function createDevice(
  broker: FakeBroker,
  name: string,
  defaults: Partial<MqttOptions> = {},
  crossTab: Omit<TestTabsOptions<CrossTab, CrossTabOptions>, 'attachCrossTab'> = {},
): Device {
  const tabs = createTestTabs({ attachCrossTab, ...crossTab });
  const all: BridgedTab[] = [];
  let seed = 0;
  return {
    tabs,
    all,
    open(tabId, overrides = {}, crossTab = {}) {
      const tab = tabs.open(tabId, `app-${tabId}`, crossTab);
      const mqtt = attachMqtt(tab.bus, {
        url: 'ws://broker.test/mqtt',
        clientId: `${name}-client`,
        bridge: { out: ['orders.#', 'notes.#'], in: ['orders.#', 'notes.#'] },
        connect: broker.connect,
        indexedDB: null,
        clock: tabs.clock,
        // Deterministic jitter and ids.
        random: () => {
          seed = (seed * 9301 + 49297) % 233280;
          return seed / 233280;
        },
        ...defaults,
        ...overrides,
      });
      const bridged = Object.assign(tab, { mqtt, id: tabId });
      all.push(bridged);
      return bridged;
    },
    leader: () => all.find((tab) => !tab.bus.disposed && tab.mqtt.holdsConnection),
  };
}

/** Lets the tabs, the fake broker and lazily loaded modules run until `done()` holds. */
export async function until(done: () => boolean, devices: Device[], timeoutMs = 5000): Promise<void> {
  // Bounded in real time: the first dynamic import of the connection code is transformed on demand.
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (done()) return;
    for (const device of devices) await device.tabs.settle();
    // A macrotask turn: the dynamic import of the connection code resolves across one.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (!done()) throw new Error('until(): the condition did not hold');
}

/** Elects a leader in each device (heartbeat election on the fake clock) and waits for its connection. */
export async function connectAll(broker: FakeBroker, devices: Device[]): Promise<void> {
  for (const device of devices) await device.tabs.advance(1500);
  await until(() => devices.every((d) => d.all.every((tab) => tab.mqtt.state === 'connected')), devices);
  void broker;
}
