import { type App, hasInjectionContext, type InjectionKey, inject, provide } from 'vue';
import type { AnyBus } from '@switchboard/bus';
import { type CrossTabSource, isBus, notABus, type RpcSource } from '@switchboard/bus/internal';
import { missingBus } from './errors.ts';

/** What is provided to the composables of a component tree. */
export interface Switchboard {
  readonly bus: AnyBus;
  readonly crossTab: CrossTabSource | undefined;
  readonly rpc: RpcSource | undefined;
}

/** Options of {@link provideBus} and {@link createSwitchboardPlugin}, besides the bus. */
export interface ProvideOptions {
  /**
   * Leadership and presence for `useLeader` and `usePresence`: what `attachCrossTab()` returns.
   * @default `bus.crossTab` when the bus comes from `createCrossTabPubSub()`
   */
  crossTab?: CrossTabSource | undefined;
  /** The RPC endpoint `useRequest` calls through: `createRpc(bus)` from `@switchboard/patterns`. */
  rpc?: RpcSource | undefined;
}

// Symbol.for, so a copy of this package bundled into another app's code finds what this one provided.
const SWITCHBOARD: InjectionKey<Switchboard> = Symbol.for('switchboard.vue@1');

function provided(fn: string, bus: unknown, options: ProvideOptions): Switchboard {
  if (!isBus(bus)) throw notABus(fn, bus);
  return { bus, crossTab: options.crossTab, rpc: options.rpc };
}

/**
 * Gives the composables of this component and its descendants a bus (and, for those that need
 * them, the tab's cross-tab and an RPC endpoint). Call it in `setup()`. What is provided is only
 * handed on: whoever created it disposes it.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { provideBus } from '@switchboard/vue';
 * import { defineComponent, h } from 'vue';
 * const bus = createPubSub({ app: 'orders' });
 * export const Root = defineComponent(() => {
 *   provideBus(bus);
 *   return () => h('main');
 * });
 */
export function provideBus(bus: AnyBus, options: ProvideOptions = {}): void {
  provide(SWITCHBOARD, provided('provideBus(bus)', bus, options));
}

/** Options of {@link createSwitchboardPlugin}. */
export interface SwitchboardPluginOptions extends ProvideOptions {
  /** The bus of the app: the full bus of the tab, or the handle the host gave this app. */
  bus: AnyBus;
}

/**
 * A plugin that provides a bus to every component of the app, as {@link provideBus} does for a
 * subtree.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { createSwitchboardPlugin } from '@switchboard/vue';
 * import { createApp, h } from 'vue';
 * const app = createApp({ render: () => h('main') });
 * app.use(createSwitchboardPlugin({ bus: createPubSub({ app: 'orders' }) }));
 */
export function createSwitchboardPlugin(options: SwitchboardPluginOptions): { install(app: App): void } {
  const value = provided('createSwitchboardPlugin({ bus })', options?.bus, options);
  return {
    install(app) {
      app.provide(SWITCHBOARD, value);
    },
  };
}

/** What the nearest provider gave, or null (also outside `setup()`, in a bare effect scope). */
export function injectSwitchboard(): Switchboard | null {
  return hasInjectionContext() ? inject(SWITCHBOARD, null) : null;
}

/** The bus a composable uses: the one it was given, else the provided one. Throws naming `fn` when neither. */
export function resolveBus(fn: string, given: AnyBus | undefined): AnyBus {
  if (given !== undefined) {
    if (!isBus(given)) throw notABus(`${fn}({ bus })`, given);
    return given;
  }
  const context = injectSwitchboard();
  if (context === null) throw missingBus(fn);
  return context.bus;
}

/**
 * The bus provided to this component (by {@link provideBus} or the plugin). Throws a clear error
 * when none was. Typed by a topic map only through `createComposables<Topics>()`.
 *
 * @example
 * import { injectBus } from '@switchboard/vue';
 * import { defineComponent, h } from 'vue';
 * export const Reload = defineComponent(() => {
 *   const bus = injectBus();
 *   return () => h('button', { onClick: () => bus.publish('catalog.reload', null) }, 'Reload');
 * });
 */
export function injectBus(): AnyBus {
  return resolveBus('injectBus', undefined);
}
