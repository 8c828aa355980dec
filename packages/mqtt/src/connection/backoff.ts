import type { ReconnectOptions } from '../mqtt-options.ts';

/**
 * The delay before reconnection attempt `attempt` (0 for the first retry): exponential up to
 * `maxDelayMs`, of which a `jitter` fraction is drawn at random so that the tabs of many users
 * do not all return to a restarted broker at the same moment.
 */
export function backoffDelay(attempt: number, options: Required<ReconnectOptions>, random: () => number): number {
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** attempt);
  return Math.round(base * (1 - options.jitter * random()));
}
