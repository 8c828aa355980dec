import type { Handler, Message } from '@switchboard/bus';

/** Hands replayed messages to handlers the way the bus hands live ones. */
export interface ReplayDelivery {
  /** Calls `handler` with `message`; a throw or rejection goes to `report`, never to the caller. */
  deliver(handler: Handler<never>, message: Message, pattern: string): void;
  /** Resolves once every async handler called so far has settled (part of `flush()`). */
  settled(): Promise<void>;
}

/** Creates the delivery of one history's replays; `report` receives what handlers throw or reject. */
export function createReplayDelivery(
  report: (error: unknown, message: Message, pattern: string) => void,
): ReplayDelivery {
  const pending = new Set<Promise<unknown>>();
  return {
    deliver(handler, message, pattern) {
      try {
        const result = handler(message as never) as Promise<unknown> | undefined;
        if (result && typeof result.then === 'function') {
          const done = Promise.resolve(result).then(undefined, (error: unknown) => report(error, message, pattern));
          pending.add(done);
          void done.finally(() => pending.delete(done));
        }
      } catch (error) {
        report(error, message, pattern);
      }
    },
    async settled() {
      await Promise.all([...pending]);
    },
  };
}
