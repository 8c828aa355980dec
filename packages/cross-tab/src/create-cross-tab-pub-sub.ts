import { createPubSub, type AnyTopicMap, type PubSubBus, type PubSubOptions, type TopicMap } from '@switchboard/bus';
import { attachCrossTab, type CrossTab } from './cross-tab.ts';
import type { CrossTabOptions } from './cross-tab-options.ts';

/** Options of {@link createCrossTabPubSub}: those of `createPubSub` and of `attachCrossTab`. */
export interface CrossTabPubSubOptions extends PubSubOptions, CrossTabOptions {}

/** A bus with cross-tab delivery; `crossTab` is what `attachCrossTab` returned. */
export type CrossTabPubSub<M extends TopicMap = AnyTopicMap> = PubSubBus<M> & { readonly crossTab: CrossTab };

const CROSS_TAB_KEYS = [
  'channel',
  'channelFactory',
  'maxPayloadBytes',
  'heartbeatMs',
  'tabTimeoutMs',
  'hiddenTabTimeoutMs',
  'leaderElection',
  'locks',
  'lifecycle',
] as const satisfies ReadonlyArray<keyof CrossTabOptions>;

/**
 * Creates a bus that talks to every tab of the origin: `createPubSub` plus `attachCrossTab`, one
 * call. The `clock` option is given to both.
 *
 * @example
 * import { createCrossTabPubSub } from '@switchboard/cross-tab';
 * const bus = createCrossTabPubSub({ app: 'orders', channel: 'shop' });
 * bus.subscribe('inventory.#', (m) => console.log(m.origin.tabId, m.payload));
 * bus.publish('orders.created', { id: 'o1' });
 * bus.crossTab.whenLeader().then(() => console.log('this tab leads'), (e) => console.info(e.message));
 */
export function createCrossTabPubSub<M extends TopicMap = AnyTopicMap>(
  options: CrossTabPubSubOptions,
): CrossTabPubSub<M> {
  const busOptions: Record<string, unknown> = { ...options };
  const crossTabOptions: Record<string, unknown> = {};
  for (const key of CROSS_TAB_KEYS) {
    if (key in busOptions) crossTabOptions[key] = busOptions[key];
    delete busOptions[key];
  }
  if (options.clock !== undefined) crossTabOptions.clock = options.clock;
  const bus = createPubSub<M>(busOptions as unknown as PubSubOptions);
  const crossTab = attachCrossTab(bus, crossTabOptions as CrossTabOptions);
  return Object.assign(bus, { crossTab }) as CrossTabPubSub<M>;
}
