import { assertTopic, isSwitchboardError, type Message } from '@switchboard/bus';

/**
 * Version of the envelope format written by this copy. A tab running a newer copy may post a
 * higher version; this copy ignores (and counts) what it cannot read instead of guessing.
 * Version 1 was an object with a nested object per message; version 2 is the flat array below.
 */
export const ENVELOPE_VERSION = 2;

/** First element of every envelope: marks the array as ours. */
const MARK = 'switchboard';
/** Elements before the first message: mark, version, kind, from, tabId, app, seq, since, leader, ttl. */
const HEAD = 10;
/** Elements per message: id, topic, payload, ts, source, meta, depth, origin tab id. */
const STRIDE = 8;
/** Longest run of distinct valid topics remembered, so most messages skip the topic check. */
const TOPIC_MEMO = 256;

/**
 * An envelope as read from the channel (one `postMessage`). Every envelope says who sent it, so
 * any of them refreshes presence.
 *
 * On the wire it is a flat array, because the browser's structured clone of nested objects with
 * repeated keys cost more than everything else on a message's way:
 * `['switchboard', version, kind, from, tabId, app, seq, since, leader, ttl, ...messages]`, each
 * message as eight elements `id, topic, payload, ts, source, meta, depth, originTabId`, where
 * `source` is `0` for the envelope's `app`, `meta` is `0` for `{}` and the id alone for
 * `{ causationId }`, and `originTabId` is `0` for the envelope's `tabId`.
 */
export interface Envelope {
  /** The version it was written in. */
  readonly switchboard: number;
  /** `batch` carries messages; `hello` asks everyone to answer with a `beat`; `bye` says goodbye. */
  readonly kind: 'batch' | 'hello' | 'beat' | 'bye';
  /** The sending adapter: one per bus, so two bus copies in one tab tell their posts apart. */
  readonly from: string;
  readonly tabId: string;
  readonly app: string;
  /** Increases by one per envelope from one sender; a repeated or older one is a duplicate. */
  readonly seq: number;
  /** When the sender attached (ms since epoch): the oldest sender leads under heartbeat election. */
  readonly since: number;
  /** The sender holds the leader lock (Web Locks election). */
  readonly leader: boolean;
  /** How long after this envelope the sender is to be considered gone if nothing else arrives. */
  readonly ttl: number;
  /** Only for `batch`: messages in publish order. */
  readonly messages?: readonly Message[];
}

/** The header fields of an envelope to write. */
export type EnvelopeHead = Omit<Envelope, 'switchboard' | 'messages'>;

/** Why an envelope read from the channel was dropped. */
export type IgnoredReason = 'foreign' | 'malformed' | 'futureVersion' | 'duplicate' | 'own';

/** The result of reading an envelope. */
type ReadResult =
  | { readonly ok: true; readonly envelope: Envelope; readonly malformedMessages: number }
  | { readonly ok: false; readonly reason: IgnoredReason };

const KINDS = new Set(['batch', 'hello', 'beat', 'bye']);

/** The array to post for `head` and, for a batch, its messages. */
export function writeEnvelope(head: EnvelopeHead, messages?: readonly Message[]): unknown[] {
  const { tabId, app } = head;
  const wire: unknown[] = [
    MARK,
    ENVELOPE_VERSION,
    head.kind,
    head.from,
    tabId,
    app,
    head.seq,
    head.since,
    head.leader,
    head.ttl,
  ];
  if (messages === undefined) return wire;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    wire.push(
      m.id,
      m.topic,
      m.payload,
      m.ts,
      m.source === app ? 0 : m.source,
      compactMeta(m.meta),
      m.depth,
      m.origin.tabId === tabId ? 0 : m.origin.tabId,
    );
  }
  return wire;
}

/** Reads envelopes from the channel; see {@link createEnvelopeReader}. */
export type EnvelopeReader = (data: unknown) => ReadResult;

/**
 * Creates the check for data received on the channel. Never throws: anything a page script, an
 * extension or another version posts must not break the bus, so it is sorted into an
 * {@link IgnoredReason}. Invalid messages inside an otherwise valid batch are dropped one by one
 * and counted. Each reader remembers a bounded set of topics it has found valid.
 */
