export { createMemoryChannelHub } from './memory-channel.ts';
export { createFakeClock } from './fake-clock.ts';
export { createFakeLocks } from './fake-locks.ts';
export { createTestTabs } from './test-tabs.ts';
// One home for the fakes: the memory history is @switchboard/history's own, re-exported.
export { createMemoryHistory } from '@switchboard/history';

export type { ChannelLike, MemoryChannel, MemoryChannelHub } from './memory-channel.ts';
export type { FakeClock } from './fake-clock.ts';
export type { FakeLockManager, FakeLockOptions, FakeLocks } from './fake-locks.ts';
export type { TestTab, TestTabs, TestTabsOptions } from './test-tabs.ts';
export type { HistoryAdapter, HistoryOptions } from '@switchboard/history';
