import type { MessageMeta } from './message.ts';

/**
 * The meta of every message published without options or a cause: one frozen empty object for
 * all of them instead of one each, which also tells the clone check that there is no meta to clone.
 */
export const NO_META: MessageMeta = Object.freeze({});
