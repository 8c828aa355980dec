import type { AdapterLink, Message } from '@switchboard/bus';

/**
 * Drops stored messages that the bus's adapters refuse (`link.admit`): a record whose payload
 * breaks its topic's schema never reaches a query or a replay; the refusing adapter reports it.
 * A history that is not attached has no bus to ask and returns what it read.
 */
export function admitStored(link: AdapterLink | undefined, messages: Message[]): Message[] {
  if (link === undefined) return messages;
  return messages.filter((message) => link.admit(message));
}
