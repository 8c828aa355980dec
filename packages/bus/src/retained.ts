export { attachRetained, RETAINED_CLEAR, RETAINED_STATE, RETAINED_SYNC } from './attach-retained.ts';
export { clearRetained } from './clear-retained.ts';
export { isRetainedLimitError, RetainedLimitError } from './retained-limit-error.ts';

export type { Retained, RetainedOptions, RetainedStats, RetainedStorage } from './attach-retained.ts';
export type { ReplayTarget, RetainedService } from './retained-subscription.ts';
