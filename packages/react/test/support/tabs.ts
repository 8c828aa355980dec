/** Linked in-memory tabs for the leadership and presence suites (heartbeat election on a fake clock). */
import { attachCrossTab, type CrossTabOptions, type CrossTab } from '@switchboard/cross-tab';
import { createTestTabs, type TestTabs } from '@switchboard/testing';

/** A set of test tabs linked by cross-tab, one place to adapt when the kit's options change. */
export function testTabs(): TestTabs<CrossTab, CrossTabOptions> {
  return createTestTabs({ attachCrossTab });
}
