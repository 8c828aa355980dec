/**
 * The part of BroadcastChannel that cross-tab uses. `createMemoryChannelHub()` from
 * `@switchboard/testing` makes channels of this shape for unit tests; this package declares the
 * interface itself so it never loads the testing package at run time.
 */
export interface ChannelLike {
  readonly name: string;
  postMessage(data: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

/** Opens a channel by name; `attachCrossTab` calls it once, with the `channel` option. */
export type ChannelFactory = (name: string) => ChannelLike;

/**
 * True when this environment has BroadcastChannel, so messages can reach other tabs. Without it
 * `attachCrossTab` keeps the bus working inside the tab and warns once.
 *
 * @example
 * import { isSupported } from '@switchboard/cross-tab';
 * if (!isSupported()) console.info('Messages stay in this tab.');
 */
export function isSupported(): boolean {
  return typeof globalThis.BroadcastChannel === 'function';
}

/** Opens a real BroadcastChannel; read lazily so that loading this module never touches it. */
export function openBroadcastChannel(name: string): ChannelLike {
  return new globalThis.BroadcastChannel(name) as unknown as ChannelLike;
}
