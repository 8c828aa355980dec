import type { Message } from '@switchboard/bus';
import type { MqttFailure } from './errors.ts';

/**
 * Published by the tab holding the broker connection whenever the connection changes, and
 * delivered in every tab of the origin. The inspector shows it.
 *
 * @example
 * import { MQTT_STATE, type MqttStateEvent } from '@switchboard/mqtt';
 * bus.subscribe<MqttStateEvent>(MQTT_STATE, (m) => showBadge(m.payload.state));
 */
export const MQTT_STATE = '$sys.mqtt.state';
/** Messages from the broker, relayed by the connection tab to the other tabs (payload: the messages, in order). */
export const MQTT_IN = '$sys.mqtt.in';
/** The broker acknowledged these messages (PUBACK): the other tabs stop keeping them for a takeover. */
export const MQTT_SENT = '$sys.mqtt.sent';
/** A message could not go out (the broker refused it, or JSON cannot carry it); the tab that published it reports an `MqttError`. */
export const MQTT_REFUSED = '$sys.mqtt.refused';

/** Where the broker connection of the origin stands. */
export type MqttConnectionState =
  /** No tab has said yet (this tab joined and has not heard from the connection tab). */
  | 'unknown'
  /** Opening the connection (also after a drop, once the backoff has passed). */
  | 'connecting'
  /** Connected: messages flow both ways. */
  | 'connected'
  /** Not connected; `retryInMs` says when the next attempt starts. Messages wait in the outbox. */
  | 'offline'
  /** The connection tab detached the bridge or gave up the connection to another tab. */
  | 'closed';

/** Payload of {@link MQTT_STATE}. */
export interface MqttStateEvent {
  readonly state: MqttConnectionState;
  /** The tab holding the connection. */
  readonly tabId: string;
  /** Connection attempts since the last successful one. */
  readonly attempt: number;
  /** For `offline`: when the next attempt starts. */
  readonly retryInMs?: number;
  /** For `connected`: the broker still had this client's session (queued messages follow). */
  readonly sessionPresent?: boolean;
  /** Why the last attempt failed or the connection dropped. */
  readonly error?: { readonly failure: MqttFailure; readonly message: string; readonly reasonCode?: number };
}

/** Payload of {@link MQTT_SENT}. */
export interface MqttSentEvent {
  readonly ids: readonly string[];
}

/** Payload of {@link MQTT_REFUSED}. */
export interface MqttRefusedEvent {
  readonly id: string;
  readonly topic: string;
  /** `publish-refused` by the broker, or `not-encodable`: JSON cannot carry it (a Map, a Date…). */
  readonly failure: 'publish-refused' | 'not-encodable';
  /** The broker's MQTT 5 reason code, for `publish-refused`. */
  readonly reasonCode?: number;
  /** What the publishing tab reports: the topic and the broker's words for the reason code. */
  readonly reason: string;
  /** The tab that published the message; it reports the error. */
  readonly tabId: string;
}

/**
 * Payload of {@link MQTT_IN}: the broker messages of one burst, in the order they arrived. The
 * connection tab relays only while it knows another tab; what it kept meanwhile goes out when a
 * tab joins, each with `at` (when the connection tab received it), and a tab delivers those only
 * if it had attached by then.
 */
export type MqttInEvent = ReadonlyArray<Message & { readonly at?: number }>;

/**
 * The `$sys.mqtt.` topics as a topic map.
 *
 * @example
 * import type { MqttSystemTopics } from '@switchboard/mqtt';
 * bus.subscribe<MqttSystemTopics['$sys.mqtt.state']>('$sys.mqtt.state', (m) => console.log(m.payload.state));
 */
export interface MqttSystemTopics {
  '$sys.mqtt.state': MqttStateEvent;
  '$sys.mqtt.in': MqttInEvent;
  '$sys.mqtt.sent': MqttSentEvent;
  '$sys.mqtt.refused': MqttRefusedEvent;
}
