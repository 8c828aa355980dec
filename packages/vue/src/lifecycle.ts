import { getCurrentInstance, getCurrentScope, onMounted, onScopeDispose } from 'vue';
import { noScope } from './errors.ts';

/**
 * Runs `start` where a subscription belongs, and its returned stop when the scope ends:
 * - in a component's `setup()`, once the component is mounted: never during server rendering
 *   (nothing is mounted there) and after hydration, so the client's first render matches the
 *   server's;
 * - in an `effectScope().run()` (a store, a test), at once.
 * Outside both it throws: nothing would ever end the subscription. Returns a function that stops
 * early; stopping before the mount means it never starts.
 */
export function whileActive(fn: string, start: () => () => void): () => void {
  if (getCurrentScope() === undefined) throw noScope(fn);
  let state: 'waiting' | 'running' | 'stopped' = 'waiting';
  let stopRunning: (() => void) | undefined;
  const run = (): void => {
    if (state !== 'waiting') return;
    state = 'running';
    stopRunning = start();
  };
  const stop = (): void => {
    if (state === 'running') stopRunning!();
    state = 'stopped';
    stopRunning = undefined;
  };
  onScopeDispose(stop);
  if (getCurrentInstance() === null) run();
  else onMounted(run);
  return stop;
}
