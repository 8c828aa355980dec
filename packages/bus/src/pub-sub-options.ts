import type { ErrorContext } from './adapter.ts';
import type { Clock } from './clock.ts';

/** Options of {@link createPubSub}. */
export interface PubSubOptions {
  /** The app that owns this bus; set as `source` on every message it publishes. */
  app: string;
  /**
   * Receives every error a handler throws or rejects with, and adapter failures. Without it such
   * errors are rethrown asynchronously (they reach the console / `window.onerror`), never lost.
   */
  onError?: (error: unknown, context: ErrorContext) => void;
  /**
   * Longest causation chain allowed before a publish is refused with a `LoopDetectedError`.
   * @default 32
   */
  maxDepth?: number;
  /**
   * Distinct topics whose subscriber lists are cached (see `TopicMatcherOptions.cacheSize`).
   * @default 1024
   */
  topicCacheSize?: number;
  /**
   * Refuse payloads that could not cross tabs or be stored (functions, DOM nodes, promises…).
   * Turn off only when every payload is known to be plain data.
   * @default true
   */
  checkPayloads?: boolean;
  /** Time source for `ts` and timeouts. @default systemClock */
  clock?: Clock;
  /**
   * The tab id stamped on messages. Leave it out in apps; tests that simulate several tabs in
   * one process give each bus its own.
   * @default getTabId()
   */
  tabId?: string;
}
