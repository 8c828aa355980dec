import { createIdPrefix } from './message-id.ts';

// Shared by every bundled copy of Switchboard in this tab, so all of them agree on the tab's id.
const TAB_KEY = Symbol.for('switchboard.tab');
const TAB_RECORD_VERSION = 1;

interface TabRecord {
  readonly version: number;
  readonly tabId: string;
}

/**
 * The id of this tab: made once per page load and shared by every copy of the library in it. A
 * reloaded or duplicated tab starts a new JavaScript realm and so gets a new id.
 *
 * @example
 * import { getTabId } from '@switchboard/bus';
 * console.log(getTabId()); // 'k3f9x0aa2b'
 */
export function getTabId(): string {
  const registry = globalThis as unknown as Record<symbol, TabRecord | undefined>;
  const existing = registry[TAB_KEY];
  if (existing && existing.version === TAB_RECORD_VERSION) return existing.tabId;
  const record: TabRecord = { version: TAB_RECORD_VERSION, tabId: `t${createIdPrefix()}` };
  Object.defineProperty(registry, TAB_KEY, { value: record, configurable: true });
  return record.tabId;
}
