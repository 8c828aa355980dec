import type { AnyBus } from '@switchboard/bus';
import { useResolvedBus } from './switchboard-provider.ts';

/**
 * The bus of the nearest `SwitchboardProvider`. Throws a clear error outside every provider.
 * Typed by the provider's bus only through `createHooks<Topics>()`; this one takes any topic.
 *
 * @example
 * import { useBus } from '@switchboard/react';
 * function Reload() {
 *   const bus = useBus();
 *   return <button onClick={() => bus.publish('catalog.reload', null)}>Reload</button>;
 * }
 */
export function useBus(): AnyBus {
  return useResolvedBus('useBus', undefined);
}
