import {
  type AdapterLink,
  type AnyBus,
  type BusAdapter,
  type Leadership,
  type Message,
  type PubSubBus,
  type SystemAccess,
  systemAccess,
} from '@switchboard/bus';
import type { BridgeCore, BridgeCounts } from './bridge-core.ts';
import { type BridgeRules, compileBridgeRules } from './bridge-rules.ts';
import type { Leader } from './connection/leader.ts';
import { markCustody } from './custody.ts';
import { MqttError } from './errors.ts';
import { createIdWindow } from './id-window.ts';
import type { MqttOptions } from './mqtt-options.ts';
import { readRelayed } from './relayed-message.ts';
import { remembered } from './remembered.ts';
import {
  MQTT_IN,
  MQTT_REFUSED,
  MQTT_SENT,
  MQTT_STATE,
  type MqttConnectionState,
  type MqttInEvent,
  type MqttRefusedEvent,
  type MqttSentEvent,
  type MqttStateEvent,
} from './system-topics.ts';

/** Ids remembered for removing duplicates and the bridge's own messages coming back. */
const KNOWN_IDS = 16_384;
const LEADER_CHANGED = '$sys.leader.changed';
/** `clearRetained(topic)` of `@switchboard/bus/retained`: MQTT clears with an empty retained message. */
const RETAINED_CLEAR = '$sys.retained.clear';

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
  /** Messages the bridge's own permissions refused, either way. */
  readonly denied: number;
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
  /** This bridge holds the origin's broker connection (the tab leads; of bundled copies in it, one holds it). */
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
export function attachMqtt(bus: AnyBus & Pick<PubSubBus, 'attach'>, options: MqttOptions): MqttBridge {
  // Only what every tab needs is checked here; the connection's options (url, credentials,
  // timing) are checked by the tab that connects, with the code only it loads.
  if (typeof options?.url !== 'string') {
    throw new MqttError(
      'INVALID_OPTION',
      'connection',
      "attachMqtt(): options.url must be the broker's WebSocket URL.",
    );
  }
  // Checked (at least 1) with the connection's options, by the tab that connects.
  const maxPending = options.maxPending ?? 10_000;
  const app = options.app ?? 'mqtt';
  const filter = compileBridgeRules(options.bridge as BridgeRules, options.permissions);
  // Every tab keeps what waits for the broker, in order, so whichever tab leads next can send it.
  const pending = new Map<string, Message>();
  const known = createIdWindow(KNOWN_IDS);
  // The message this adapter is injecting: it sees it again in onInject (synchronously) and must
  // not send it out. A variable, not a WeakSet entry per broker message.
  let injecting: Message | undefined;
  const counts: BridgeCounts = {
    sent: 0,
    received: 0,
    relayed: 0,
    duplicates: 0,
    refused: 0,
    denied: 0,
    expired: 0,
    dropped: 0,
    errors: 0,
    connects: 0,
  };
  let link!: AdapterLink;
  // When this tab's bridge attached: relayed messages the connection tab kept from before are not for it.
  let attachedAt!: number;
  let access!: SystemAccess;
  let role: 'follower' | 'leader' | 'detached' = 'follower';
  let leader: Leader | undefined;
  let loading: Promise<typeof import('./connection/leader.ts')> | undefined;
  let waiters: Array<{ ids: Set<string>; resolve: () => void }> = [];
  // The topic the broker is clearing now: the bus's clear it causes must not go back out.
  let clearing: string | undefined;

  function report(error: unknown, message?: Message): void {
    counts.errors++;
    access.reportError(error, { kind: 'adapter', adapter: 'mqtt', ...(message && { message }) });
  }

  function deny(message: Message, list: 'publish' | 'subscribe'): void {
    counts.denied++;
    report(
      new MqttError(
        'PERMISSION_DENIED',
        'permission-denied',
        `attachMqtt(): app '${app}' may not ${list} '${message.topic}'; add it to its permissions.${list}.`,
        { topic: message.topic },
      ),
      message,
    );
  }

  /** A message published in the origin: keep it for the broker if it goes out. */
  function track(message: Message): void {
    if (!known.add(message.id) || !filter.sendsOut(message.topic)) return;
    if (!filter.mayRead(message.topic)) {
      // Reported once, by the tab that published it.
      if (message.origin.tabId === link.tabId) deny(message, 'subscribe');
      return;
    }
    pending.set(message.id, message);
    if (pending.size > maxPending) overflow();
    leader?.send(message);
  }

  function overflow(): void {
    const [oldestId, oldest] = pending.entries().next().value as [string, Message];
    counts.dropped++;
    settle(oldestId);
    if (oldest.origin.tabId !== link.tabId) return;
    report(
      new MqttError(
        'STORAGE_FAILED',
        'outbox',
        `attachMqtt(): ${maxPending} messages wait; dropped '${oldest.topic}'. Raise maxPending.`,
        { topic: oldest.topic },
      ),
      oldest,
    );
  }

  /** `clearRetained(topic)` goes out as what MQTT calls clearing: an empty retained message. */
  function trackClear(message: Message): void {
    const topic = (message.payload as { topic?: unknown } | undefined)?.topic;
    if (typeof topic !== 'string') return;
    if (topic === clearing) {
      // The broker cleared it: nothing to send, and the other tabs need not keep it either.
      known.add(message.id);
      core.publishSent([message.id]);
      return;
    }
    track({ ...message, topic, payload: undefined, meta: { retain: true } });
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

  const core: BridgeCore = {
    MqttError,
    remembered,
    get link() {
      return link;
    },
    get access() {
      return access;
    },
    app,
    filter,
    pending,
    counts,
    deliver(message, custody) {
      if (!known.add(message.id)) {
        counts.duplicates++;
        return false;
      }
      markCustody(message, custody);
      injecting = message;
      try {
        link.inject(message);
      } finally {
        injecting = undefined;
      }
      return true;
    },
    deny,
    clearRetained(service, topic) {
      clearing = topic;
      try {
        service.clear(topic);
      } finally {
        clearing = undefined;
      }
    },
    settle,
    publishSent(ids) {
      if (role !== 'detached') access.publish(MQTT_SENT, { ids } satisfies MqttSentEvent);
    },
    report,
    attached: () => role !== 'detached',
  };

  function onRefused(event: MqttRefusedEvent): void {
    counts.refused++;
    settle(event.id);
    if (event.tabId !== link.tabId) return;
    report(
      new MqttError(
        event.failure === 'publish-refused' ? 'REMOTE_ERROR' : 'NOT_CLONEABLE',
        event.failure,
        event.reason,
        {
          topic: event.topic,
          reasonCode: event.reasonCode,
        },
      ),
    );
  }

  /** The bridge's `$sys.mqtt.` events, from this tab and the others. */
  function onSystem(message: Message): void {
    // This bridge's own: another bridge of this tab (a bundled copy's) that does not hold the
    // connection takes the relays and acknowledgements as other tabs do.
    const local = message.origin.tabId === link.tabId && leader?.holds === true;
    switch (message.topic) {
      case MQTT_REFUSED:
        onRefused(message.payload as MqttRefusedEvent);
        return;
      case MQTT_STATE:
        core.lastState = message.payload as MqttStateEvent;
        return;
      case MQTT_SENT:
        if (!local) for (const id of (message.payload as MqttSentEvent).ids) settle(id);
        return;
      case MQTT_IN: {
        if (local || !Array.isArray(message.payload)) return;
        for (const item of message.payload as MqttInEvent) {
          if ((item.at as number) < attachedAt) continue;
          const relayed = readRelayed(item);
          if (relayed !== undefined && filter.letsIn(relayed.topic) && core.deliver(relayed, 'elsewhere')) {
            counts.relayed++;
          }
        }
        return;
      }
    }
  }

  function reconsider(): void {
    if (role === 'detached') return;
    const leadership = access.lookup<Leadership>('leadership');
    const leads = leadership === undefined || leadership.isLeader();
    if (leads && role === 'follower') {
      role = 'leader';
      void lead();
    } else if (!leads && role === 'leader') {
      role = 'follower';
      stopLeading();
    }
  }

  async function lead(): Promise<void> {
    try {
      loading ??= import('./connection/leader.ts');
      const { startLeader } = await loading;
      if (role !== 'leader' || leader !== undefined) return;
      leader = startLeader(core, options);
    } catch (error) {
      loading = undefined;
      report(
        new MqttError('UNSUPPORTED', 'connection', `attachMqtt(): loading the connection failed (${error}).`, {
          cause: error,
        }),
      );
    }
  }

  function stopLeading(): void {
    const stopping = leader;
    leader = undefined;
    stopping?.stop().catch(report);
  }

  const adapter: BusAdapter = {
    name: 'mqtt',
    connect(busLink) {
      link = busLink;
      attachedAt = link.clock.now();
    },
    onPublish(message) {
      if (message.topic === RETAINED_CLEAR) trackClear(message);
      else if (!message.topic.startsWith('$sys.mqtt.')) track(message);
    },
    onInject(message) {
      if (message.topic === RETAINED_CLEAR) trackClear(message);
      else if (message !== injecting && !message.topic.startsWith('$sys.mqtt.')) track(message);
    },
    flush: () => leader?.flush() ?? Promise.resolve(),
    disconnect() {
      stopLeading();
      role = 'detached';
      for (const waiter of waiters) waiter.resolve();
      waiters = [];
    },
  };

  const detachAdapter = bus.attach(adapter);
  // The bridge's `$sys.mqtt.` events and the tabs' lifecycle go through its system access.
  access = systemAccess(bus, 'mqtt');
  access.subscribe('$sys.mqtt.#', onSystem);
  access.subscribe(LEADER_CHANGED, reconsider);
  // After the adapters attached in the same task (cross-tab provides 'leadership').
  queueMicrotask(reconsider);

  return {
    get state() {
      return core.lastState?.state ?? 'unknown';
    },
    get holdsConnection() {
      return leader?.holds === true;
    },
    stats: () => ({ ...counts, pending: pending.size }),
    whenSent() {
      if (pending.size === 0 || role === 'detached') return Promise.resolve();
      return new Promise((resolve) => waiters.push({ ids: new Set(pending.keys()), resolve }));
    },
    detach() {
      detachAdapter();
      access.release();
    },
  };
}
