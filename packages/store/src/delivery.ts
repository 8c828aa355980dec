import type { Message } from '@switchboard/bus';

const CONTEXT_KEY = Symbol.for('switchboard.delivery-context');

/**
 * The message whose handlers run right now in this tab, read from the delivery context every
 * copy of `@switchboard/bus` shares (version 1): a command dispatched from a handler is known by
 * its cause in every tab.
 */
export function currentMessage(): Message | undefined {
  const context = (
    globalThis as unknown as Record<symbol, { version: number; current: Message | undefined } | undefined>
  )[CONTEXT_KEY];
  return context?.version === 1 ? context.current : undefined;
}
