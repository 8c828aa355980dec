import type { Message } from './message.ts';
import type { Handler } from './pub-sub-bus.ts';
import type { ReplayTarget } from './retained-subscription.ts';

/**
 * Wraps a handler so that it receives the retained messages first and then live ones, with no
 * gap (it is subscribed in the same synchronous step as `replay` is read) and no duplicate (a
 * retained message still queued for delivery is skipped when it arrives live). Subscribed inside
 * a handler, the replay runs before the next message the handler receives, or right after the
 * current delivery if none comes: never nested inside another handler.
 */
export function wrapForReplay(
  target: ReplayTarget,
  handler: Handler,
  replay: readonly Message[],
): { handler: Handler; start(): void; deliverLearned(messages: readonly Message[]): void } {
  let skip: Set<Message> | undefined;
  if (target.delivering() && replay.length > 0) {
    const queued = new Set(target.queued());
    skip = new Set(replay.filter((message) => queued.has(message)));
  }
  let backlog: readonly Message[] | undefined;
  const runBacklog = (): void => {
    const messages = backlog;
    backlog = undefined;
    if (messages !== undefined && messages.length > 0) target.deliver(messages);
  };
  return {
    handler(message) {
      if (skip?.delete(message)) return undefined;
      if (backlog !== undefined) runBacklog();
      return handler(message);
    },
    start() {
      if (target.delivering()) {
        backlog = replay;
        target.later(runBacklog);
      } else if (replay.length > 0) {
        target.deliver(replay);
      }
    },
    deliverLearned(messages) {
      if (backlog !== undefined) runBacklog();
      target.deliver(messages);
    },
  };
}
