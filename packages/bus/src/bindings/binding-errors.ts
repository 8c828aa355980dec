/**
 * The errors both bindings throw alike. Where an error tells how to give what is missing, the
 * binding passes its own words (`howToProvide`): a React app renders a provider, a Vue app
 * installs a plugin. Errors whose whole message is such words stay in each binding.
 */
import { SwitchboardError } from '../errors.ts';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object without subscribe/publish' : typeof value;
}

/** A provider, a plugin, a hook or a composable was given something that is not a bus. */
export function notABus(fn: string, value: unknown): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `${fn}: bus must be a bus from createPubSub() or a handle from forApp(), got ${describe(value)}.`,
  );
}

/**
 * `useLeader` / `usePresence` found nothing to ask: no bus given or provided, no `crossTab`, or a
 * bus it cannot read. `howToProvide` says how the binding's apps give a bus
 * (`'render the component inside <SwitchboardProvider bus={bus}>'`).
 */
export function missingCrossTab(fn: string, howToProvide: string, cause?: unknown): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `${fn}(): nothing to ask about the tabs; ${howToProvide}, or pass { crossTab } (what attachCrossTab() returns) ` +
      `or { bus } to ${fn}().`,
    cause === undefined ? undefined : { cause },
  );
}

/** `useRetained`'s `maxTopics` is not a positive integer. */
export function invalidMaxTopics(pattern: string, value: unknown): SwitchboardError {
  return new SwitchboardError(
    'INVALID_OPTION',
    `useRetained('${pattern}', { maxTopics }): expected a positive integer, got ${String(value)}.`,
  );
}
