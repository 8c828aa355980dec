import type { Message } from '@switchboard/bus';
import { asRecord, isMalformed, type Malformed, readFields } from './payload-checks.ts';

/** What a store message on `$sys.store.<kind>.<storeId>` did. */
export type StoreOperationKind = 'propose' | 'commit' | 'reject' | 'command' | 'sync' | 'state';

/**
 * One store operation as the inspector shows and exports it, read from the `$sys.store.*`
 * message that carried it.
 */
export interface StoreOperation {
  readonly kind: StoreOperationKind;
  readonly storeId: string;
  /** The message's time (ms since the epoch). */
  readonly ts: number;
  /** The tab that sent the message. */
  readonly tabId: string;
  /** The app that made the change (a commit names the proposing app), else the sender. */
  readonly source: string;
  /** The store's version: the new one (commit, state) or the one a proposal built on. */
  readonly version?: number;
  /** `set`, `update`, a command's name, `transaction`; `stale` or `applied` for a rejection. */
  readonly label?: string;
  /** The store's whole value after a commit or in a state answer. */
  readonly value?: unknown;
  /** Identifies a write across retries. */
  readonly opId?: string;
  /** The id of the message it was read from. */
  readonly messageId: string;
}

const KINDS: readonly string[] = ['propose', 'commit', 'reject', 'command', 'sync', 'state'];
const PREFIX = '$sys.store.';

const SHAPES = {
  propose: { storeId: 'string', opId: 'string', baseVersion: 'number', label: 'string', tabId: 'string' },
  commit: { storeId: 'string', opId: 'string', version: 'number', label: 'string', source: 'string', tabId: 'string' },
  reject: { storeId: 'string', opId: 'string', version: 'number', applied: 'boolean' },
  command: { storeId: 'string', command: 'string' },
  sync: { storeId: 'string', tabId: 'string' },
  state: { storeId: 'string', version: 'number' },
} as const;

/**
 * Reads a store operation from a message: undefined when the topic is not a per-store one
 * (`$sys.store.elect` and the like), a {@link Malformed} when its payload is unreadable or names
 * another store than its topic.
 *
 * @example
 * import { readStoreOperation } from '@switchboard/inspector';
 * bus.subscribe('$sys.store.#', (message) => {
 *   const op = readStoreOperation(message);
 *   if (op && !('malformed' in op)) console.log(op.kind, op.storeId, op.version);
 * });
 */
export function readStoreOperation(message: Message): StoreOperation | Malformed | undefined {
  if (!message.topic.startsWith(PREFIX)) return undefined;
  const rest = message.topic.slice(PREFIX.length);
  const dot = rest.indexOf('.');
  const kind = rest.slice(0, dot);
  if (dot < 0 || !KINDS.includes(kind)) return undefined;
  const storeId = rest.slice(dot + 1);
  const read = readFields(message.payload, SHAPES[kind as StoreOperationKind]);
  if (isMalformed(read)) return read;
  if (read.storeId !== storeId)
    return { malformed: `storeId: the payload names '${read.storeId}' on the topic of '${storeId}'` };
  const payload = asRecord(message.payload) ?? {};
  const base = {
    kind: kind as StoreOperationKind,
    storeId,
    ts: message.ts,
    tabId: message.origin.tabId,
    source: message.source,
    messageId: message.id,
  };
  switch (kind) {
    case 'propose':
      return {
        ...base,
        version: payload.baseVersion as number,
        label: payload.label as string,
        opId: payload.opId as string,
      };
    case 'commit':
      return {
        ...base,
        source: payload.source as string,
        version: payload.version as number,
        label: payload.label as string,
        value: payload.value,
        opId: payload.opId as string,
      };
    case 'reject':
      return {
        ...base,
        version: payload.version as number,
        label: payload.applied ? 'applied' : 'stale',
        opId: payload.opId as string,
      };
    case 'command':
      return { ...base, label: payload.command as string };
    case 'state':
      return { ...base, version: payload.version as number, value: payload.value };
    default:
      return base;
  }
}
