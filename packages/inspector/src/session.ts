import type { Message } from '@switchboard/bus';
import { InspectorError } from './errors.ts';
import { asRecord, describe } from './payload-checks.ts';
import type { StoreOperation, StoreOperationKind } from './store-operations.ts';

/**
 * The `format` field of every session file.
 *
 * @example
 * import { SESSION_FORMAT } from '@switchboard/inspector';
 * const looksLikeSession = (data: { format?: unknown }) => data.format === SESSION_FORMAT;
 */
export const SESSION_FORMAT = 'switchboard-inspector-session';
/**
 * The version of the session format this inspector writes and reads.
 *
 * @example
 * import { SESSION_VERSION } from '@switchboard/inspector';
 * console.log(`session files v${SESSION_VERSION}`);
 */
export const SESSION_VERSION = 1;

/**
 * A recorded session: what one tab's inspector saw, as written to a file by
 * {@link serializeSession} and read back by {@link parseSession}.
 */
export interface InspectorSession {
  readonly format: typeof SESSION_FORMAT;
  readonly version: typeof SESSION_VERSION;
  /** When the file was written (ms since the epoch). */
  readonly exportedAt: number;
  /** The tab that recorded it. */
  readonly tabId: string;
  /** Every message recorded, oldest first, `$sys.` ones included. */
  readonly messages: readonly Message[];
  /** The store operations read from the `$sys.store.*` messages, oldest first. */
  readonly storeOperations: readonly StoreOperation[];
  /** Messages left out because their payload could not be written as JSON (a BigInt, a cycle). */
  readonly skipped: number;
}

/** What {@link serializeSession} writes. */
export interface SessionContent {
  readonly tabId: string;
  readonly messages: readonly Message[];
  readonly storeOperations: readonly StoreOperation[];
  /** @default Date.now() */
  readonly exportedAt?: number;
}

/**
 * Writes a session as JSON text (the file format, version {@link SESSION_VERSION}). A message
 * whose payload cannot be written as JSON is left out and counted in `skipped`.
 *
 * @example
 * import { serializeSession } from '@switchboard/inspector';
 * const text = serializeSession({ tabId: 't1', messages: [], storeOperations: [] });
 */
export function serializeSession(content: SessionContent): string {
  let skipped = 0;
  const writable = <T>(items: readonly T[]): T[] =>
    items.filter((item) => {
      try {
        JSON.stringify(item);
        return true;
      } catch {
        // Counted in `skipped`, which the file and the panel both show.
        skipped++;
        return false;
      }
    });
  const messages = writable(content.messages);
  const storeOperations = writable(content.storeOperations);
  const session: InspectorSession = {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    exportedAt: content.exportedAt ?? Date.now(),
    tabId: content.tabId,
    messages,
    storeOperations,
    skipped,
  };
  return JSON.stringify(session);
}

const OPERATION_KINDS: readonly string[] = ['propose', 'commit', 'reject', 'command', 'sync', 'state'];

function invalid(path: string, expected: string, got: unknown): InspectorError {
  return new InspectorError(
    'INVALID_SESSION',
    path,
    `parseSession: ${path} should be ${expected}, got ${describe(got)}; load a file the inspector's Export wrote.`,
  );
}

function field<T>(
  record: Record<string, unknown>,
  path: string,
  name: string,
  check: (v: unknown) => v is T,
  expected: string,
): T {
  const value = record[name];
  if (!check(value)) throw invalid(path ? `${path}.${name}` : name, expected, value);
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isRecord = (v: unknown): v is Record<string, unknown> => asRecord(v) !== undefined;

function readMessage(value: unknown, path: string): Message {
  if (!isRecord(value)) throw invalid(path, 'a message object', value);
  field(value, path, 'id', isString, 'a string');
  field(value, path, 'topic', isString, 'a string');
  field(value, path, 'ts', isNumber, 'a number');
  field(value, path, 'source', isString, 'a string');
  field(value, path, 'depth', isNumber, 'a number');
  field(value, path, 'meta', isRecord, 'an object');
  const origin = field(value, path, 'origin', isRecord, 'an object');
  field(origin, `${path}.origin`, 'tabId', isString, 'a string');
  return value as unknown as Message;
}

function readOperation(value: unknown, path: string): StoreOperation {
  if (!isRecord(value)) throw invalid(path, 'a store operation object', value);
  const kind = field(value, path, 'kind', isString, 'a string');
  if (!OPERATION_KINDS.includes(kind)) throw invalid(`${path}.kind`, `one of ${OPERATION_KINDS.join(', ')}`, kind);
  for (const name of ['storeId', 'tabId', 'source', 'messageId']) field(value, path, name, isString, 'a string');
  field(value, path, 'ts', isNumber, 'a number');
  if (value.version !== undefined) field(value, path, 'version', isNumber, 'a number');
  if (value.label !== undefined) field(value, path, 'label', isString, 'a string');
  return value as unknown as StoreOperation & { kind: StoreOperationKind };
}

/**
 * Reads a session file written by {@link serializeSession}. Throws an `InspectorError`:
 * `UNSUPPORTED_SESSION_VERSION` for a file of another format version, `INVALID_SESSION` (its
 * `path` naming the field) for anything else that is not a session.
 *
 * @example
 * import { parseSession } from '@switchboard/inspector';
 * const session = parseSession(await file.text());
 * console.log(session.messages.length, session.storeOperations.length);
 */
export function parseSession(text: string): InspectorSession {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InspectorError(
      'INVALID_SESSION',
      '(file)',
      `parseSession: the file is not JSON (${error instanceof Error ? error.message : String(error)}); load a file the inspector's Export wrote.`,
      { cause: error },
    );
  }
  if (!isRecord(data)) throw invalid('(file)', 'a session object', data);
  if (data.format !== SESSION_FORMAT) throw invalid('format', `'${SESSION_FORMAT}'`, data.format);
  if (data.version !== SESSION_VERSION)
    throw new InspectorError(
      'UNSUPPORTED_SESSION_VERSION',
      'version',
      `parseSession: the file is session format version ${describe(data.version)}, this inspector reads version ${SESSION_VERSION}; open it with the inspector version that wrote it.`,
    );
  const root = '';
  const exportedAt = field(data, root, 'exportedAt', isNumber, 'a number');
  const tabId = field(data, root, 'tabId', isString, 'a string');
  const skipped = field(data, root, 'skipped', isNumber, 'a number');
  const messages = field(data, root, 'messages', Array.isArray, 'an array');
  const operations = field(data, root, 'storeOperations', Array.isArray, 'an array');
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    exportedAt,
    tabId,
    skipped,
    messages: messages.map((message, index) => readMessage(message, `messages[${index}]`)),
    storeOperations: operations.map((operation, index) => readOperation(operation, `storeOperations[${index}]`)),
  };
}
