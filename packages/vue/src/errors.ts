/**
 * Errors of the Vue bindings: a composable that cannot find what it needs says which one, what
 * is missing and how to give it. They are `SwitchboardError`s, so `isSwitchboardError(error,
 * 'INVALID_OPTION')` recognises them across bundled copies.
 */
import { SwitchboardError } from '@switchboard/bus';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object without subscribe/publish' : typeof value;
}

/** A composable ran where nothing provides a bus and was given none. */
export function missingBus(fn: string): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `${fn}(): no bus to use; install createSwitchboardPlugin({ bus }) on the app, call provideBus(bus) in an ` +
      `ancestor's setup, or pass { bus } to the composable.`,
  );
}

/** Something that is not a bus was given as one. */
export function notABus(fn: string, value: unknown): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `${fn}: bus must be a bus from createPubSub() or a handle from forApp(), got ${describe(value)}.`,
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

/** `useLeader` / `usePresence` found nothing to ask: nothing provided, no `crossTab`, no bus it can read. */
export function missingCrossTab(fn: string, cause?: unknown): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `${fn}(): nothing to ask about the tabs; provide a bus (createSwitchboardPlugin({ bus }) or provideBus(bus)), or ` +
      `pass { crossTab } (what attachCrossTab() returns) or { bus } to ${fn}().`,
    cause === undefined ? undefined : { cause },
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

/** `useRetained`'s `maxTopics` is not a positive integer. */
export function invalidMaxTopics(pattern: string, value: unknown): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `useRetained('${pattern}', { maxTopics }): expected a positive integer, got ${String(value)}.`,
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
