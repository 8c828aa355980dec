/**
 * Errors of the React bindings: a hook that cannot find what it needs says which hook, what is
 * missing and how to give it, in React's words. They are `SwitchboardError`s, so
 * `isSwitchboardError(error, 'INVALID_OPTION')` recognises them across bundled copies. The errors
 * the Vue bindings throw alike (`notABus`, `missingCrossTab`, `invalidMaxTopics`) come from `@switchboard/bus/internal`.
 */
import { SwitchboardError } from '@switchboard/bus';

/** How a React app gives the hooks a bus, in the words of errors (`missingCrossTab` of `@switchboard/bus/internal` too). */
export const HOW_TO_PROVIDE_BUS = 'render the component inside <SwitchboardProvider bus={bus}>';

/** A hook ran outside a `SwitchboardProvider` and was given no `bus`. */
export function missingBus(fn: string): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `${fn}(): no bus to use; ${HOW_TO_PROVIDE_BUS} or pass { bus } to the hook.`,
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
