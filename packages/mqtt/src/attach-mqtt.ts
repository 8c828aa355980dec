import type { AdapterLink, BusAdapter, Leadership, Message, PubSubBus } from '@switchboard/bus';
import { type BridgeRules, compileBridgeRules } from './bridge-rules.ts';
import type { Connection, ConnectionHost } from './connection/connection.ts';
import { markCustody } from './custody.ts';
import { describeReasonCode, MqttError } from './errors.ts';
import { createIdWindow } from './id-window.ts';
import { type MqttOptions, resolveOptions } from './mqtt-options.ts';
import { assertEncodable } from './payload-check.ts';
import { readRelayed } from './relayed-message.ts';
import {
  MQTT_IN,
  MQTT_REFUSED,
  MQTT_SENT,
  MQTT_STATE,
  type MqttConnectionState,
  type MqttRefusedEvent,
  type MqttSentEvent,
  type MqttStateEvent,
} from './system-topics.ts';
import { createTopicMapping } from './topic-mapping.ts';

/** Ids remembered for removing duplicates and the bridge's own messages coming back. */
const KNOWN_IDS = 16_384;
const LEADER_CHANGED = '$sys.leader.changed';
const TAB_JOINED = '$sys.tab.joined';

/** Counters of one tab's bridge. */
export interface MqttBridgeStats {
  /** Messages of this tab's connection acknowledged by the broker (0 in tabs that never held it). */
  readonly sent: number;
  /** Messages this tab's connection received from the broker and delivered. */
  readonly received: number;
  /** Broker messages relayed to this tab by the connection tab. */
  readonly relayed: number;
  /** Messages from the broker dropped as duplicates (redelivery, overlap, takeover, own echo). */
  readonly duplicates: number;
  /** Messages waiting for the broker's acknowledgement, in this tab's view. */
  readonly pending: number;
  /** Messages the broker refused (reported to the tab that published them). */
  readonly refused: number;
  /** Messages whose `meta.ttlSeconds` ran out before they could be sent. */
  readonly expired: number;
  /** Pending messages dropped because more than `maxPending` waited. */
  readonly dropped: number;
  /** Errors reported through the bus's `onError`. */
  readonly errors: number;
  /** Connections this tab opened. */
  readonly connects: number;
}

/** The bridge in one tab. */
export interface MqttBridge {
  /** Where the origin's broker connection stands, as this tab last heard. */
  readonly state: MqttConnectionState;
  /** This tab holds the origin's broker connection. */
  readonly holdsConnection: boolean;
  /** Counters. */
  stats(): MqttBridgeStats;
  /**
   * Resolves once every message pending when called has been acknowledged by the broker (or
   * refused, or expired). Waits across reconnects and takeovers.
   */
  whenSent(): Promise<void>;
  /** Detaches from the bus; the connection tab disconnects normally (the session stays). */
  detach(): void;
}

/**
 * Bridges a bus to an MQTT 5 broker: bus messages matching `bridge.out` are published to the
 * broker and broker messages matching `bridge.in` are delivered on the bus, in every tab of the
 * origin. One tab (the cross-tab leader) holds the one connection of the origin and loads mqtt.js;
 * the others relay through cross-tab and take over when it leaves. Attach cross-tab first.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { attachCrossTab } from '@switchboard/cross-tab';
 * import { attachMqtt } from '@switchboard/mqtt';
 * const bus = createPubSub({ app: 'shell' });
 * attachCrossTab(bus);
 * attachMqtt(bus, { url: 'wss://broker.example.com/mqtt', bridge: { out: ['orders.#'], in: ['orders.#'] } });
 */
