/**
 * Resolves in a new task of the event loop, after the tasks already queued (a publish from a click
 * or from another tab, say) have run. A resolved promise is not enough: its continuation runs in
 * the same task, before any of them.
 *
 * A `MessageChannel` message rather than `setTimeout(0)`: browsers clamp nested timeouts to 4 ms,
 * and test tools that fake timers (Vitest's, an injected clock) leave it real.
 */
export function nextTask(): Promise<void> {
  if (typeof MessageChannel !== 'function') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      // Closed at once: an open port keeps Node's event loop alive.
      port1.close();
      resolve();
    };
    port2.postMessage(undefined);
  });
}
