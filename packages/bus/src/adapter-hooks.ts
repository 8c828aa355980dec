import type { BusAdapter } from './adapter.ts';
import type { BusCore } from './bus-core.ts';

/**
 * Files an attached adapter under the hooks it has, so that publish calls only the hooks that
 * exist: an adapter with none on the publish path (a per-app handle's) costs a publish nothing,
 * one with a `check` (schemas) one call, where publish used to visit every adapter twice, for
 * `check` and for `onPublish`. Hooks are read at attach, as `admit` and `clones` always were.
 */
export function fileAdapter(core: BusCore, adapter: BusAdapter): void {
  core.adapters.push(adapter);
  if (typeof adapter.check === 'function') core.checkers.push(adapter);
  if (typeof adapter.onPublish === 'function') core.publishWatchers.push(adapter);
  if (typeof adapter.onInject === 'function') core.injectWatchers.push(adapter);
  if (typeof adapter.admit === 'function') core.admitters.push(adapter);
  if (typeof adapter.clones === 'function') core.cloneChecks.push(adapter.clones);
}

/** Takes `adapter` out of every list it was filed in; false when it was not attached. */
export function unfileAdapter(core: BusCore, adapter: BusAdapter): boolean {
  if (!remove(core.adapters, adapter)) return false;
  remove(core.checkers, adapter);
  remove(core.publishWatchers, adapter);
  remove(core.injectWatchers, adapter);
  remove(core.admitters, adapter);
  remove(core.cloneChecks, adapter.clones);
  return true;
}

/** Empties every list (dispose) and returns the adapters that were attached, in attach order. */
export function unfileAll(core: BusCore): BusAdapter[] {
  core.checkers.length = 0;
  core.publishWatchers.length = 0;
  core.injectWatchers.length = 0;
  core.admitters.length = 0;
  core.cloneChecks.length = 0;
  return core.adapters.splice(0);
}

function remove<T>(list: T[], item: T): boolean {
  const index = list.indexOf(item);
  if (index < 0) return false;
  list.splice(index, 1);
  return true;
}