export function attachMqtt(bus: Pick<PubSubBus, 'attach'>, options: MqttOptions): MqttBridge {
  const config = resolveOptions(options);
  const filter = compileBridgeRules(options.bridge as BridgeRules);
  const mapping = createTopicMapping(config.prefix);
  // Every tab keeps what waits for the broker, in order, so whichever tab leads next can send it.
  const pending = new Map<string, Message>();
  const known = createIdWindow(KNOWN_IDS);
  // What this adapter injected itself: it sees those again in onInject and must not send them out.
  const injected = new WeakSet<Message>();
  const counts = {
    sent: 0,
    received: 0,
    relayed: 0,
    duplicates: 0,
    refused: 0,
    expired: 0,
    dropped: 0,
    errors: 0,
    connects: 0,
  };
  let link!: AdapterLink;
  let role: 'follower' | 'leader' | 'detached' = 'follower';
  let connection: Connection | undefined;
  let loading: Promise<typeof import('./connection/connection.ts')> | undefined;
  let state: MqttConnectionState = 'unknown';
  let lastState: Omit<MqttStateEvent, 'tabId'> | undefined;
  let acks: string[] = [];
  let waiters: Array<{ ids: Set<string>; resolve: () => void }> = [];
  let detachFromBus = (): void => {};

  function report(error: MqttError, message?: Message): void {
    counts.errors++;
    link.reportError(
      error,
      message ? { kind: 'adapter', adapter: 'mqtt', message } : { kind: 'adapter', adapter: 'mqtt' },
    );
  }

  /** A message published in the origin: keep it for the broker if it goes out. */
  function track(message: Message): void {
    if (!known.add(message.id) || !filter.sendsOut(message.topic)) return;
    pending.set(message.id, message);
    if (pending.size > config.maxPending) overflow();
    connection?.send(message);
  }

  function overflow(): void {
    const [oldestId, oldest] = pending.entries().next().value as [string, Message];
    pending.delete(oldestId);
    counts.dropped++;
    settle(oldestId);
    if (oldest.origin.tabId !== link.tabId) return;
    report(
      new MqttError(
        'STORAGE_FAILED',
        'outbox',
        `attachMqtt(): more than ${config.maxPending} messages wait for the broker; dropped the oldest ('${oldest.topic}'). Raise maxPending or check the connection.`,
        { topic: oldest.topic },
      ),
      oldest,
    );
  }

  /** Forgets a message that no longer waits, and resolves `whenSent()` calls waiting for it. */
  function settle(id: string): void {
    pending.delete(id);
    if (waiters.length === 0) return;
    waiters = waiters.filter((waiter) => {
      waiter.ids.delete(id);
      if (waiter.ids.size > 0) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Delivers a broker message in this tab, once. */
  function deliver(message: Message, custody: 'here' | 'elsewhere'): boolean {
    if (!known.add(message.id)) {
      counts.duplicates++;
      return false;
    }
    markCustody(message, custody);
    injected.add(message);
    link.inject(message);
    return true;
  }

  function publishSystem(topic: string, payload: unknown): void {
    if (role === 'detached') return;
    try {
      link.publishSystem(topic, payload);
    } catch (error) {
      link.reportError(error, { kind: 'adapter', adapter: 'mqtt' });
    }
  }

  function flushAcks(): void {
    const ids = acks;
    acks = [];
    if (ids.length > 0) publishSystem(MQTT_SENT, { ids } satisfies MqttSentEvent);
  }

  const host: ConnectionHost = {
    config,
    filter,
    mapping,
    get link() {
      return link;
    },
    pending,
    receive(message) {
      if (!deliver(message, 'here')) return;
      counts.received++;
      publishSystem(MQTT_IN, message);
    },
    acknowledged(message) {
      counts.sent++;
      settle(message.id);
      // One `$sys.mqtt.sent` per burst of PUBACKs, not one per message.
      if (acks.push(message.id) === 1) queueMicrotask(flushAcks);
    },
    refused(message, reasonCode) {
      settle(message.id);
      publishSystem(MQTT_REFUSED, {
        id: message.id,
        topic: message.topic,
        reasonCode,
        tabId: message.origin.tabId,
      } satisfies MqttRefusedEvent);
    },
    expired(message) {
      counts.expired++;
      settle(message.id);
      if (acks.push(message.id) === 1) queueMicrotask(flushAcks);
    },
    setState(event) {
      if (event.state === 'connected') counts.connects++;
      lastState = event;
      state = event.state;
      publishSystem(MQTT_STATE, { ...event, tabId: link.tabId } satisfies MqttStateEvent);
    },
    report,
  };

  function onRefused(event: MqttRefusedEvent): void {
    counts.refused++;
    settle(event.id);
    if (event.tabId !== link.tabId) return;
    report(
      new MqttError(
        'REMOTE_ERROR',
        'publish-refused',
        `publish('${event.topic}'): the MQTT broker refused the message (${describeReasonCode(event.reasonCode)}); allow the bridge's user to publish to it in the broker's ACL, or stop sending it with bridge.out.`,
        { topic: event.topic, reasonCode: event.reasonCode },
      ),
    );
  }

  /** `$sys.` traffic the bridge reacts to; `local` when this tab published it. */
  function onSystem(message: Message, local: boolean): void {
    switch (message.topic) {
      case LEADER_CHANGED:
        reconsider();
        return;
      case TAB_JOINED:
        // A new tab does not know the connection's state yet.
        if (role === 'leader' && lastState !== undefined) host.setState(lastState);
        return;
      case MQTT_REFUSED:
        onRefused(message.payload as MqttRefusedEvent);
        return;
    }
    if (local) return;
    switch (message.topic) {
      case MQTT_IN: {
        const relayed = readRelayed(message.payload);
        if (relayed !== undefined && filter.letsIn(relayed.topic) && deliver(relayed, 'elsewhere')) counts.relayed++;
        return;
      }
      case MQTT_SENT:
        for (const id of (message.payload as MqttSentEvent).ids) settle(id);
        return;
      case MQTT_STATE:
        state = (message.payload as MqttStateEvent).state;
        return;
    }
  }

  function reconsider(): void {
    if (role === 'detached') return;
    const leadership = link.lookup<Leadership>('leadership');
    const leads = leadership === undefined || leadership.isLeader();
    if (leads && role === 'follower') {
      role = 'leader';
      void lead();
    } else if (!leads && role === 'leader') {
      role = 'follower';
      stopConnection();
    }
  }

  async function lead(): Promise<void> {
    try {
      loading ??= import('./connection/connection.ts');
      const { createConnection } = await loading;
      if (role !== 'leader' || connection !== undefined) return;
      connection = createConnection(host);
      connection.start();
    } catch (error) {
      loading = undefined;
      report(
        new MqttError(
          'UNSUPPORTED',
          'connection',
          `attachMqtt(): loading the connection code failed (${String(error)}).`,
          {
            cause: error,
          },
        ),
      );
    }
  }

  function stopConnection(): void {
    const stopping = connection;
    connection = undefined;
    if (stopping === undefined) return;
    stopping.stop().then(
      () => {
        if (role !== 'detached') host.setState({ state: 'closed', attempt: 0 });
      },
      (error: unknown) => link.reportError(error, { kind: 'adapter', adapter: 'mqtt' }),
    );
  }

  const adapter: BusAdapter = {
    name: 'mqtt',
    connect(busLink) {
      link = busLink;
      // After the adapters attached in the same task (cross-tab provides 'leadership').
      queueMicrotask(reconsider);
    },
    check(message) {
      if (filter.sendsOut(message.topic)) assertEncodable(message);
    },
    onPublish(message) {
      if (message.topic.startsWith('$sys.')) {
        if (message.topic.startsWith('$sys.mqtt.')) {
          onSystem(message, true);
          return;
        }
        if (message.topic === LEADER_CHANGED || message.topic === TAB_JOINED) onSystem(message, true);
      }
      track(message);
    },
    onInject(message) {
      if (injected.has(message)) return;
      if (message.topic.startsWith('$sys.mqtt.')) {
        onSystem(message, false);
        return;
      }
      track(message);
    },
    flush: () => connection?.flush() ?? Promise.resolve(),
    disconnect() {
      stopConnection();
      role = 'detached';
      for (const waiter of waiters) waiter.resolve();
      waiters = [];
    },
  };

  detachFromBus = bus.attach(adapter);

  return {
    get state() {
      return state;
    },
    get holdsConnection() {
      return role === 'leader';
    },
    stats: () => ({ ...counts, pending: pending.size }),
    whenSent() {
      if (pending.size === 0 || role === 'detached') return Promise.resolve();
      return new Promise((resolve) => waiters.push({ ids: new Set(pending.keys()), resolve }));
    },
    detach: () => detachFromBus(),
  };
}
