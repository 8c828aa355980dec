import { isSwitchboardError, type Message } from '@switchboard/bus';
import { assertPattern, assertTopic } from '@switchboard/bus/internal';

/**
 * The frame protocol. Two phases:
 *
 * 1. **Handshake**, by `window.postMessage` with a pinned target origin: the frame says `hello`
 *    (its app and a fresh nonce) to its parent; the host checks the sending window and origin and
 *    answers `welcome` (the nonce back, what the frame may do) with one end of a new
 *    `MessageChannel`. A frame that loads before its host listens says hello again (see `joiner.ts`).
 * 2. **Port**: everything else goes over that `MessagePort`, which no other window holds. A post
 *    is one {@link PortMessage} or an array of them (the rest of a synchronous burst).
 */
const PROTOCOL = 'switchboard.frame';
/** Version of the protocol written by this copy; other versions are refused as malformed. */
export const PROTOCOL_VERSION = 1;

/** What a frame joins as: an MFE (`joinHost`) or a hub (`serveHub`). */
export type FrameRole = 'app' | 'hub';

/** What the host grants in `welcome`: the frame's handle is built from it. */
export interface Grant {
  readonly app: string;
  /** The host's tab id: the frame's messages are published from that tab. */
  readonly tabId: string;
  /** The app's permissions; absent when the host checks nothing. */
  readonly permissions?: unknown;
  /** Helper namespaces the frame's helpers may reach. */
  readonly helpers?: readonly string[];
  /** How often the host pings; the frame answers each ping. */
  readonly heartbeatMs: number;
}

/** A tab as the host's presence lists it, sent to its frames. */
export interface TabState {
  readonly tabId: string;
  readonly apps: readonly string[];
  readonly lastSeen: number;
  readonly leader: boolean;
}

/** Messages of the handshake, sent with `window.postMessage`. */
export type WindowMessage =
  | { readonly type: 'hello'; readonly role: FrameRole; readonly app: string; readonly nonce: string }
  | { readonly type: 'welcome'; readonly nonce: string; readonly grant: Grant };

/** Messages over the port. `pub`, `sub`, `unsub`, `denied` go up; `msg`, `refused` come down. */
export type PortMessage =
  /** Up: publish this (the host stamps the rest). Down, to a hub: relay this message. */
  | { readonly t: 'pub'; readonly topic: string; readonly payload: unknown; readonly meta: Record<string, unknown> }
  /** Up: the frame has a subscriber for `pattern` (first one) or no longer (last one). */
  | { readonly t: 'sub' | 'unsub'; readonly pattern: string }
  /** Down: a message for the frame. From a hub: a message relayed from `from`, another origin. */
  | { readonly t: 'msg'; readonly m: Message; readonly from?: string }
  /** Up: the frame's own handle refused a call (for `$sys.app.denied`). */
  | { readonly t: 'denied'; readonly action: string; readonly subject: string; readonly rule: string }
  /** Down: the host refused what the frame sent; `subject` is its topic or pattern. */
  | {
      readonly t: 'refused';
      readonly subject: string;
      readonly code: string;
      readonly name: string;
      readonly message: string;
    }
  /** Heartbeat: the host pings every `heartbeatMs`, the frame pongs the same `n`. */
  | { readonly t: 'ping' | 'pong'; readonly n: number }
  /** Up: `flush` number `n`; down: `flushed` once the host's bus flushed what came before it. */
  | { readonly t: 'flush' | 'flushed'; readonly n: number }
  /** Up: query number `n` of the host's history, as the frame's app may read it. */
  | { readonly t: 'query'; readonly n: number; readonly pattern: string; readonly options: Record<string, unknown> }
  /**
   * Down: the host tab's leadership and presence, sent on joining and on every change, so the
   * frame's helpers see the tab they run in. `null` where the host has no such service.
   */
  | {
      readonly t: 'state';
      readonly leader: { readonly isLeader: boolean; readonly leaderTabId: string | null } | null;
      readonly tabs: readonly TabState[] | null;
    }
  /** Down: the answer to query `n`: the messages, or why there are none. */
  | {
      readonly t: 'result';
      readonly n: number;
      readonly messages?: readonly Message[];
      readonly error?: { readonly code: string; readonly name: string; readonly message: string };
    }
  /** Either side: the connection ends (page hidden for good, frame removed, host closed it). */
  | { readonly t: 'bye' }
  /** From a hub: whether it reaches the site's other origins. */
  | { readonly t: 'status'; readonly reach: 'site' | 'partitioned' | 'unsupported' };

/** Wraps a handshake message for `postMessage`. */
export function windowMessage(message: WindowMessage): Record<string, unknown> {
  return { sb: PROTOCOL, v: PROTOCOL_VERSION, ...message };
}

/**
 * What a `message` event's data is: `foreign` (not this protocol: some other script's message,
 * left alone), `malformed` (this protocol, but a version or shape this copy cannot read), or
 * the message.
 */
export type WindowReading = 'foreign' | 'malformed' | WindowMessage;

