/** One look at a condition: done with a value, or not yet, with why (for the timeout message). */
export type PollResult<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly why: string };

// Like Playwright's expect.poll: quick looks first, then a steady pace.
const INTERVALS = [0, 20, 50, 100, 100, 250];

/**
 * Looks at `check` until it is done or `timeout` ms have passed, then calls `fail` with the last
 * reason it gave. Errors thrown by `check` end the wait at once.
 */
export async function pollUntil<T>(
  check: () => Promise<PollResult<T>>,
  timeout: number,
  fail: (why: string) => Error,
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (let attempt = 0; ; attempt++) {
    const result = await check();
    if (result.done) return result.value;
    const left = deadline - Date.now();
    if (left <= 0) throw fail(result.why);
    const interval = INTERVALS[Math.min(attempt, INTERVALS.length - 1)]!;
    await new Promise((resolve) => setTimeout(resolve, Math.min(interval, left)));
  }
}
