/**
 * Errors of the Vue bindings: a composable that cannot find what it needs says which one, what
 * is missing and how to give it, in Vue's words. They are `SwitchboardError`s, so
 * `isSwitchboardError(error, 'INVALID_OPTION')` recognises them across bundled copies. The errors
 * the React bindings throw alike (`notABus`, `missingCrossTab`, `invalidMaxTopics`) come from `@switchboard/bus/internal`.
 */
import { SwitchboardError } from '@switchboard/bus';

/** How a Vue app gives the composables a bus, in the words of `missingCrossTab` (`@switchboard/bus/internal`). */
export const HOW_TO_PROVIDE_BUS = 'provide a bus (createSwitchboardPlugin({ bus }) or provideBus(bus))';

/** A composable ran where nothing provides a bus and was given none. */
export function missingBus(fn: string): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `${fn}(): no bus to use; install createSwitchboardPlugin({ bus }) on the app, call provideBus(bus) in an ` +
      `ancestor's setup, or pass { bus } to the composable.`,
  );
}

/** A composable ran outside `setup()` and every effect scope, so nothing would ever stop it. */
export function noScope(fn: string): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `${fn}(): call it in a component's setup() or inside effectScope().run(); outside them nothing would ever end ` +
      'its subscription.',
  );
}

/** `useRequest` found no RPC endpoint. */
export function missingRpc(method: string): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `useRequest('${method}'): no rpc to call through; create one with createRpc(bus) from @switchboard/patterns ` +
      'and pass it to provideBus(bus, { rpc }) or createSwitchboardPlugin({ bus, rpc }), or to useRequest(method, { rpc }).',
  );
}

/** A store composable found no registry: none provided and no `registry` option. */
export function missingRegistry(call: string): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `${call}: no store registry to use; install createStoreRegistryPlugin(registry) on the app, ` +
      `call provideStoreRegistry(registry) in an ancestor's setup, or pass { registry } to the composable.`,
  );
}

/** `useStoreValue` was given something that is not a store, a selection or a computed store. */
export function notReadable(value: unknown): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `useStoreValue(): expected a store from registry.get(), a select() or a computed(), got ${value === null ? 'null' : typeof value === 'object' ? 'an object without get/subscribe' : typeof value}.`,
  );
}