/** Reads a `message` event's data as a handshake message. */
export function readWindowMessage(data: unknown): WindowReading {
  if (!isRecord(data) || data.sb !== PROTOCOL) return 'foreign';
  if (data.v !== PROTOCOL_VERSION) return 'malformed';
  switch (data.type) {
    case 'hello':
      return (data.role === 'app' || data.role === 'hub') && isName(data.app) && isNonce(data.nonce)
        ? { type: 'hello', role: data.role, app: data.app, nonce: data.nonce }
        : 'malformed';
    case 'welcome':
      return isNonce(data.nonce) && isGrant(data.grant)
        ? { type: 'welcome', nonce: data.nonce, grant: data.grant }
        : 'malformed';
    default:
      return 'malformed';
  }
}

/**
 * Reads one port message, or undefined when it is malformed. Topics and patterns are checked
 * against the topic rules here, so what passes can be handed to the bus.
 */
export function readPortMessage(data: unknown): PortMessage | undefined {
  if (!isRecord(data)) return undefined;
  switch (data.t) {
    case 'pub':
      return isTopic(data.topic) && isRecord(data.meta) && 'payload' in data ? (data as PortMessage) : undefined;
    case 'sub':
    case 'unsub':
      return isPattern(data.pattern) ? (data as PortMessage) : undefined;
    case 'msg':
      return isMessage(data.m) && (data.from === undefined || typeof data.from === 'string')
        ? (data as PortMessage)
        : undefined;
    case 'denied':
      return typeof data.action === 'string' && typeof data.subject === 'string' && typeof data.rule === 'string'
        ? (data as PortMessage)
        : undefined;
    case 'refused':
      return typeof data.subject === 'string' &&
        typeof data.code === 'string' &&
        typeof data.name === 'string' &&
        typeof data.message === 'string'
        ? (data as PortMessage)
        : undefined;
    case 'query':
      return Number.isSafeInteger(data.n) && isPattern(data.pattern) && isRecord(data.options)
        ? (data as PortMessage)
        : undefined;
    case 'result':
      return Number.isSafeInteger(data.n) &&
        (data.messages === undefined || (Array.isArray(data.messages) && data.messages.every(isMessage))) &&
        (data.error === undefined || (isRecord(data.error) && typeof data.error.message === 'string'))
        ? (data as PortMessage)
        : undefined;
    case 'state':
      return (data.leader === null ||
        (isRecord(data.leader) &&
          typeof data.leader.isLeader === 'boolean' &&
          (data.leader.leaderTabId === null || typeof data.leader.leaderTabId === 'string'))) &&
        (data.tabs === null || (Array.isArray(data.tabs) && data.tabs.every(isTabState)))
        ? (data as PortMessage)
        : undefined;
    case 'ping':
    case 'pong':
    case 'flush':
    case 'flushed':
      return Number.isSafeInteger(data.n) ? (data as PortMessage) : undefined;
    case 'bye':
      return data as PortMessage;
    case 'status':
      return data.reach === 'site' || data.reach === 'partitioned' || data.reach === 'unsupported'
        ? (data as PortMessage)
        : undefined;
    default:
      return undefined;
  }
}

/** True when `value` has every field of a {@link Message}, with a valid topic. */
export function isMessage(value: unknown): value is Message {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    isTopic(value.topic, true) &&
    'payload' in value &&
    typeof value.ts === 'number' &&
    typeof value.source === 'string' &&
    isRecord(value.meta) &&
    isRecord(value.origin) &&
    typeof value.origin.tabId === 'string' &&
    Number.isSafeInteger(value.depth) &&
    (value.depth as number) >= 0
  );
}

function isTabState(value: unknown): value is TabState {
  return (
    isRecord(value) &&
    typeof value.tabId === 'string' &&
    Array.isArray(value.apps) &&
    value.apps.every((app) => typeof app === 'string') &&
    typeof value.lastSeen === 'number' &&
    typeof value.leader === 'boolean'
  );
}

function isGrant(value: unknown): value is Grant {
  return (
    isRecord(value) &&
    isName(value.app) &&
    typeof value.tabId === 'string' &&
    (value.permissions === undefined || isRecord(value.permissions)) &&
    (value.helpers === undefined ||
      (Array.isArray(value.helpers) && value.helpers.every((helper) => typeof helper === 'string'))) &&
    typeof value.heartbeatMs === 'number' &&
    value.heartbeatMs > 0
  );
}

function isTopic(value: unknown, allowSystem = true): value is string {
  try {
    assertTopic(value, 'frame', allowSystem);
    return true;
  } catch (error) {
    if (isSwitchboardError(error)) return false;
    throw error;
  }
}

function isPattern(value: unknown): value is string {
  try {
    assertPattern(value, 'frame');
    return true;
  } catch (error) {
    if (isSwitchboardError(error)) return false;
    throw error;
  }
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 256;
}

function isNonce(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{32}$/.test(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A fresh 128-bit nonce as 32 hex digits (`getRandomValues` works outside secure contexts too). */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
