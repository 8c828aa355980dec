import { isSwitchboardError, SwitchboardError } from './errors.ts';
import { assertPattern, describeType, SYSTEM_PREFIX } from './topic.ts';

/**
 * What one app may do on the bus. Every list holds topic patterns (`+` one segment, `#` the
 * rest); with permissions, a list left out allows nothing.
 *
 * @example
 * import { defineManifest } from '@switchboard/bus/apps';
 * const manifest = defineManifest({
 *   orders: { publish: ['orders.#'], subscribe: ['orders.#', 'inventory.#'], rpc: { call: ['inventory.#'] } },
 * });
 */
export interface AppPermissions {
  /** Topics the app may publish. `$sys.` topics are the runtime's and cannot be listed. @default [] */
  readonly publish?: readonly string[];
  /**
   * Topics the app may receive, live and from other tabs, frames, the broker and history. A
   * subscription wider than these receives only what they allow. `$sys.` topics only when
   * listed (`'$sys.tab.#'`). @default []
   */
  readonly subscribe?: readonly string[];
  /** RPC methods (patterns of method names) the app may call and handle. */
  readonly rpc?: {
    /** @default [] */
    readonly call?: readonly string[];
    /** @default [] */
    readonly handle?: readonly string[];
  };
  /** Shared stores (patterns of store ids) the app may write. */
  readonly stores?: {
    /** @default [] */
    readonly write?: readonly string[];
  };
}

/** The permissions of every app, by app name: what a shell hands to `forApp`, app by app. */
export type Manifest = { readonly [app: string]: AppPermissions };

/**
 * Checks a manifest once (a typo such as `subscibe`, a bad pattern or a `$sys.` publish throws
 * an `INVALID_OPTION` error naming the entry) and freezes it. Keep it in a package every app
 * and the shell share, so one file says who may say what.
 *
 * @example
 * import { defineManifest, forApp } from '@switchboard/bus/apps';
 * export const manifest = defineManifest({
 *   orders: { publish: ['orders.#'], subscribe: ['orders.#', 'inventory.stock.#'] },
 *   inventory: { publish: ['inventory.#'], subscribe: ['inventory.#', 'orders.placed'] },
 * });
 * // in the shell: forApp(bus, 'orders', { permissions: manifest.orders })
 */
export function defineManifest<const T extends Manifest>(manifest: T): T {
  if (!isPlainObject(manifest)) {
    throw invalid(`defineManifest(): expected an object of permissions by app name, got ${describeType(manifest)}.`);
  }
  const checked: Record<string, AppPermissions> = {};
  for (const [app, permissions] of Object.entries(manifest)) {
    checked[app] = checkPermissions(permissions, 'defineManifest', app);
  }
  return Object.freeze(checked) as T;
}

const LISTS = { publish: true, subscribe: true, rpc: ['call', 'handle'], stores: ['write'] } as const;

/** Validates one app's permissions and returns a frozen copy; errors name `fn` and the entry. */
export function checkPermissions(permissions: unknown, fn: string, app: string): AppPermissions {
  if (!isPlainObject(permissions)) {
    throw invalid(`${fn}(): the permissions of app '${app}' must be an object, got ${describeType(permissions)}.`);
  }
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(permissions)) {
    const shape = LISTS[key as keyof typeof LISTS];
    if (shape === undefined) {
      throw invalid(`${fn}(): app '${app}' has an unknown permission '${key}'; use ${Object.keys(LISTS).join(', ')}.`);
    }
    if (shape === true) {
      copy[key] = checkList(value, fn, `${app}.${key}`, key === 'publish');
      continue;
    }
    if (!isPlainObject(value)) {
      throw invalid(`${fn}(): ${app}.${key} must be an object with ${shape.join(', ')}, got ${describeType(value)}.`);
    }
    const nested: Record<string, readonly string[]> = {};
    for (const [inner, list] of Object.entries(value)) {
      if (!(shape as readonly string[]).includes(inner)) {
        throw invalid(`${fn}(): ${app}.${key} has an unknown entry '${inner}'; use ${shape.join(', ')}.`);
      }
      nested[inner] = checkList(list, fn, `${app}.${key}.${inner}`, false);
    }
    copy[key] = Object.freeze(nested);
  }
  return Object.freeze(copy) as AppPermissions;
}

function checkList(list: unknown, fn: string, where: string, publishing: boolean): readonly string[] {
  if (!Array.isArray(list)) {
    throw invalid(`${fn}(): ${where} must be an array of topic patterns, got ${describeType(list)}.`);
  }
  list.forEach((pattern: unknown, index) => {
    try {
      assertPattern(pattern, fn);
    } catch (error) {
      if (!isSwitchboardError(error)) throw error;
      throw invalid(`${fn}(): ${where}[${index}] is not a valid pattern: ${error.message}`, error);
    }
    if (publishing && (pattern as string).split('.')[0] === SYSTEM_PREFIX) {
      throw invalid(
        `${fn}(): ${where}[${index}] '${pattern}': apps cannot publish '${SYSTEM_PREFIX}.' topics; helpers reach them through the rpc and stores rules.`,
      );
    }
  });
  return Object.freeze([...(list as string[])]);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string, cause?: unknown): SwitchboardError {
  return new SwitchboardError('INVALID_OPTION', message, cause === undefined ? undefined : { cause });
}