export function createEnvelopeReader(): EnvelopeReader {
  const validTopics = new Set<string>();

  function isValidTopic(topic: string): boolean {
    if (validTopics.has(topic)) return true;
    try {
      assertTopic(topic, 'receive', true);
    } catch (error) {
      // A topic error means the sender was not a Switchboard bus; anything else is a bug to surface.
      if (isSwitchboardError(error)) return false;
      throw error;
    }
    if (validTopics.size >= TOPIC_MEMO) validTopics.clear();
    validTopics.add(topic);
    return true;
  }

  return function readEnvelope(data) {
    if (!Array.isArray(data)) return readOther(data);
    if (data[0] !== MARK) return { ok: false, reason: 'foreign' };
    const version: unknown = data[1];
    if (!isCount(version) || version < 1) return { ok: false, reason: 'malformed' };
    if (version > ENVELOPE_VERSION) return { ok: false, reason: 'futureVersion' };
    if (version < ENVELOPE_VERSION) return { ok: false, reason: 'foreign' };
    // Indexed reads, not destructuring: this runs for every post and the iterator protocol showed.
    const kind: unknown = data[2];
    const from: unknown = data[3];
    const tabId: unknown = data[4];
    const app: unknown = data[5];
    const seq: unknown = data[6];
    const since: unknown = data[7];
    const leader: unknown = data[8];
    const ttl: unknown = data[9];
    if (
      typeof kind !== 'string' ||
      !KINDS.has(kind) ||
      !isNonEmptyString(from) ||
      !isNonEmptyString(tabId) ||
      !isNonEmptyString(app) ||
      !isCount(seq) ||
      typeof since !== 'number' ||
      !Number.isFinite(since) ||
      typeof leader !== 'boolean' ||
      !isCount(ttl)
    ) {
      return { ok: false, reason: 'malformed' };
    }
    if (kind !== 'batch') {
      if (data.length !== HEAD) return { ok: false, reason: 'malformed' };
      return {
        ok: true,
        envelope: { switchboard: version, kind: kind as Envelope['kind'], from, tabId, app, seq, since, leader, ttl },
        malformedMessages: 0,
      };
    }
    if (data.length <= HEAD) return { ok: false, reason: 'malformed' };
    const messages: Message[] = [];
    const envelope: Envelope = { switchboard: version, kind, from, tabId, app, seq, since, leader, ttl, messages };
    let malformedMessages = 0;
    // One frozen origin for the sender's own messages, as the publishing bus has one.
    const ownOrigin = Object.freeze({ tabId });
    for (let i = HEAD; i < data.length; i += STRIDE) {
      if (i + STRIDE > data.length) {
        malformedMessages++;
        break;
      }
      const id: unknown = data[i];
      const topic: unknown = data[i + 1];
      const ts: unknown = data[i + 3];
      const source: unknown = data[i + 4];
      const meta: unknown = data[i + 5];
      const depth: unknown = data[i + 6];
      const originTabId: unknown = data[i + 7];
      if (
        !isNonEmptyString(id) ||
        typeof topic !== 'string' ||
        typeof ts !== 'number' ||
        !Number.isFinite(ts) ||
        (source !== 0 && typeof source !== 'string') ||
        (meta !== 0 &&
          typeof meta !== 'string' &&
          (typeof meta !== 'object' || meta === null || Array.isArray(meta))) ||
        !isCount(depth) ||
        (originTabId !== 0 && !isNonEmptyString(originTabId)) ||
        !isValidTopic(topic)
      ) {
        malformedMessages++;
        continue;
      }
      messages.push({
        id,
        topic,
        payload: data[i + 2],
        ts,
        source: source === 0 ? app : (source as string),
        meta: meta === 0 ? {} : typeof meta === 'string' ? { causationId: meta } : (meta as Message['meta']),
        origin: originTabId === 0 ? ownOrigin : Object.freeze({ tabId: originTabId as string }),
        depth,
      });
    }
    return { ok: true, envelope, malformedMessages };
  };
}

/** Sorts what is not a version-2 array: another format of ours (older or newer), or not ours. */
function readOther(data: unknown): ReadResult {
  if (typeof data !== 'object' || data === null || !('switchboard' in data)) return { ok: false, reason: 'foreign' };
  const version = (data as { switchboard: unknown }).switchboard;
  if (!isCount(version) || version < 1) return { ok: false, reason: 'malformed' };
  if (version > ENVELOPE_VERSION) return { ok: false, reason: 'futureVersion' };
  // Version 1 objects come from an older copy, which cannot read ours either.
  return { ok: false, reason: version < ENVELOPE_VERSION ? 'foreign' : 'malformed' };
}

/**
 * `0` for `{}`; the id alone for `{ causationId }` (what a handler's publish carries); else the
 * object.
 */
function compactMeta(meta: Message['meta']): unknown {
  let only: string | undefined;
  for (const key in meta) {
    if (only !== undefined || key !== 'causationId') return meta;
    only = key;
  }
  if (only === undefined) return 0;
  return typeof meta.causationId === 'string' ? meta.causationId : meta;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
