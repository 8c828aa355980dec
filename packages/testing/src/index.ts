export { createMemoryChannelHub } from './memory-channel.ts';
export { createFakeClock } from './fake-clock.ts';

export type { ChannelLike, MemoryChannel, MemoryChannelHub } from './memory-channel.ts';
export type { FakeClock } from './fake-clock.ts';
