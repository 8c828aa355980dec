import type { Message } from '@switchboard/bus';

/** Most broker messages kept while no other tab is known, and how long each is kept. */
const MOST_KEPT = 16_384;
const KEPT_MS = 30_000;

/** A broker message kept for a tab that joins, with when this tab received it (`at`, bus clock). */
type Unrelayed = Message & { readonly at: number };

/**
 * Broker messages the connection tab delivered without relaying them, because it knew no other
 * tab to relay to. A tab that has just opened listens before the connection tab has read its
 * hello: when a tab joins, the kept ones go out once, and that tab delivers those that arrived
 * after it attached (`at`). Bounded in number and age, so a tab left alone keeps little.
 */
export interface UnrelayedMessages {
  keep(messages: readonly Message[], at: number): void;
  /** The kept messages still young enough at `now`, oldest first; forgets them all. */
  take(now: number): Unrelayed[];
}

export function createUnrelayedMessages(): UnrelayedMessages {
  let messages: Message[] = [];
  let times: number[] = [];
  // Index of the oldest kept one: dropping from the front moves nothing.
  let head = 0;

  function forgetOlderThan(oldest: number): void {
    while (head < messages.length && (times[head]! < oldest || messages.length - head > MOST_KEPT)) head++;
    if (head > MOST_KEPT) {
      messages = messages.slice(head);
      times = times.slice(head);
      head = 0;
    }
  }

  return {
    keep(batch, at) {
      for (const message of batch) {
        messages.push(message);
        times.push(at);
      }
      forgetOlderThan(at - KEPT_MS);
    },
    take(now) {
      forgetOlderThan(now - KEPT_MS);
      const taken: Unrelayed[] = [];
      for (let i = head; i < messages.length; i++) taken.push({ ...messages[i]!, at: times[i]! });
      messages = [];
      times = [];
      head = 0;
      return taken;
    },
  };
}
