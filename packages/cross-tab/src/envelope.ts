import { assertTopic, isSwitchboardError, type Message } from '@switchboard/bus';

/**
 * Version of the envelope format written by this copy. A tab running a newer copy may post a
 * higher version; this copy ignores (and counts) what it cannot read instead of guessing.
 */
export const ENVELOPE_VERSION = 1;

/**
 * What one `postMessage` on the channel carries. The `switchboard` key marks the envelope as ours
 * and holds its version. Every envelope also says who sent it, so any of them refreshes presence.
 */
export interface Envelope {
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

/** Why an envelope read from the channel was dropped. */
export type IgnoredReason = 'foreign' | 'malformed' | 'futureVersion' | 'duplicate' | 'own';

/** The result of {@link readEnvelope}. */
export type ReadResult =
  | { readonly ok: true; readonly envelope: Envelope; readonly malformedMessages: number }
  | { readonly ok: false; readonly reason: IgnoredReason };

const KINDS = new Set(['batch', 'hello', 'beat', 'bye']);

/**
 * Checks data received on the channel. Never throws: anything a page script, an extension or a
 * future version posts must not break the bus, so it is sorted into an {@link IgnoredReason}.
 * Invalid messages inside an otherwise valid batch are dropped one by one and counted.
 */
export function readEnvelope(data: unknown): ReadResult {
  if (typeof data !== 'object' || data === null || !('switchboard' in data)) {
    return { ok: false, reason: 'foreign' };
  }
  const raw = data as Record<string, unknown>;
  const version = raw['switchboard'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return { ok: false, reason: 'malformed' };
  if (version > ENVELOPE_VERSION) return { ok: false, reason: 'futureVersion' };
  if (
    typeof raw['kind'] !== 'string' || !KINDS.has(raw['kind']) ||
    !isNonEmptyString(raw['from']) || !isNonEmptyString(raw['tabId']) || !isNonEmptyString(raw['app']) ||
    !isCount(raw['seq']) || !Number.isFinite(raw['since']) || typeof raw['leader'] !== 'boolean' ||
    !isCount(raw['ttl'])
  ) {
    return { ok: false, reason: 'malformed' };
  }
  if (raw['kind'] !== 'batch') return { ok: true, envelope: raw as unknown as Envelope, malformedMessages: 0 };
  if (!Array.isArray(raw['messages'])) return { ok: false, reason: 'malformed' };
  const messages: Message[] = [];
  for (const candidate of raw['messages'] as unknown[]) {
    const message = readMessage(candidate);
    if (message !== undefined) messages.push(message);
  }
  return {
    ok: true,
    envelope: { ...(raw as unknown as Envelope), messages },
    malformedMessages: (raw['messages'] as unknown[]).length - messages.length,
  };
}

function readMessage(value: unknown): Message | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  const origin = m['origin'] as Record<string, unknown> | null | undefined;
  if (
    !isNonEmptyString(m['id']) || typeof m['topic'] !== 'string' || !Number.isFinite(m['ts']) ||
    typeof m['source'] !== 'string' || typeof m['meta'] !== 'object' || m['meta'] === null ||
    typeof origin !== 'object' || origin === null || !isNonEmptyString(origin['tabId']) || !isCount(m['depth']) ||
    !('payload' in m) || !isValidTopic(m['topic'])
  ) {
    return undefined;
  }
  // Rebuilt field by field: subscribers get exactly the Message shape, whatever else was posted.
  return {
    id: m['id'],
    topic: m['topic'],
    payload: m['payload'],
    ts: m['ts'] as number,
    source: m['source'],
    meta: m['meta'] as Message['meta'],
    origin: Object.freeze({ tabId: origin['tabId'] }),
    depth: m['depth'],
  };
}

function isValidTopic(topic: string): boolean {
  try {
    assertTopic(topic, 'receive', true);
    return true;
  } catch (error) {
    // A topic error means the sender was not a Switchboard bus; anything else is a bug to surface.
    if (isSwitchboardError(error)) return false;
    throw error;
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
