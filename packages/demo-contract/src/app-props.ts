import type { Bus, Message, PayloadOf } from '@switchboard/bus';
import type { DemoTopics } from './topic-map.ts';

/**
 * The part of `@switchboard/history` an app uses, declared structurally: the shell owns the
 * history adapter and passes it in, so an app's bundle never ships IndexedDB code.
 */
export interface ReplayingHistory {
  /** Stored messages matching `pattern`, then live ones: no gap, no duplicate. */
  subscribe<P extends string>(
    pattern: P,
    handler: (message: Message<PayloadOf<DemoTopics, P>>) => unknown,
    options?: { signal?: AbortSignal; last?: number },
  ): Promise<() => void>;
}

/** What the shell passes to every application at mount, as single-spa custom props. */
export interface DemoAppProps {
  /** The tab's bus (created by the shell, with cross-tab and history attached). */
  readonly bus: Bus<DemoTopics>;
  /** The tab's history, to rebuild state from stored events; without it apps start empty. */
  readonly history?: ReplayingHistory;
  /** Where to render. */
  readonly domElement: HTMLElement;
}
