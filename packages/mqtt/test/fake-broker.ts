/**
 * An in-memory MQTT 5 broker with the behaviour the bridge relies on: persistent sessions that
 * queue QoS 1 messages while their client is away and redeliver unacknowledged ones, No Local,
 * Retain As Published, Retain Handling, retained messages, users, and publish ACLs (PUBACK 135).
 * Every event is delivered in a microtask, so tests await a flush instead of sleeping.
 */
import type {
  MqttClientLike,
  MqttConnack,
  MqttConnect,
  MqttConnectOptions,
  MqttPublishPacket,
  MqttPublishProperties,
} from '../src/index.ts';

type Listener = (...args: never[]) => void;

interface Subscription {
  readonly filter: string;
  readonly nl: boolean;
  readonly rap: boolean;
}

interface SessionClient {
  readonly open: boolean;
  readonly handleMessage: MqttClientLike['handleMessage'];
  drop(): void;
}

interface Session {
  readonly clientId: string;
  subscriptions: Subscription[];
  queue: MqttPublishPacket[];
  unacked: MqttPublishPacket[];
  client: SessionClient | undefined;
}

/** A publish the broker accepted. */
interface BrokerMessage {
  readonly topic: string;
  readonly payload: string;
  readonly retain: boolean;
  readonly properties: MqttPublishProperties;
  /** The publishing client, or 'plain' for {@link FakeBroker.publish}. */
  readonly from: string;
}

export interface FakeBroker {
  readonly connect: MqttConnect;
  /** Publishes as a plain MQTT client (no Switchboard properties unless given). */
  publish(topic: string, payload: string, options?: { retain?: boolean; properties?: MqttPublishProperties }): void;
  /** Every publish accepted, in order. */
  readonly accepted: BrokerMessage[];
  /** Client ids, once per successful connection. */
  readonly connections: string[];
  /** Clients connected now. */
  connected(): string[];
  /** Stops: drops every connection, refuses new ones. Sessions and retained messages survive. */
  down(): void;
  up(): void;
  /** Publishes to topics matching these filters are refused with PUBACK 135. */
  deny(filter: string): void;
  /** Withholds PUBACKs (publishes are still routed) until called with false. */
  holdAcks(hold: boolean): void;
  /** Sends the `count` oldest withheld PUBACKs, still withholding later ones. */
  releaseAcks(count: number): void;
  /** Connect options of every attempt. */
  readonly attempts: MqttConnectOptions[];
}

