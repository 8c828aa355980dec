export { createMemoryChannelHub } from './memory-channel.ts';
export { createFakeClock } from './fake-clock.ts';
export { createFakeLocks } from './fake-locks.ts';
export { createTestTabs } from './test-tabs.ts';
export { isTestingError, TestingError } from './errors.ts';

export type { ChannelLike, MemoryChannel, MemoryChannelHub } from './memory-channel.ts';
export type { FakeClock } from './fake-clock.ts';
export type { FakeLockManager, FakeLockOptions, FakeLocks } from './fake-locks.ts';
export type {
  AttachCrossTab,
  CrossTabLike,
  LinkOptions,
  TabCrossTabOptions,
  TestTab,
  TestTabs,
  TestTabsOptions,
} from './test-tabs.ts';
export type { TestingErrorCode } from './errors.ts';
