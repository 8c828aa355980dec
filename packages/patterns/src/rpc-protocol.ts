/**
 * The messages RPC exchanges over the bus. All are `$sys.rpc.*` topics, so apps cannot forge
 * them with `publish()`; a transport carries them to other tabs like any other message.
 */
import type { SerializedError } from './errors.ts';

/** Topics used by RPC. */
export const RPC_TOPICS = {
  /** An endpoint lists the methods it handles (sent on every change and on discover). */
  announce: '$sys.rpc.announce',
  /** Asks every endpoint to announce itself. */
  discover: '$sys.rpc.discover',
  /** An endpoint is going away: its requests will not be answered. */
  bye: '$sys.rpc.bye',
  request: '$sys.rpc.request',
  cancel: '$sys.rpc.cancel',
  reply: '$sys.rpc.reply',
} as const;

export interface AnnouncePayload {
  readonly endpoint: string;
  readonly tabId: string;
  readonly methods: readonly string[];
}

export interface DiscoverPayload {
  readonly endpoint: string;
}

export interface ByePayload {
  readonly endpoint: string;
}

export interface RequestPayload {
  readonly id: string;
  readonly to: string;
  readonly from: string;
  readonly method: string;
  readonly params: unknown;
  readonly correlationId?: string;
}

export interface CancelPayload {
  readonly id: string;
  readonly to: string;
  readonly reason?: string;
}

export type ReplyPayload =
  | { readonly id: string; readonly to: string; readonly tabId: string; readonly ok: true; readonly result: unknown }
  | {
      readonly id: string;
      readonly to: string;
      readonly tabId: string;
      readonly ok: false;
      readonly error: SerializedError;
      readonly unhandled?: true;
    };
