import type { Message } from '@switchboard/bus';
import type { RetainedService } from '@switchboard/bus/retained';
import type { BridgeCore } from '../bridge-core.ts';
import { type MqttOptions, resolveOptions } from '../mqtt-options.ts';
import type { MqttInEvent, MqttRefusedEvent, MqttStateEvent } from '../system-topics.ts';
import { createTopicMapping } from '../topic-mapping.ts';
import { type Connection, type ConnectionHost, createConnection } from './connection.ts';
import { describeReasonCode } from './reason-codes.ts';
import { MQTT_IN, MQTT_REFUSED, MQTT_STATE } from './system-topic-names.ts';
import { createUnrelayedMessages } from './unrelayed.ts';
import { joinTabSeat } from './tab-seat.ts';

/** Most acknowledged message ids held for one `$sys.mqtt.sent` while others are still in flight. */
const ACKS_PER_EVENT = 128;

/** The `'presence'` service of cross-tab, as far as the bridge reads it: the live tabs, this one first. */
interface Presence {
  tabs(): ReadonlyArray<{ readonly tabId: string }>;
}

/** The connection tab's side of the bridge: what only the tab holding the connection runs. */
export interface Leader {
  /** This bridge holds the connection: the tab leads, and no other bridge of the tab holds it. */
  readonly holds: boolean;
  /** A new pending message: sent now when connected, kept in the outbox otherwise. */
  send(message: Message): void;
  flush(): Promise<void>;
  /** Disconnects normally; the broker keeps the session for the next connection tab. */
  stop(): Promise<void>;
}

/**
 * Takes the origin's broker connection in this tab: checks the connection's options, opens the
 * connection and answers it (deliveries, PUBACKs, refusals, state) with `$sys.mqtt.` events for
 * the other tabs. Loaded lazily, with mqtt.js, by the tab that leads; undefined when the options
 * are wrong (reported).
 */