export function createFakeBroker(options: { users?: Record<string, string> } = {}): FakeBroker {
  const sessions = new Map<string, Session>();
  const retained = new Map<string, MqttPublishPacket>();
  const accepted: BrokerMessage[] = [];
  const connections: string[] = [];
  const attempts: MqttConnectOptions[] = [];
  const denied: string[] = [];
  let running = true;
  let heldAcks: Array<() => void> | undefined;

  function route(packet: MqttPublishPacket, from: string | undefined): void {
    if (packet.retain) {
      if (payloadText(packet.payload) === '') retained.delete(packet.topic);
      else retained.set(packet.topic, packet);
    }
    for (const session of sessions.values()) {
      const sub = session.subscriptions.find((s) => matches(s.filter, packet.topic));
      if (sub === undefined) continue;
      if (sub.nl && session.clientId === from) continue;
      const copy: MqttPublishPacket = { ...packet, retain: sub.rap ? packet.retain : false };
      session.queue.push(copy);
      pump(session);
    }
  }

  function pump(session: Session): void {
    const client = session.client;
    if (client === undefined || !client.open) return;
    while (session.queue.length > 0) {
      const packet = session.queue.shift()!;
      session.unacked.push(packet);
      later(() => {
        if (session.client !== client || !client.open) return;
        client.handleMessage(packet, () => {
          const index = session.unacked.indexOf(packet);
          if (index >= 0) session.unacked.splice(index, 1);
        });
      });
    }
  }

  class FakeClient implements MqttClientLike {
    open = false;
    // Publishes not answered yet, and a clean end waiting for them.
    private outgoing = 0;
    private whenOutgoingEmpty: (() => void) | undefined;
    private readonly listeners = new Map<string, Listener[]>();
    handleMessage: MqttClientLike['handleMessage'] = (_packet, done) => done();

    constructor(readonly options: MqttConnectOptions) {
      later(() => this.handshake());
    }

    on(event: string, listener: Listener): this {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }

    emit(event: string, ...args: unknown[]): void {
      for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
    }

    private handshake(): void {
      if (!running) {
        this.emit('error', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
        this.emit('close');
        return;
      }
      const users = options.users;
      if (users !== undefined && users[this.options.username ?? ''] !== this.options.password) {
        this.emit('error', Object.assign(new Error('Connection refused: Not authorized'), { code: 135 }));
        this.emit('close');
        return;
      }
      let session = sessions.get(this.options.clientId);
      const sessionPresent = session !== undefined;
      session ??= { clientId: this.options.clientId, subscriptions: [], queue: [], unacked: [], client: undefined };
      sessions.set(session.clientId, session);
      // Session takeover: the older connection is closed.
      session.client?.drop();
      // Unacknowledged messages are sent again first, in their order.
      session.queue.unshift(...session.unacked);
      session.unacked = [];
      session.client = this;
      this.open = true;
      connections.push(this.options.clientId);
      const connack: MqttConnack = { sessionPresent, properties: { receiveMaximum: 20 } };
      this.emit('connect', connack);
      pump(session);
    }

    drop(): void {
      if (!this.open) return;
      this.open = false;
      const session = sessions.get(this.options.clientId);
      if (session?.client === this) {
        session.client = undefined;
        session.queue.unshift(...session.unacked);
        session.unacked = [];
      }
      later(() => this.emit('close'));
    }

    publish(
      topic: string,
      payload: string,
      publishOptions: { retain: boolean; properties: MqttPublishProperties },
      callback: (error?: (Error & { code?: number }) | null) => void,
    ): this {
      this.outgoing++;
      const answer = (error: (Error & { code?: number }) | null) => {
        this.outgoing--;
        callback(error);
        if (this.outgoing === 0) this.whenOutgoingEmpty?.();
      };
      later(() => {
        if (!this.open) return;
        if (denied.some((filter) => matches(filter, topic))) {
          answer(Object.assign(new Error('Publish error: Not authorized'), { code: 135 }));
          return;
        }
        accepted.push({
          topic,
          payload,
          retain: publishOptions.retain,
          properties: publishOptions.properties,
          from: this.options.clientId,
        });
        route(
          { topic, payload, retain: publishOptions.retain, qos: 1, properties: publishOptions.properties },
          this.options.clientId,
        );
        if (heldAcks === undefined) answer(null);
        else heldAcks.push(() => this.open && answer(null));
      });
      return this;
    }

    subscribe(
      filters: Record<string, { qos: 1; nl: boolean; rap: boolean; rh: number }>,
      callback: (error: Error | null, granted?: Array<{ topic: string; qos: number }>) => void,
    ): this {
      later(() => {
        const session = sessions.get(this.options.clientId);
        if (!this.open || session === undefined) return;
        const granted: Array<{ topic: string; qos: number }> = [];
        for (const [filter, spec] of Object.entries(filters)) {
          const existed = session.subscriptions.some((s) => s.filter === filter);
          session.subscriptions = session.subscriptions.filter((s) => s.filter !== filter);
          session.subscriptions.push({ filter, nl: spec.nl, rap: spec.rap });
          granted.push({ topic: filter, qos: 1 });
          if (spec.rh === 2 || (spec.rh === 1 && existed)) continue;
          for (const packet of retained.values()) {
            if (matches(filter, packet.topic)) session.queue.push({ ...packet, retain: true });
          }
        }
        callback(null, granted);
        pump(session);
      });
      return this;
    }

    /** As mqtt.js: a clean end (not forced) waits until every publish in flight is answered. */
    end(force: boolean, callback: () => void): this {
      const finish = () => {
        this.whenOutgoingEmpty = undefined;
        this.drop();
        later(callback);
      };
      if (force || this.outgoing === 0) finish();
      else this.whenOutgoingEmpty = finish;
      return this;
    }
  }

  return {
    connect(_url, connectOptions) {
      attempts.push(connectOptions);
      return new FakeClient(connectOptions);
    },
    publish(topic, payload, publishOptions = {}) {
      const packet: MqttPublishPacket = {
        topic,
        payload,
        retain: publishOptions.retain ?? false,
        qos: 1,
        properties: publishOptions.properties,
      };
      accepted.push({
        topic,
        payload,
        retain: packet.retain,
        properties: publishOptions.properties ?? {},
        from: 'plain',
      });
      route(packet, undefined);
    },
    accepted,
    connections,
    attempts,
    connected: () => [...sessions.values()].filter((s) => s.client?.open).map((s) => s.clientId),
    down() {
      running = false;
      for (const session of sessions.values()) session.client?.drop();
    },
    up() {
      running = true;
    },
    holdAcks(hold) {
      const held = heldAcks;
      heldAcks = hold ? (heldAcks ?? []) : undefined;
      if (!hold) for (const ack of held ?? []) ack();
    },
    releaseAcks(count) {
      for (const ack of heldAcks?.splice(0, count) ?? []) ack();
    },
    deny(filter) {
      denied.push(filter);
    },
  };
}

/** MQTT filter matching, with the `$` rule: a leading wildcard does not match `$` topics. */
function matches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

function payloadText(payload: Uint8Array | string): string {
  return typeof payload === 'string' ? payload : new TextDecoder().decode(payload);
}

function later(task: () => void): void {
  queueMicrotask(task);
}
