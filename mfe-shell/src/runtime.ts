import { createPubSub, type ErrorContext, type PubSubBus } from '@switchboard/bus';
import { attachCrossTab, type CrossTab } from '@switchboard/cross-tab';
import { createHistoryAdapter, type HistoryAdapter } from '@switchboard/history';

/** The one bus of this tab and what is attached to it; the MFEs receive it through props. */
export interface ShellRuntime {
  readonly bus: PubSubBus;
  readonly crossTab: CrossTab;
  readonly history: HistoryAdapter;
}

/** Every tab of the demo joins this channel and writes to this database. */
const DEMO_CHANNEL = 'switchboard-demo';
const DEMO_DB = 'switchboard-demo';

/**
 * Creates the tab's bus with cross-tab delivery and IndexedDB history. Resolves once history
 * is attached, so the MFEs mount with a history they can rebuild their state from.
 */
export async function createShellRuntime(): Promise<ShellRuntime> {
  const bus = createPubSub({ app: 'shell', onError: reportError });
  const crossTab = attachCrossTab(bus, { channel: DEMO_CHANNEL });
  const history = createHistoryAdapter({
    dbName: DEMO_DB,
    namespace: 'demo',
    // A week: long enough that yesterday's orders are still listed, short enough to stay small.
    ttlSeconds: 7 * 24 * 60 * 60,
    maxMessages: 5000,
    gcIntervalMs: 60_000,
  });
  await history.attach(bus);
  return { bus, crossTab, history };
}

function reportError(error: unknown, context: ErrorContext): void {
  const where =
    context.kind === 'handler'
      ? `handler of '${context.pattern}'`
      : context.kind === 'adapter'
        ? `adapter '${context.adapter}'`
        : 'bus';
  console.error(`[switchboard demo] ${where}${context.message ? ` on '${context.message.topic}'` : ''}:`, error);
}
