import { describeValue, StoreError } from './errors.ts';
import { isStoreId } from './protocol.ts';

/** Any Standard Schema validator (zod, valibot, arktype…), checked synchronously. */
export interface StandardSchemaLike<T = unknown> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    validate(
      value: unknown,
    ):
      | { readonly value: T; readonly issues?: undefined }
      | { readonly issues: ReadonlyArray<{ readonly message: string; readonly path?: ReadonlyArray<unknown> }> }
      | Promise<unknown>;
  };
}

/** What a command handler gets besides the state and payload. */
export interface CommandContext {
  /**
   * Publishes an event on the bus once the command's change is committed (topics, so any MFE
   * can subscribe; declare them in `events`).
   */
  emit(topic: string, payload?: unknown): void;
  /** The app that sent the command. */
  readonly source: string;
}

/** A command: computes the next state; may emit events. Throw to refuse the command. */
export type CommandHandler<T, P = never> = (state: T, payload: P, context: CommandContext) => T;

/** The command map of a store without commands. */
export type NoCommands = Record<never, never>;

/** A store's commands, by name, from the map of their payload types `C`. */
export type CommandHandlers<T, C> = { [K in keyof C]: CommandHandler<T, C[K]> };

/** Options of {@link defineStore}. */
export interface StoreDefinitionOptions<T, C = NoCommands> {
  /**
   * The kind of store; also the `storeId` of its instance when `registry.get()` is given none.
   * Segments of letters, digits, `_`, `-`, `:` joined by dots (`orders.cart`).
   */
  name: string;
  /** The state of a store nobody wrote yet. */
  initial: T;
  /** The app that owns the store: it may write, other apps read unless the manifest's `stores.write` names them. */
  owner: string;
  /**
   * `'tab'`: each tab has its own state. `'origin'`: one state shared by every tab of the
   * origin, sequenced by the leader tab.
   * @default 'tab'
   */
  scope?: 'tab' | 'origin';
  /**
   * Keep the state in IndexedDB (a snapshot plus the operations since it), so a tab that opens
   * when every other is closed starts from it. Needs `scope: 'origin'` and storage on the host.
   * @default false
   */
  persist?: boolean;
  /**
   * Version of the state's shape. Raise it when the shape changes, and give `migrate`.
   * @default 1
   */
  version?: number;
  /** Brings a persisted or received state of an older `version` up to this one. */
  migrate?: (state: unknown, fromVersion: number) => T;
  /** Checked on every write; a state it refuses is not written (`SCHEMA_INVALID`). */
  schema?: StandardSchemaLike<T>;
  /** Named commands this store handles; any MFE allowed to may send them. */
  commands?: CommandHandlers<T, C>;
  /** Topics of the events the commands emit (documentation and a check at emit). */
  events?: readonly string[];
}

/**
 * A store definition: a blueprint for instances, each identified by a `storeId`. `C` maps each
 * command's name to its payload type.
 */
export interface StoreDefinition<T = unknown, C = NoCommands> {
  readonly name: string;
  readonly initial: T;
  readonly owner: string;
  readonly scope: 'tab' | 'origin';
  readonly persist: boolean;
  readonly version: number;
  readonly migrate: ((state: unknown, fromVersion: number) => T) | undefined;
  readonly schema: StandardSchemaLike<T> | undefined;
  readonly commands: CommandHandlers<T, C>;
  readonly events: readonly string[];
}

/**
 * Defines a store. The definition is a value: import it wherever the store is used.
 *
 * @example
 * import { defineStore } from '@switchboard/store';
 * export const cart = defineStore({
 *   name: 'orders.cart',
 *   initial: { lines: [] as Array<{ sku: string; qty: number }> },
 *   owner: 'orders',
 *   scope: 'origin',
 *   persist: true,
 * });
 */
export function defineStore<T, C = NoCommands>(options: StoreDefinitionOptions<T, C>): StoreDefinition<T, C> {
  const fn = 'defineStore()';
  if (typeof options !== 'object' || options === null) {
    throw new StoreError('INVALID_OPTION', undefined, `${fn}: expected options, got ${describeValue(options)}.`);
  }
  const { name, owner, scope = 'tab', persist = false, version = 1 } = options;
  if (!isStoreId(name)) {
    throw new StoreError(
      'INVALID_OPTION',
      undefined,
      `${fn}: name must be segments of letters, digits, '_', '-' or ':' joined by dots, like 'orders.cart'; got ${describeValue(name)}.`,
    );
  }
  const fail = (what: string): never => {
    throw new StoreError('INVALID_OPTION', name, `defineStore('${name}'): ${what}.`);
  };
  if (typeof owner !== 'string' || owner === '')
    fail(`owner must name the app that owns the store, got ${describeValue(owner)}`);
  if (scope !== 'tab' && scope !== 'origin') fail(`scope must be 'tab' or 'origin', got ${describeValue(scope)}`);
  if (persist && scope !== 'origin') fail("persist needs scope: 'origin' (one state for the origin)");
  if (!Number.isInteger(version) || version < 1)
    fail(`version must be a positive integer, got ${describeValue(version)}`);
  if (options.migrate !== undefined && typeof options.migrate !== 'function') fail('migrate must be a function');
  if (options.schema !== undefined && typeof options.schema?.['~standard']?.validate !== 'function') {
    fail('schema must be a Standard Schema validator (zod, valibot, arktype…)');
  }
  const commands = (options.commands ?? {}) as CommandHandlers<T, C>;
  for (const [command, handler] of Object.entries(commands as Record<string, unknown>)) {
    if (typeof handler !== 'function')
      fail(`command '${command}' must be a function (state, payload, context) => state`);
  }
  return Object.freeze({
    name,
    initial: options.initial,
    owner,
    scope,
    persist,
    version,
    migrate: options.migrate,
    schema: options.schema,
    commands,
    events: Object.freeze([...(options.events ?? [])]),
  });
}
