import { test } from '@playwright/test';
import { loadCase } from '../tests/history-load-case.ts';

// The full load case: 8 tabs publishing 100 every 15 ms, 10,000 each (80,000 in all), two of
// them closing with writes pending. `npm test` runs it with 2,000 per tab.
test('8 tabs publishing 10,000 each, two closing as soon as their loop ends: every message stored once, delivered live once and in order', async ({
  context,
}) => {
  // 80,000 messages offered at 8 x 6,700/s: far above what one tab can commit, so the backlog
  // drains for minutes on a small machine. What must hold is that nothing is lost.
  test.setTimeout(900_000);
  await loadCase(context, 8, Number(process.env.HISTORY_LOAD_PER_TAB ?? 10_000), 600_000);
});
