import type { TabChannel } from './tab-channel.ts';

/**
 * Shared by every bundled copy of cross-tab in this tab (of this registry version), so that all
 * of them use one channel and one heartbeat per channel name. The version is part of the key: a
 * copy with another version keeps its own registry and meets the others over the channel, as
 * separate tabs' buses do.
 */
const REGISTRY_KEY = Symbol.for('switchboard.cross-tab.registry@1');
const REGISTRY_VERSION = 1;

/** The tab's shared channels, by the settings they were opened with. */
export interface TabRegistry {
  readonly version: number;
  readonly channels: Map<string, TabChannel>;
  /** Numbers for injected objects (a clock, a channel factory), so they can be part of a key. */
  readonly ids: WeakMap<object, number>;
  nextId: number;
}

/** This tab's registry, made on first use. */
export function getTabRegistry(): TabRegistry {
  const slots = globalThis as unknown as Record<symbol, TabRegistry | undefined>;
  const existing = slots[REGISTRY_KEY];
  if (existing?.version === REGISTRY_VERSION) return existing;
  const registry: TabRegistry = { version: REGISTRY_VERSION, channels: new Map(), ids: new WeakMap(), nextId: 1 };
  Object.defineProperty(slots, REGISTRY_KEY, { value: registry, configurable: true });
  return registry;
}

/**
 * A key part for `value`: its name when it is the platform's default (the same in every copy),
 * else a number per object.
 */
export function keyOf(registry: TabRegistry, value: object | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  let id = registry.ids.get(value);
  if (id === undefined) {
    id = registry.nextId++;
    registry.ids.set(value, id);
  }
  return `#${id}`;
}

/** Every shared channel of this tab on one lock name holds it or not: the tab leads or not. */
export function tabHoldsLock(registry: TabRegistry, tabId: string, lockName: string): boolean {
  for (const channel of registry.channels.values()) {
    if (channel.tabId === tabId && channel.lockName === lockName && channel.holdsLock()) return true;
  }
  return false;
}

/** Tells the tab's other shared channels on `lockName` that this tab's lock state changed. */
export function lockChanged(registry: TabRegistry, source: TabChannel): void {
  for (const channel of registry.channels.values()) {
    if (channel !== source && channel.tabId === source.tabId && channel.lockName === source.lockName) {
      channel.leadershipChanged();
    }
  }
}
