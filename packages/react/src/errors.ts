/**
 * Errors of the React bindings: a hook that cannot find what it needs says which hook, what is
 * missing and how to give it. They are `SwitchboardError`s, so `isSwitchboardError(error,
 * 'INVALID_OPTION')` recognises them across bundled copies.
 */
import { SwitchboardError } from '@switchboard/bus';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object without subscribe/publish' : typeof value;
}

/** A hook ran outside a `SwitchboardProvider` and was given no `bus`. */
export function missingBus(fn: string): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `${fn}(): no bus to use; render the component inside <SwitchboardProvider bus={bus}> or pass { bus } to the hook.`,
  );
}

/** A provider or a hook was given something that is not a bus. */
export function notABus(fn: string, value: unknown): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `${fn}: bus must be a bus from createPubSub() or a handle from forApp(), got ${describe(value)}.`,
  );
}

/** `useLeader` / `usePresence` found nothing to ask: no provider, no `crossTab`, no bus it can read. */
export function missingCrossTab(fn: string, cause?: unknown): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `${fn}(): nothing to ask about the tabs; render the component inside <SwitchboardProvider bus={bus}>, or pass ` +
      `{ crossTab } (what attachCrossTab() returns) or { bus } to ${fn}().`,
    cause === undefined ? undefined : { cause },
  );
}

/** `useRequest` found no RPC endpoint. */
export function missingRpc(method: string): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `useRequest('${method}'): no rpc to call through; create one with createRpc(bus) from @switchboard/patterns ` +
      'and pass it to <SwitchboardProvider rpc={rpc}> or to useRequest(method, { rpc }).',
  );
}

/** `useRetained`'s `maxTopics` is not a positive integer. */
export function invalidMaxTopics(pattern: string, value: unknown): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `useRetained('${pattern}', { maxTopics }): expected a positive integer, got ${String(value)}.`,
  );
}

/** A store hook found no registry: no `StoreRegistryProvider` above it and no `registry` option. */
export function missingRegistry(call: string): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `${call}: no store registry to use; render the component inside ` +
      '<StoreRegistryProvider registry={createStoreRegistry(bus)}> or pass { registry } to the hook.',
  );
}

/** `useStoreValue` was given something that is not a store, a selection or a computed store. */
export function notReadable(value: unknown): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `useStoreValue(): expected a store from useStore() or registry.get(), a select() or a computed(), got ${value === null ? 'null' : typeof value === 'object' ? 'an object without get/subscribe' : typeof value}.`,
  );
}
