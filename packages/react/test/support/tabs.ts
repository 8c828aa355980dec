/** Linked in-memory tabs for the leadership and presence suites (heartbeat election on a fake clock). */
import { attachCrossTab, type CrossTabOptions, type CrossTab } from '@switchboard/cross-tab';
import { createTestTabs, type TestTabs } from '@switchboard/testing';

/** A set of test tabs linked by cross-tab, one place to adapt when the kit's options change. */
export function testTabs(): TestTabs<CrossTab, CrossTabOptions> {
  return createTestTabs({ attachCrossTab });
}

/**
 * Counts the listeners added to `crossTab` through `method` and not yet removed, by wrapping it;
 * returns the count's reader, so a test can see a hook or composable stop listening.
 */
export function countListeners(crossTab: CrossTab, method: 'onChange' | 'onLeaderChange'): () => number {
  let listening = 0;
  const add = crossTab[method] as (listener: never) => () => void;
  crossTab[method] = ((listener: never) => {
    listening++;
    const off = add(listener);
    return () => {
      listening--;
      off();
    };
  }) as never;
  return () => listening;
}
