import { isSwitchboardError, type Message } from '@switchboard/bus';
import { assertTopic } from '@switchboard/bus/internal';
import { readBatch, writeBatch, type BatchMessages } from './batch-codec.ts';

/**
 * Version of the envelope format written by this copy. A tab running a newer copy may post a
 * higher version; this copy ignores (and counts) what it cannot read instead of guessing.
 * Version 1 was an object with a nested object per message; version 2 a flat array with one app
 * per sender; version 3 the flat array below, whose sender is a tab's shared channel with the apps
 * of every bus copy in that tab, with a topic code and a timestamp per message; version 4 says
 * those once per run of messages that share them (batch-codec.ts).
 */
export const ENVELOPE_VERSION = 4;

/** First element of every envelope: marks the array as ours. */
const MARK = 'switchboard';
/** Elements before the first message: mark, version, kind, from, tabId, apps, seq, since, leader, ttl, proof. */
const HEAD = 11;
/** Longest run of distinct valid topics remembered, so most messages skip the topic check. */
const TOPIC_MEMO = 256;
/** Longest tab id, sender id or app name accepted: ids are short, and a forged one must stay small. */
const MAX_NAME = 256;
/** Most apps one tab may announce. */
const MAX_APPS = 1024;

/**
 * An envelope as read from the channel (one `postMessage`). Every envelope says who sent it, so
 * any of them refreshes presence.
 *
 * On the wire it is a flat array, because the browser's structured clone of nested objects with
 * repeated keys cost more than everything else on a message's way:
 * `['switchboard', version, kind, from, tabId, apps, seq, since, leader, ttl, proof, ...batch]`.
 * `apps` is a string when the tab has one app. A batch's messages follow as batch-codec.ts writes
 * them.
 */
export interface Envelope {
  /** The version it was written in. */
  readonly switchboard: number;
  /** `batch` carries messages; `hello` asks everyone to answer with a `beat`; `bye` says goodbye. */
  readonly kind: 'batch' | 'hello' | 'beat' | 'bye';
  /** The sending tab's shared channel: `<tabId>.<random>`, new for every page load. */
  readonly from: string;
  readonly tabId: string;
  /** The apps of the bus copies sharing the sender's channel. */
  readonly apps: readonly string[];
  /** Increases by one per envelope from one sender; a repeated or older one is a duplicate. */
  readonly seq: number;
  /** When the sender attached (ms since epoch): the oldest sender leads under heartbeat election. */
  readonly since: number;
  /** The sender holds the leader lock (Web Locks election). */
  readonly leader: boolean;
  /** How long after this envelope the sender is to be considered gone if nothing else arrives. */
  readonly ttl: number;
  /**
   * In a `hello` or `beat`, the commitment to the sender's goodbye secret; in a `bye`, the secret
   * itself (see goodbye-proof.ts); empty in a batch.
   */
  readonly proof: string;
  /**
   * Only for `batch`: hands its messages to a callback in publish order and returns how many
   * invalid ones it dropped.
   */
  readonly readMessages?: BatchMessages;
  /** Only for `batch`: the id its first message carries, to tell two batches of one `seq` apart. */
  readonly firstId?: string;
}

/** The header fields of an envelope to write. */
export type EnvelopeHead = Omit<Envelope, 'switchboard' | 'readMessages' | 'firstId'>;

/** Why an envelope read from the channel was dropped. */
export type IgnoredReason = 'foreign' | 'malformed' | 'futureVersion' | 'duplicate' | 'own' | 'forged';

/** The result of reading an envelope. */
type ReadResult =
  | { readonly ok: true; readonly envelope: Envelope }
  | { readonly ok: false; readonly reason: IgnoredReason };

const KINDS = new Set(['batch', 'hello', 'beat', 'bye']);

/** The array to post for `head` and, for a batch, its messages. */
export function writeEnvelope(head: EnvelopeHead, messages?: readonly Message[]): unknown[] {
  const { tabId, apps } = head;
  const wire: unknown[] = [
    MARK,
    ENVELOPE_VERSION,
    head.kind,
    head.from,
    tabId,
    apps.length === 1 ? apps[0] : apps,
    head.seq,
    head.since,
    head.leader,
    head.ttl,
    head.proof,
  ];
  if (messages !== undefined) writeBatch(wire, tabId, apps, messages);
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

  function isTopicAccepted(topic: unknown): boolean {
    if (typeof topic !== 'string') return false;
    // Cross-tab's own events never cross tabs: each tab derives them, so any that arrives is forged.
    if (topic.charCodeAt(0) === 36 && isLocalSystemTopic(topic)) return false;
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
    const apps = readApps(data[5]);
    const seq: unknown = data[6];
    const since: unknown = data[7];
    const leader: unknown = data[8];
    const ttl: unknown = data[9];
    const proof: unknown = data[10];
    if (
      typeof kind !== 'string' ||
      !KINDS.has(kind) ||
      !isName(tabId) ||
      !isName(from) ||
      // The sender id is made from the tab id: one copied into another tab's envelope is forged.
      from.length <= tabId.length + 1 ||
      !from.startsWith(tabId) ||
      from[tabId.length] !== '.' ||
      apps === undefined ||
      !isCount(seq) ||
      typeof since !== 'number' ||
      !(since >= 0) ||
      !Number.isFinite(since) ||
      typeof leader !== 'boolean' ||
      !isCount(ttl) ||
      ttl === 0 ||
      typeof proof !== 'string' ||
      proof.length > 64
    ) {
      return { ok: false, reason: 'malformed' };
    }
    if (kind !== 'batch') {
      if (data.length !== HEAD) return { ok: false, reason: 'malformed' };
      return {
        ok: true,
        envelope: {
          switchboard: version,
          kind: kind as Envelope['kind'],
          from,
          tabId,
          apps,
          seq,
          since,
          leader,
          ttl,
          proof,
        },
      };
    }
    const readMessages = readBatch(data, HEAD, tabId, apps, isTopicAccepted);
    if (readMessages === undefined) return { ok: false, reason: 'malformed' };
    const envelope: Envelope = {
      switchboard: version,
      kind,
      from,
      tabId,
      apps,
      seq,
      since,
      leader,
      ttl,
      proof,
      readMessages,
      firstId: typeof data[HEAD + 3] === 'string' ? (data[HEAD + 3] as string) : '',
    };
    return { ok: true, envelope };
  };
}

/** Sorts what is not a version-3 array: another format of ours (older or newer), or not ours. */
function readOther(data: unknown): ReadResult {
  if (typeof data !== 'object' || data === null || !('switchboard' in data)) return { ok: false, reason: 'foreign' };
  const version = (data as { switchboard: unknown }).switchboard;
  if (!isCount(version) || version < 1) return { ok: false, reason: 'malformed' };
  if (version > ENVELOPE_VERSION) return { ok: false, reason: 'futureVersion' };
  // Version 1 objects come from an older copy, which cannot read ours either.
  return { ok: false, reason: version < ENVELOPE_VERSION ? 'foreign' : 'malformed' };
}

/** The apps of an envelope: one name, or a list of them. */
function readApps(value: unknown): readonly string[] | undefined {
  if (isName(value)) return [value];
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_APPS) return undefined;
  for (const app of value) if (!isName(app)) return undefined;
  return value as string[];
}

/** Topics cross-tab publishes in each tab for that tab only. */
function isLocalSystemTopic(topic: string): boolean {
  return topic.startsWith('$sys.tab.') || topic.startsWith('$sys.leader.');
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME;
}

function isCount(value: unknown): value is number {
  // False for anything but a number.
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
