/**
 * `@switchboard/bus/internal`: what Switchboard's own packages share and apps do not need. Not
 * part of the public API: it may change in any release, without notice. Import from
 * `@switchboard/bus` instead.
 */
export { warnOnce } from './warn-once.ts';
export { systemClock } from './clock.ts';
export { findUncloneable } from './cloneable.ts';
export { installDevtoolsHook } from './devtools-hook.ts';
export { brandError, hasErrorBrand } from './errors.ts';
export { assertPattern, assertTopic, MAX_TOPIC_DEPTH, MAX_TOPIC_LENGTH, SYSTEM_PREFIX } from './topic.ts';

export type { DevtoolsHook, DevtoolsTap } from './devtools-hook.ts';
