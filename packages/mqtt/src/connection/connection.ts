import type { AdapterLink, Message } from '@switchboard/bus';
import type { BridgeCore } from '../bridge-core.ts';
import type { BridgeFilter } from '../bridge-rules.ts';
import type { MqttError } from '../errors.ts';
import { describeReasonCode } from './reason-codes.ts';
import { classifyFailure, describe } from './connection-failure.ts';
import { newClientId, newMessageId } from './ids.ts';
import type { ResolvedMqttOptions } from '../mqtt-options.ts';
import type { MqttStateEvent } from '../system-topics.ts';
import type { TopicMapping } from '../topic-mapping.ts';
import { backoffDelay } from './backoff.ts';
import { loadMqttJs, type MqttClientLike, type MqttConnect } from './client.ts';
import { createOutbox } from './outbox.ts';
import { encodingProblem } from './payload-check.ts';
import { type DecodeContext, decodePacket, encodeMessage } from './wire.ts';

/** What the connection needs from the bridge of its tab. */
export interface ConnectionHost {
  /** The bridge's error class, handed over with the rest (see `BridgeCore.MqttError`). */
  readonly MqttError: typeof MqttError;
  readonly config: ResolvedMqttOptions;
  readonly filter: BridgeFilter;
  readonly mapping: TopicMapping;
  readonly link: AdapterLink;
  /** Messages waiting for a PUBACK, in send order (every tab keeps the same list). */
  readonly pending: ReadonlyMap<string, Message>;
  /** The bridge's per-topic memo (see `BridgeCore.remembered`). */
  readonly remembered: BridgeCore['remembered'];
  /** A message from the broker: deliver it here and relay it to the other tabs (duplicates dropped). */
  receive(message: Message): void;
  /**
   * Calls `ack` once what was received before it has been relayed to the other tabs (or kept for
   * them); never, if the bridge stops leading first, so that the broker sends it to the next
   * connection tab.
   */
  afterRelays(ack: () => void): void;
  /** The broker acknowledged a message. */
  acknowledged(message: Message): void;
  /** The broker refused a message with a reason code ≥ 128. */
  refused(message: Message, reasonCode: number): void;
  /** A message JSON cannot carry unchanged (`why`): not sent. */
  unencodable(message: Message, why: string): void;
  /** A message's TTL ran out before it could be sent. */
  expired(message: Message): void;
  /** The connection changed; tell every tab. */
  setState(event: Omit<MqttStateEvent, 'tabId'>): void;
  report(error: MqttError, message?: Message): void;
}

/** The broker connection of the origin, run by the leader tab. */
export interface Connection {
  /** Starts connecting (and reconnecting, until stopped). */
  start(): void;
  /** A new pending message: sent now when connected, kept in the outbox otherwise. */
  send(message: Message): void;
  /** Disconnects normally (the broker keeps the session for the next connection tab). */
  stop(): Promise<void>;
  /** Resolves when outbox writes are committed. */
  flush(): Promise<void>;
  /** Messages sent on the current client and waiting for their PUBACK. */
  readonly inFlight: number;
}

type Status = 'idle' | 'connecting' | 'connected' | 'offline' | 'stopped';

/** Whoever leads may reach the broker at most this many messages ahead of its PUBACKs by default. */
const DEFAULT_RECEIVE_MAXIMUM = 65_535;

/**
 * Creates the connection. It holds one mqtt.js client at a time (a new one per attempt, so a
 * stale client's late callbacks are told apart by generation), subscribes to the bridge's `in`
 * patterns with No Local and Retain As Published, sends the pending messages in order within the
 * broker's Receive Maximum, and keeps them in the outbox while the broker is unreachable.
 */
