/**
 * The part of the Web Locks API (`navigator.locks`) durable sagas use: while a tab drives a saga
 * it holds the saga's lock, which the browser releases the moment the tab closes or crashes.
 * Pass a fake as `locks` in tests (`createFakeLocks()` from `@switchboard/testing`).
 */
export interface SagaLockManager {
  request<T>(
    name: string,
    options: { ifAvailable?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>;
}

/** `navigator.locks` when the platform has it; read when a saga is created, never at module load. */
export function platformLocks(): SagaLockManager | undefined {
  const locks = (globalThis as { navigator?: { locks?: unknown } }).navigator?.locks;
  return typeof (locks as SagaLockManager | undefined)?.request === 'function' ? (locks as SagaLockManager) : undefined;
}

/** The lock that one saga instance's driver holds, in every tab of the origin. */
export function sagaLockName(sagaName: string, sagaId: string): string {
  return `switchboard.saga:${sagaName}:${sagaId}`;
}

/** What {@link runLocked} did: ran `fn` under the lock, or found it held (only with `ifAvailable`). */
export type Locked<T> = { readonly ran: true; readonly value: T } | { readonly ran: false };

/**
 * Runs `fn` holding the lock `name`. With `ifAvailable`, resolves `{ ran: false }` at once when
 * another holder has it; without, waits for it (until `signal` aborts, which rejects).
 */
export async function runLocked<T>(
  locks: SagaLockManager,
  name: string,
  options: { ifAvailable: boolean; signal?: AbortSignal },
  fn: () => Promise<T>,
): Promise<Locked<T>> {
  // The API refuses `signal` together with `ifAvailable`: a request that does not wait has
  // nothing to abort.
  const lockOptions = options.ifAvailable
    ? { ifAvailable: true }
    : options.signal === undefined
      ? {}
      : { signal: options.signal };
  return locks.request(name, lockOptions, async (lock): Promise<Locked<T>> => {
    if (lock === null) return { ran: false };
    return { ran: true, value: await fn() };
  });
}
