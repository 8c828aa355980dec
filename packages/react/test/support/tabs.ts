/** Linked in-memory tabs for the leadership and presence suites (heartbeat election on a fake clock). */
import { createTestTabs, type TestTabs } from '@switchboard/testing';

/** A set of test tabs, one place to adapt when the kit's options change. */
export function testTabs(): TestTabs {
  return createTestTabs();
}
