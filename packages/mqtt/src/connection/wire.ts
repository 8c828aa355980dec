import type { Message, MessageMeta } from '@switchboard/bus';
import type { TopicMapping } from '../topic-mapping.ts';
import type { MqttPublishOptions, MqttPublishPacket, MqttPublishProperties } from './client.ts';

/**
 * How a bus message travels as an MQTT 5 PUBLISH. The payload is the payload's JSON, nothing
 * around it, so plain MQTT clients read it as it was published; the rest of the message rides in
 * user properties, so a message that went through the broker arrives with every field as it was
 * published. The fields every message has share one property: each property is a cost per message
 * in mqtt.js, both to write and to read (four of them, with a content type, were most of what a
 * message cost it beyond a bare PUBLISH).
 *
 * | message                 | MQTT 5                                                        |
 * | ----------------------- | ------------------------------------------------------------- |
 * | `topic`                 | topic name, `.` -> `/`, under the bridge's prefix             |
 * | `id`, `ts`, `source`, `origin.tabId`, `depth` | user property `sb`: the JSON array `[id, ts, source, tabId]`, `depth` appended when not 0 |
 * | `meta.correlationId`    | user property `sb-correlation-id`, and correlation data       |
 * | `meta.causationId`      | user property `sb-causation-id`                               |
 * | `meta.retain`           | the retain flag                                               |
 * | `meta.ttlSeconds`       | message expiry interval (what remains of it), and in `sb-meta` |
 * | `meta.replyTo`          | response topic, and in `sb-meta`                             |
 * | any other `meta` key    | user property `sb-meta` (JSON of those keys)                  |
 */
const PROPERTY = {
  message: 'sb',
  correlationId: 'sb-correlation-id',
  causationId: 'sb-causation-id',
  meta: 'sb-meta',
} as const;

/** A PUBLISH to send, or `expired` when the message's TTL ran out before it could be sent. */
export type Encoded = { readonly topic: string; readonly payload: string; readonly options: MqttPublishOptions };

/** Encodes a message for the broker; undefined when its `meta.ttlSeconds` has run out at `now`. */
export function encodeMessage(message: Message, mapping: TopicMapping, now: number): Encoded | undefined {
  const { meta } = message;
  const { correlationId, causationId } = meta;
  // The meta keys without a property of their own, for `sb-meta`; most messages have none, so
  // no copy is made for them (a rest spread would make one per message).
  let rest: Record<string, unknown> | undefined;
  for (const key in meta) {
    if (key === 'correlationId' || key === 'causationId' || key === 'retain') continue;
    rest ??= {};
    rest[key] = meta[key];
  }
  const fields: unknown[] = [message.id, message.ts, message.source, message.origin.tabId];
  if (message.depth !== 0) fields.push(message.depth);
  const userProperties: Record<string, string> = { [PROPERTY.message]: JSON.stringify(fields) };
  if (typeof correlationId === 'string') userProperties[PROPERTY.correlationId] = correlationId;
  if (typeof causationId === 'string') userProperties[PROPERTY.causationId] = causationId;
  if (rest !== undefined) userProperties[PROPERTY.meta] = JSON.stringify(rest);
  const properties: MqttPublishProperties = { userProperties };
  if (typeof correlationId === 'string') properties.correlationData = correlationId;
  if (typeof meta.replyTo === 'string') properties.responseTopic = mapping.toBroker(meta.replyTo);
  const ttl = meta.ttlSeconds;
  if (typeof ttl === 'number' && ttl > 0) {
    const remainingMs = message.ts + ttl * 1000 - now;
    if (remainingMs <= 0) return undefined;
    properties.messageExpiryInterval = Math.ceil(remainingMs / 1000);
  }
  return {
    topic: mapping.toBroker(message.topic),
    payload: message.payload === undefined ? '' : JSON.stringify(message.payload),
    options: { qos: 1, retain: meta.retain === true, properties },
  };
}

/** Who the bridge is, for messages from plain MQTT clients. */
export interface DecodeContext {
  readonly mapping: TopicMapping;
  /** `source` of messages without Switchboard properties: the bridge's app id. */
  readonly source: string;
  /** `origin.tabId` of such messages: the tab holding the connection. */
  readonly tabId: string;
  /** Read only for such messages (ours carry their `ts`). */
  now(): number;
  /** A new unique id for a message that brought none. */
  newId(): string;
  /** One frozen `origin` per tab id: most messages come from a few tabs. */
  origin(tabId: string): Message['origin'];
}