export function createConnection(host: ConnectionHost): Connection {
  const { config, link, mapping, MqttError } = host;
  const { clock } = config;
  const outbox = createOutbox(config.indexedDB, `switchboard-mqtt:${config.name}`, (error, what) =>
    host.report(
      new MqttError(
        'STORAGE_FAILED',
        'outbox',
        `attachMqtt(): the outbox failed ${what} (${describe(error)}); messages are kept in memory only.`,
        { cause: error },
      ),
    ),
  );
  let status: Status = 'idle';
  let client: MqttClientLike | undefined;
  let generation = 0;
  let attempt = 0;
  let retryTimer: unknown;
  let connectFn: MqttConnect | undefined = config.connect;
  let clientId: string | undefined = config.clientId;
  let lastFailure: MqttError | undefined;
  let reportedFailure: string | undefined;
  // Messages sent on the current client and not acknowledged yet.
  const inflight = new Set<string>();
  // Broker messages given to the current client's handler and not acknowledged yet.
  let unacknowledged = 0;
  let receiveMaximum = DEFAULT_RECEIVE_MAXIMUM;
  // Free slots a full window waits for before it is refilled (see pump).
  let refillAt = Math.ceil(DEFAULT_RECEIVE_MAXIMUM / 2);
  // False while the outbox of earlier pages is read after connecting: new messages wait behind it.
  let ready = false;
  // What is still to send on this client, in order: the outbox's leftovers of earlier pages, then
  // the tabs' pending list as it was when the client became ready, then each new message. Read
  // from a head index, so a PUBACK costs no walk over the messages in flight.
  let toSend: Message[] = [];
  let head = 0;
  // How many of toSend's first messages are outbox leftovers.
  let outboxLeft = 0;
  let plainMessages = 0;
  // One for the connection, not one per message.
  const decoding: DecodeContext = {
    mapping,
    source: config.app,
    tabId: link.tabId,
    now: () => clock.now(),
    newId: () => newMessageId(config.random, ++plainMessages),
    origin: host.remembered((tabId) => Object.freeze({ tabId })),
  };

  async function open(): Promise<void> {
    if (status === 'stopped') return;
    const current = ++generation;
    status = 'connecting';
    host.setState({ state: 'connecting', attempt });
    let password = config.password;
    try {
      clientId ??= await outbox.clientId(() => newClientId(config.random));
      if (config.token !== undefined) password = await config.token();
    } catch (error) {
      if (current !== generation) return;
      fail(
        new MqttError(
          'REMOTE_ERROR',
          'token',
          `attachMqtt(): options.token() rejected (${describe(error)}); retrying with backoff.`,
          { cause: error },
        ),
      );
      return;
    }
    try {
      connectFn ??= await loadMqttJs();
    } catch (error) {
      if (current !== generation) return;
      fail(
        new MqttError(
          'UNSUPPORTED',
          'connection',
          `attachMqtt(): loading mqtt.js failed (${describe(error)}); is the 'mqtt' package installed?`,
          { cause: error },
        ),
      );
      return;
    }
    if (current !== generation || (status as Status) === 'stopped') return;
    const opened = connectFn(config.url, {
      clientId,
      ...(config.username === undefined ? {} : { username: config.username }),
      ...(password === undefined ? {} : { password }),
      protocolVersion: 5,
      clean: false,
      keepalive: config.keepaliveSeconds,
      reconnectPeriod: 0,
      resubscribe: false,
      connectTimeout: 10_000,
      browserBufferTimeout: 5,
      reschedulePings: false,
      properties: { sessionExpiryInterval: config.sessionExpirySeconds },
    });
    client = opened;
    unacknowledged = 0;
    opened.handleMessage = (packet, done) => {
      if (current !== generation) return;
      const decoded = decodePacket(packet, decoding);
      if (!decoded.ok) {
        host.report(
          new MqttError(
            decoded.failure === 'malformed' ? 'REMOTE_ERROR' : 'INVALID_TOPIC',
            decoded.failure,
            `attachMqtt(): a message from the broker was dropped: ${decoded.reason}.`,
          ),
        );
      } else if (host.filter.letsIn(decoded.message.topic)) {
        host.receive(decoded.message);
      }
      // Acknowledged only once delivered here and relayed to the other tabs (or dropped for
      // good): a PUBACK that left before its relay could outlive it. A stale client's is never
      // sent; the broker gives that message to the next connection.
      unacknowledged++;
      host.afterRelays(() => {
        if (current !== generation) return;
        unacknowledged--;
        done();
      });
    };
    opened.on('connect', (connack) => {
      if (current !== generation) return;
      status = 'connected';
      attempt = 0;
      lastFailure = undefined;
      reportedFailure = undefined;
      receiveMaximum = connack.properties?.receiveMaximum ?? DEFAULT_RECEIVE_MAXIMUM;
      refillAt = Math.ceil(receiveMaximum / 2);
      host.setState({ state: 'connected', attempt, sessionPresent: connack.sessionPresent });
      subscribe(opened, current);
      void resend(current);
    });
    opened.on('error', (error) => {
      if (current !== generation) return;
      lastFailure = classifyFailure(MqttError, error, config.url, clientId);
    });
    opened.on('close', () => {
      if (current !== generation) return;
      dropped();
    });
  }

  function subscribe(opened: MqttClientLike, current: number): void {
    const patterns = host.filter.inPatterns;
    if (patterns.length === 0) return;
    const filters: Record<string, { qos: 1; nl: boolean; rap: boolean; rh: number }> = {};
    // No Local: our own messages do not come back. Retain As Published: `meta.retain` survives a
    // live forward. Retain Handling 1: retained messages only for a new subscription, so a takeover
    // (same session) does not receive them again.
    for (const pattern of patterns) filters[mapping.toFilter(pattern)] = { qos: 1, nl: true, rap: true, rh: 1 };
    opened.subscribe(filters, (error, granted) => {
      if (current !== generation) return;
      if (error) {
        host.report(
          new MqttError(
            'REMOTE_ERROR',
            'subscribe-refused',
            `attachMqtt(): subscribing to ${patterns.join(', ')} failed (${describe(error)}).`,
            { cause: error },
          ),
        );
        return;
      }
      granted?.forEach((grant, i) => {
        if (grant.qos < 128) return;
        const pattern = patterns[i]!;
        host.report(
          new MqttError(
            'REMOTE_ERROR',
            'subscribe-refused',
            `attachMqtt(): the broker refused the subscription to '${pattern}' (${describeReasonCode(grant.qos)}); allow the bridge's user to read '${mapping.toFilter(pattern)}' in the broker's ACL.`,
            { topic: pattern, reasonCode: grant.qos },
          ),
        );
      });
    });
  }

  async function resend(current: number): Promise<void> {
    ready = false;
    const earlier = await outbox.load();
    if (current !== generation || status !== 'connected') return;
    // What the outbox holds first (older pages' messages too), then the tabs' pending list.
    toSend = [...earlier, ...host.pending.values()];
    head = 0;
    outboxLeft = earlier.length;
    ready = true;
    pump();
  }

  /**
   * Sends what fits in the broker's window, in order. Once the window is full, it is refilled
   * half a window at a time rather than one PUBLISH per PUBACK: mqtt.js writes each task's packets
   * as one WebSocket frame, and each frame costs the page, the browser and the broker far more
   * than the PUBLISHes in it. A message sent while the window has room goes at once.
   */
  function pump(): void {
    if (status !== 'connected' || !ready || client === undefined) return;
    const queued = toSend.length - head;
    if (receiveMaximum - inflight.size < Math.min(refillAt, queued)) return;
    while (head < toSend.length && inflight.size < receiveMaximum) {
      const message = toSend[head]!;
      toSend[head++] = undefined as never; // let sent messages be collected
      // Skipped: one of the tabs' pending messages that no longer waits (acknowledged as a
      // leftover of the outbox, refused, dropped); an outbox leftover is not in the list.
      if (head <= outboxLeft || host.pending.has(message.id)) transmit(message);
    }
    if (head === toSend.length) {
      toSend = [];
      head = 0;
      outboxLeft = 0;
    }
  }

  function transmit(message: Message): void {
    if (inflight.has(message.id)) return;
    const problem = encodingProblem(message);
    if (problem !== undefined) {
      outbox.remove(message.id);
      host.unencodable(message, problem);
      return;
    }
    const encoded = encodeMessage(message, mapping, clock.now());
    if (encoded === undefined) {
      outbox.remove(message.id);
      host.expired(message);
      return;
    }
    const current = generation;
    inflight.add(message.id);
    client!.publish(encoded.topic, encoded.payload, encoded.options, (error) => {
      if (current !== generation) return;
      inflight.delete(message.id);
      const code = error?.code;
      if (error && !(typeof code === 'number' && code >= 128)) return; // connection lost: resent later
      outbox.remove(message.id);
      if (error) host.refused(message, code as number);
      else host.acknowledged(message);
      pump();
    });
  }

  function dropped(): void {
    const closing = client;
    client = undefined;
    inflight.clear();
    ready = false;
    toSend = [];
    head = 0;
    outboxLeft = 0;
    closing?.end(true, () => {});
    if (status === 'stopped') return;
    status = 'offline';
    // Kept in IndexedDB while the broker is unreachable, so closing every tab loses nothing.
    outbox.keep(host.pending.values());
    const failure =
      lastFailure ?? new MqttError('REMOTE_ERROR', 'connection', 'attachMqtt(): the broker connection closed.');
    lastFailure = undefined;
    fail(failure);
  }

  function fail(failure: MqttError): void {
    status = 'offline';
    // Each kind of failure is reported once until a connection succeeds; the state events tell each attempt.
    const key = `${failure.failure}:${failure.reasonCode ?? ''}`;
    if (key !== reportedFailure) {
      reportedFailure = key;
      host.report(failure);
    }
    const delay = backoffDelay(attempt, config.reconnect, config.random);
    attempt++;
    host.setState({
      state: 'offline',
      attempt,
      retryInMs: delay,
      error: {
        failure: failure.failure,
        message: failure.message,
        ...(failure.reasonCode === undefined ? {} : { reasonCode: failure.reasonCode }),
      },
    });
    clock.clearTimeout(retryTimer);
    retryTimer = clock.setTimeout(() => void open(), delay);
  }

  return {
    start() {
      if (status !== 'idle') return;
      void open();
    },
    send(message) {
      if (status !== 'connected') {
        if (status === 'offline' || status === 'connecting') outbox.keep([message]);
        return;
      }
      // Before the client is ready, the list it starts from will hold it.
      if (!ready) return;
      toSend.push(message);
      pump();
    },
    async stop() {
      if (status === 'stopped') return;
      status = 'stopped';
      generation++;
      clock.clearTimeout(retryTimer);
      const closing = client;
      client = undefined;
      // mqtt.js's clean close waits for the PUBACKs of what is in flight, and reads nothing after a
      // broker message left unacknowledged (as a stopped connection leaves them): it could wait
      // for ever and keep the next holder out. The next holder sends again what is in flight.
      const force = unacknowledged > 0 || inflight.size > 0;
      inflight.clear();
      // A DISCONNECT, or the socket closed when forced: the broker keeps the session (and queues
      // for it) for the next tab either way.
      if (closing !== undefined) await new Promise<void>((resolve) => closing.end(force, () => resolve()));
      await outbox.flush();
      outbox.close();
    },
    flush: () => outbox.flush(),
    get inFlight() {
      return inflight.size;
    },
  };
}
