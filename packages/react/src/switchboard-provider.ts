import { createContext, createElement, type ReactElement, type ReactNode, useContext, useMemo } from 'react';
import type { AnyBus } from '@switchboard/bus';
import { type CrossTabSource, isBus, notABus, type RpcSource } from '@switchboard/bus/internal';
import { missingBus } from './errors.ts';

/** What a provider gives the hooks below it. */
export interface Switchboard {
  readonly bus: AnyBus;
  readonly crossTab: CrossTabSource | undefined;
  readonly rpc: RpcSource | undefined;
}

const SwitchboardContext = /* @__PURE__ */ createContext<Switchboard | null>(null);

/** Props of {@link SwitchboardProvider}. */
export interface SwitchboardProviderProps {
  /** The bus the hooks below use: the full bus of the tab, or the handle the host gave this app. */
  bus: AnyBus;
  /**
   * Leadership and presence for `useLeader` and `usePresence`: what `attachCrossTab()` returns.
   * @default `bus.crossTab` when the bus comes from `createCrossTabPubSub()`
   */
  crossTab?: CrossTabSource | undefined;
  /** The RPC endpoint `useRequest` calls through: `createRpc(bus)` from `@switchboard/patterns`. */
  rpc?: RpcSource | undefined;
  children?: ReactNode;
}

/**
 * Gives the Switchboard hooks of a React tree their bus (and, for the hooks that need them, the
 * tab's cross-tab and an RPC endpoint). Each provider stands alone: a nested one does not inherit
 * `crossTab` or `rpc` from an outer one, since they belong to its own bus. The provider only
 * hands these on; whoever created them disposes them.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { SwitchboardProvider } from '@switchboard/react';
 * import { createElement } from 'react';
 * const bus = createPubSub({ app: 'orders' });
 * const app = createElement(SwitchboardProvider, { bus }, createElement('main'));
 */
export function SwitchboardProvider({ bus, crossTab, rpc, children }: SwitchboardProviderProps): ReactElement {
  if (!isBus(bus)) throw notABus('<SwitchboardProvider bus>', bus);
  const value = useMemo<Switchboard>(() => ({ bus, crossTab, rpc }), [bus, crossTab, rpc]);
  return createElement(SwitchboardContext.Provider, { value }, children);
}

/** The nearest provider's value, or null outside every provider. */
export function useSwitchboard(): Switchboard | null {
  return useContext(SwitchboardContext);
}

/** The bus a hook uses: the one it was given, else its provider's. Throws naming `fn` when neither. */
export function useResolvedBus(fn: string, given: AnyBus | undefined): AnyBus {
  const context = useSwitchboard();
  if (given !== undefined) {
    if (!isBus(given)) throw notABus(`${fn}({ bus })`, given);
    return given;
  }
  if (context === null) throw missingBus(fn);
  return context.bus;
}