/** A decoded PUBLISH: a message, or why it could not become one. */
export type Decoded =
  | { readonly ok: true; readonly message: Message }
  | { readonly ok: false; readonly failure: 'unmappable-topic' | 'malformed'; readonly reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a PUBLISH from the broker into a bus message. */
export function decodePacket(packet: MqttPublishPacket, context: DecodeContext): Decoded {
  const topic = context.mapping.toBus(packet.topic);
  if (topic === undefined) {
    return { ok: false, failure: 'unmappable-topic', reason: `broker topic '${packet.topic}' has no bus form` };
  }
  const properties = packet.properties ?? {};
  const user = properties.userProperties ?? {};
  const fields = single(user[PROPERTY.message]);
  try {
    return {
      ok: true,
      message: fields === undefined ? plain(packet, topic, context) : ours(packet, topic, fields, user, context),
    };
  } catch (error) {
    return { ok: false, failure: 'malformed', reason: `'${packet.topic}': ${(error as Error).message}` };
  }
}

function ours(
  packet: MqttPublishPacket,
  topic: string,
  fields: string,
  user: Record<string, string | string[]>,
  context: DecodeContext,
): Message {
  const [id, ts, source, tabId, depth = 0] = JSON.parse(fields) as unknown[];
  const text = textOf(packet.payload);
  const meta: MessageMeta = {};
  const rest = single(user[PROPERTY.meta]);
  if (rest !== undefined) Object.assign(meta, JSON.parse(rest) as object);
  const correlationId = single(user[PROPERTY.correlationId]);
  if (correlationId !== undefined) meta.correlationId = correlationId;
  const causationId = single(user[PROPERTY.causationId]);
  if (causationId !== undefined) meta.causationId = causationId;
  if (packet.retain) meta.retain = true;
  if (
    typeof id !== 'string' ||
    typeof ts !== 'number' ||
    !Number.isInteger(depth) ||
    (depth as number) < 0 ||
    typeof source !== 'string' ||
    typeof tabId !== 'string' ||
    !source ||
    !tabId
  ) {
    throw new Error(`the Switchboard property 'sb' is malformed: ${fields}`);
  }
  return {
    id,
    topic,
    payload: text === '' ? undefined : JSON.parse(text),
    ts,
    source,
    meta,
    origin: context.origin(tabId),
    depth: depth as number,
  };
}

/**
 * A message from a client that is not Switchboard: the payload is JSON when it parses as JSON
 * (or says so), else text, else bytes; MQTT 5 properties become meta.
 */
function plain(packet: MqttPublishPacket, topic: string, context: DecodeContext): Message {
  const properties = packet.properties ?? {};
  const meta: MessageMeta = {};
  for (const [key, value] of Object.entries(properties.userProperties ?? {})) meta[key] = value;
  if (properties.correlationData !== undefined) meta.correlationId = textOf(properties.correlationData);
  if (properties.responseTopic !== undefined) {
    meta.replyTo = context.mapping.toBus(properties.responseTopic) ?? properties.responseTopic;
  }
  if (properties.messageExpiryInterval !== undefined) meta.ttlSeconds = properties.messageExpiryInterval;
  if (packet.retain) meta.retain = true;
  return {
    id: context.newId(),
    topic,
    payload: plainPayload(packet.payload, properties.contentType),
    ts: context.now(),
    source: context.source,
    meta,
    origin: context.origin(context.tabId),
    depth: 0,
  };
}

function plainPayload(payload: Uint8Array | string, contentType: string | undefined): unknown {
  let text: string;
  try {
    text = textOf(payload);
  } catch {
    // Not UTF-8 text: the bytes themselves.
    return typeof payload === 'string' ? payload : new Uint8Array(payload);
  }
  if (text === '') return contentType === 'application/json' ? undefined : '';
  try {
    return JSON.parse(text);
  } catch (error) {
    if (contentType === 'application/json') throw error;
    return text;
  }
}

function textOf(value: Uint8Array | string): string {
  return typeof value === 'string' ? value : utf8.decode(value);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
