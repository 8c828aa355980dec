/**
 * True when IndexedDB exists here. Where it does not (or the browser refuses it, as some private
 * modes do), a history still works, in memory, and says so once.
 *
 * @example
 * import { isSupported } from '@switchboard/history';
 * if (!isSupported()) showBanner('History is not saved in this browser mode.');
 */
export function isSupported(): boolean {
  return typeof indexedDB !== 'undefined' && typeof IDBKeyRange !== 'undefined';
}