export function startLeader(core: BridgeCore, options: MqttOptions): Leader | undefined {
  const { MqttError } = core;
  let config: ReturnType<typeof resolveOptions>;
  try {
    config = resolveOptions(options);
  } catch (error) {
    core.report(new MqttError('INVALID_OPTION', 'connection', (error as Error).message));
    return undefined;
  }
  let acks: string[] = [];
  let relays: Message[] = [];
  // PUBACKs of the broker messages in `relays` (and of those dropped beside them): sent after the relay.
  let relayAcks: Array<() => void> = [];
  let relayScheduled = false;
  const unrelayed = createUnrelayedMessages();
  // Whether presence shows another tab; undefined once a tab joined or left, until asked again.
  let othersKnown: boolean | undefined;
  // Tabs that left by timeout and were not heard from since: busy or throttled pages may still
  // listen. Relays go on for them, since what this tab acknowledges and keeps dies with it.
  const silent = new Set<string>();

  /** Another tab may take relays: presence shows one, or one went silent (without cross-tab there is none). */
  function othersListen(): boolean {
    othersKnown ??= silent.size > 0 || (core.access.lookup<Presence>('presence')?.tabs().length ?? 0) > 1;
    // Another bridge of this tab (a bundled copy's) joins no tab: asked each time.
    return othersKnown || seat.shared();
  }

  /**
   * One `$sys.mqtt.in` per burst of broker messages (one WebSocket frame often holds many). With
   * no other tab known, the post (most of what a received message cost this tab) is skipped and
   * the burst kept instead, for a tab that opened before its hello was read.
   */
  function flushRelays(): void {
    relayScheduled = false;
    const batch = relays;
    relays = [];
    if (batch.length > 0) {
      if (othersListen()) relay(batch);
      else if (core.access.lookup('presence') !== undefined) unrelayed.keep(batch, core.link.clock.now());
    }
    const ackNow = relayAcks;
    relayAcks = [];
    for (const ack of ackNow) ack();
  }

  function scheduleRelays(): void {
    if (relayScheduled) return;
    relayScheduled = true;
    queueMicrotask(flushRelays);
  }

  /** Sends the kept messages to the tabs that joined; each delivers those that arrived after it attached. */
  function relayKept(): void {
    const kept = unrelayed.take(core.link.clock.now());
    if (kept.length > 0) relay(kept);
  }

  /**
   * One `$sys.mqtt.in` for `messages`, or, when cross-tab refuses it (more than one post may carry,
   * as the messages kept for a joining tab can be), one per half, down to the message that cannot
   * travel alone, which is reported.
   */
  function relay(messages: MqttInEvent): void {
    const half = messages.length >> 1;
    if (publish(MQTT_IN, messages, half > 0)) return;
    relay(messages.slice(0, half));
    relay(messages.slice(half));
  }

  /** False if the bus refused it and `quiet`; otherwise a refusal is reported. */
  function publish(topic: string, payload: unknown, quiet = false): boolean {
    if (!core.attached()) return true;
    try {
      core.access.publish(topic, payload);
    } catch (error) {
      if (quiet) return false;
      core.access.reportError(error, { kind: 'adapter', adapter: 'mqtt' });
    }
    return true;
  }
  let lastState: Omit<MqttStateEvent, 'tabId'> | undefined;

  let acksScheduled = false;

  function flushAcks(): void {
    const ids = acks;
    acks = [];
    if (ids.length > 0) core.publishSent(ids);
  }

  /**
   * Tells the other tabs what the broker acknowledged: at the end of a burst of PUBACKs once
   * nothing more is in flight, else once ACKS_PER_EVENT have gathered (and when the connection
   * drops or stops). Each `$sys.mqtt.sent` is a post to every tab: one per PUBACK was most of
   * what a stream cost this tab. The others drop copies by id if they resend one after a takeover.
   */
  function announceAcks(): void {
    acksScheduled = false;
    if (acks.length < ACKS_PER_EVENT && connection.inFlight > 0) return;
    flushAcks();
  }

  /** After any answer of the broker: the last one in flight may have been a refusal. */
  function scheduleAnnounce(): void {
    if (acksScheduled || acks.length === 0) return;
    acksScheduled = true;
    queueMicrotask(announceAcks);
  }

  function settled(message: Message): void {
    core.settle(message.id);
    acks.push(message.id);
    scheduleAnnounce();
  }

  const host: ConnectionHost = {
    MqttError,
    config,
    filter: core.filter,
    mapping: createTopicMapping(config.prefix, core.remembered),
    link: core.link,
    pending: core.pending,
    remembered: core.remembered,
    receive(message) {
      if (!core.filter.mayPublish(message.topic)) return core.deny(message, 'publish');
      if (message.meta.retain === true && (message.payload === undefined || message.payload === '')) {
        // An empty retained message is how MQTT clears a topic: clear it in the bus's retained
        // store (every tab), deliver nothing, as `clearRetained` does.
        const retained = core.access.lookup<RetainedService>('retained');
        // The other tabs get what came before the clear first.
        flushRelays();
        if (retained !== undefined) core.clearRetained(retained, message.topic);
        return;
      }
      if (!core.deliver(message, 'here')) return;
      core.counts.received++;
      relays.push(message);
      scheduleRelays();
    },
    afterRelays(ack) {
      relayAcks.push(ack);
      scheduleRelays();
    },
    acknowledged(message) {
      core.counts.sent++;
      settled(message);
    },
    unencodable(message, why) {
      core.settle(message.id);
      scheduleAnnounce();
      publish(MQTT_REFUSED, {
        id: message.id,
        topic: message.topic,
        failure: 'not-encodable',
        reason: why,
        tabId: message.origin.tabId,
      } satisfies MqttRefusedEvent);
    },
    refused(message, reasonCode) {
      core.settle(message.id);
      scheduleAnnounce();
      publish(MQTT_REFUSED, {
        id: message.id,
        topic: message.topic,
        failure: 'publish-refused',
        reasonCode,
        reason: `publish('${message.topic}'): the MQTT broker refused the message (${describeReasonCode(reasonCode)}); allow the bridge's user to publish to it in the broker's ACL, or stop sending it with bridge.out.`,
        tabId: message.origin.tabId,
      } satisfies MqttRefusedEvent);
    },
    expired(message) {
      core.counts.expired++;
      settled(message);
    },
    setState(event) {
      // What was acknowledged before the connection changed is told first.
      flushAcks();
      if (event.state === 'connected') core.counts.connects++;
      lastState = event;
      publish(MQTT_STATE, { ...event, tabId: core.link.tabId } satisfies MqttStateEvent);
    },
    report: (error, message) => core.report(error, message),
  };
  const connection: Connection = createConnection(host);
  // The tab that held the connection may still have relays on their way here, acknowledged to
  // the broker already: its goodbye, its timeout or its 'closed' state comes after them, so the
  // connection opens once it is gone and the broker's next messages are delivered after them.
  const told = core.lastState;
  let previous = told?.state === 'closed' ? undefined : told?.tabId;
  if (
    previous === core.link.tabId ||
    !core.access
      .lookup<Presence>('presence')
      ?.tabs()
      .some((tab) => tab.tabId === previous)
  ) {
    previous = undefined;
  }
  // Bundled copies of the bridge in this tab all lead with it: the one holding the tab's seat
  // connects; the others try again when it frees.
  let holds = false;
  function begin(): void {
    holds ||= seat.take();
    if (holds && previous === undefined) connection.start();
  }
  const seat = joinTabSeat(
    [core.link.tabId, config.url, config.name, config.clientId, config.connect, config.indexedDB],
    begin,
  );
  function gone(tabId: string): void {
    if (tabId !== previous) return;
    previous = undefined;
    begin();
  }
  begin();
  const stopClosed = core.access.subscribe<MqttStateEvent>(MQTT_STATE, (event) => {
    if (event.payload.state === 'closed') gone(event.payload.tabId);
  });
  // A tab that just joined does not know where the connection stands, and may have missed relays.
  const stopJoined = core.access.subscribe<{ tabId: string }>('$sys.tab.joined', (event) => {
    silent.delete(event.payload.tabId);
    othersKnown = undefined;
    if (lastState !== undefined) host.setState(lastState);
    if (othersListen()) relayKept();
  });
  const stopLeft = core.access.subscribe<{ tabId: string; reason: string }>('$sys.tab.left', (event) => {
    const { tabId, reason } = event.payload;
    if (reason === 'timeout') silent.add(tabId);
    else silent.delete(tabId);
    othersKnown = undefined;
    gone(tabId);
  });
  return {
    get holds() {
      return holds;
    },
    send: (message) => connection.send(message),
    flush() {
      flushAcks();
      return connection.flush();
    },
    async stop() {
      stopJoined();
      stopLeft();
      stopClosed();
      flushAcks();
      // Not acknowledged: when the page hides, cross-tab has already stopped posting, and the
      // next connection tab gets these from the broker (receivers drop copies by id).
      relayAcks = [];
      // A tab may have opened unseen: it takes what it missed from the kept ones.
      flushRelays();
      relayKept();
      seat.leave();
      await connection.stop();
      if (!holds) return;
      publish(MQTT_STATE, { state: 'closed', attempt: 0, tabId: core.link.tabId } satisfies MqttStateEvent);
      // Freed once the connection closed: the next holder's never opens beside it.
      holds = false;
      seat.release();
    },
  };
}
