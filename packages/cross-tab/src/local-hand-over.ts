import type { Message } from '@switchboard/bus';
import type { TabMember } from './tab-channel.ts';

/** Hands a batch to the buses of this tab other than the ones that published its messages. */
export type LocalHandOver = (messages: Message[], owners: TabMember[]) => void;

/**
 * Creates the hand-over between the buses that share a tab's channel. Each batch goes to every
 * other bus at the end of the publisher's synchronous run (a microtask), never nested in its
 * `publish`, and as the same objects: no clone, as subscribers of one bus share a message. Batches
 * keep their order, so each publisher's order is kept for every bus.
 */
export function createLocalHandOver(members: readonly TabMember[]): LocalHandOver {
  let queued: Array<{ messages: Message[]; owners: TabMember[] }> = [];

  function deliver(): void {
    const batches = queued;
    queued = [];
    for (const { messages, owners } of batches) {
      // A bus that left meanwhile is no longer among the members.
      for (const member of [...members]) {
        for (let i = 0; i < messages.length; i++) if (owners[i] !== member) member.deliver(messages[i]!);
      }
    }
  }

  return (messages, owners) => {
    if (members.length < 2) return;
    if (queued.length === 0) queueMicrotask(deliver);
    queued.push({ messages, owners });
  };
}
