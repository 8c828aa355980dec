/**
 * The messages RPC exchanges over the bus. All are `$sys.rpc.*` topics, so apps cannot forge
 * them with `publish()`; a transport carries them to other tabs like any other message. The
 * method is in the topic of what a manifest governs (`rpc.call` allows publishing
 * `$sys.rpc.request.<method>`, `rpc.handle` allows announcing it and receiving its requests),
 * and replies and cancellations are addressed to one endpoint by topic.
 */
import { SwitchboardError } from '@switchboard/bus';
import { assertTopic, MAX_TOPIC_LENGTH } from '@switchboard/bus/internal';
import type { SerializedError } from './errors.ts';

/** Asks every endpoint to announce the methods it handles. */
export const DISCOVER_TOPIC = '$sys.rpc.discover';
/** An endpoint is going away: its requests will not be answered. */
export const BYE_TOPIC = '$sys.rpc.bye';
/** Announcements of every method: `$sys.rpc.announce.<method>`. */
export const ANNOUNCE_PATTERN = '$sys.rpc.announce.#';

const REQUEST_PREFIX = '$sys.rpc.request.';
const ANNOUNCE_PREFIX = '$sys.rpc.announce.';

/** Where requests for `method` are published: the topic `rpc.call` and `rpc.handle` govern. */
export function requestTopic(method: string): string {
  return REQUEST_PREFIX + method;
}

/** Where an endpoint says it handles `method`, or no longer does. */
export function announceTopic(method: string): string {
  return ANNOUNCE_PREFIX + method;
}

/** The method an announcement is about, or undefined for a topic that names none. */
export function announcedMethod(topic: string): string | undefined {
  return topic.startsWith(ANNOUNCE_PREFIX) ? topic.slice(ANNOUNCE_PREFIX.length) : undefined;
}

/** Where the replies to an endpoint's requests go. */
export function replyTopic(endpoint: string): string {
  return `$sys.rpc.reply.${endpoint}`;
}

/** Where a caller cancels a request it sent to an endpoint. */
export function cancelTopic(endpoint: string): string {
  return `$sys.rpc.cancel.${endpoint}`;
}

/**
 * Refuses a method name that cannot be a topic's tail: methods are topic segments joined by
 * `.`, so a manifest can name them with patterns (`inventory.#`).
 */
export function assertMethod(method: unknown, fn: string): asserts method is string {
  if (typeof method === 'string' && method !== '') {
    try {
      // The announcement's prefix is the longest of the topics that carry a method.
      assertTopic(announceTopic(method), fn, true);
      return;
    } catch (error) {
      throw new SwitchboardError(
        'INVALID_OPTION',
        `${fn}: the method '${method}' must be segments of letters, digits, '_', ':' or '-' joined by '.', as in 'orders.get' (at most ${MAX_TOPIC_LENGTH - ANNOUNCE_PREFIX.length} characters).`,
        { cause: error },
      );
    }
  }
  throw new SwitchboardError(
    'INVALID_OPTION',
    `${fn}: the method must be a non-empty string such as 'orders.get', got ${typeof method}.`,
  );
}

/** `$sys.rpc.announce.<method>`: whether the endpoint handles the method from now on. */
export interface AnnouncePayload {
  readonly endpoint: string;
  readonly tabId: string;
  readonly handles: boolean;
}

/** `$sys.rpc.discover` and `$sys.rpc.bye`. */
export interface EndpointPayload {
  readonly endpoint: string;
}

/** `$sys.rpc.request.<method>`: addressed to one endpoint (`to`); the others ignore it. */
export interface RequestPayload {
  readonly id: string;
  readonly to: string;
  readonly from: string;
  readonly params: unknown;
  readonly correlationId?: string;
}

/** `$sys.rpc.cancel.<endpoint>`. */
export interface CancelPayload {
  readonly id: string;
  readonly reason?: string;
}

/** `$sys.rpc.reply.<endpoint>`. */
export type ReplyPayload =
  | { readonly id: string; readonly tabId: string; readonly ok: true; readonly result: unknown }
  | {
      readonly id: string;
      readonly tabId: string;
      readonly ok: false;
      readonly error: SerializedError;
      readonly unhandled?: true;
    };
