import type { Message } from '@switchboard/bus';
import { copyOfValues } from './batch-codec.ts';
import type { TabMember } from './tab-channel.ts';

/** Hands a batch to the buses of this tab other than the ones that published its messages. */
export type LocalHandOver = (messages: Message[], owners: TabMember[]) => void;

/**
 * Creates the hand-over between the buses that share a tab's channel. Each batch goes to every
 * other bus at the end of the publisher's synchronous run (a microtask), never nested in its
 * `publish`, as what the other tabs get: a payload that travels as its values is a plain copy of
 * them (the publisher's bus confirmed no clone of it, so it may be a Proxy, which another bus's
 * history could not store); any other message is the same object, no clone, as subscribers of one
 * bus share a message. Batches keep their order, so each publisher's order is kept for every bus.
 */
export function createLocalHandOver(members: readonly TabMember[]): LocalHandOver {
  let queued: Array<{ messages: Message[]; owners: TabMember[] }> = [];

  function deliver(): void {
    const batches = queued;
    queued = [];
    for (const { messages, owners } of batches) {
      const posted = messages.map(asPosted);
      // A bus that left meanwhile is no longer among the members.
      for (const member of [...members]) {
        for (let i = 0; i < posted.length; i++) if (owners[i] !== member) member.deliver(posted[i]!);
      }
    }
  }

  return (messages, owners) => {
    if (members.length < 2) return;
    if (queued.length === 0) queueMicrotask(deliver);
    queued.push({ messages, owners });
  };
}

/** The message as another tab reads it: with a plain copy of a payload that travels as its values. */
function asPosted(message: Message): Message {
  let payload: Record<string, unknown> | undefined;
  try {
    payload = copyOfValues(message.payload);
  } catch {
    // Reading threw this time (the post read it already): hand over what was published.
    return message;
  }
  return payload === undefined ? message : { ...message, payload };
}
