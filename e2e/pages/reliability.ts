// Reliability page: one bus per tab with cross-tab and an IndexedDB history, a circuit breaker
// with a short reset timeout and a durable saga whose compensations can be made to hang, for
// e2e/tests/reliability.spec.ts. With ?forger=1 the page is a tab without a breaker that posts
// whatever it is told on the breaker's system topics, as any script of the origin could.
import { createPubSub, type AdapterLink, type Message } from '@switchboard/bus';
import { attachCrossTab } from '@switchboard/cross-tab';
import { createHistoryAdapter } from '@switchboard/history';
import { createCircuitBreaker, createSaga } from '@switchboard/patterns';
import { createIdbSagaLog } from '@switchboard/patterns/durable';

const CIRCUIT = 'forgery';
const RESET_MS = 1500;

const errors: string[] = [];
const bus = createPubSub({ app: 'reliability', onError: (error) => void errors.push(String(error)) });
attachCrossTab(bus, { channel: 'reliability-e2e' });
const history = createHistoryAdapter({ dbName: 'reliability-e2e-history' });
const historyReady = history.attach(bus);
const received: string[] = [];
bus.subscribe('payloads.#', (message: Message) => void received.push(message.topic));

let link: AdapterLink | undefined;
bus.attach({
  name: 'e2e-forger',
  connect: (l) => {
    link = l;
  },
});

const forger = new URLSearchParams(location.search).has('forger');
const breaker = forger
  ? undefined
  : createCircuitBreaker(bus, { name: CIRCUIT, threshold: 1, resetTimeoutMs: RESET_MS, claimTimeoutMs: 300 });

// When this tab's circuit changed state, by its own clock: how long a forged OPEN held is
// measured where it held, not across the test runner's round trips.
const transitions: { state: string; at: number }[] = [];
breaker?.onStateChange((event) => void transitions.push({ state: event.state, at: performance.now() }));

// The effects of the saga's steps go to localStorage, which every tab (and the test) reads.
function append(key: string, entry: string): void {
  localStorage.setItem(key, JSON.stringify([...JSON.parse(localStorage.getItem(key) ?? '[]'), entry]));
}
const sagaLog = createIdbSagaLog({ dbName: 'reliability-e2e-sagas' });
const STEPS = ['reserve', 'pay', 'ship', 'notify'];
const saga = createSaga<{ order: string }>(bus, {
  name: 'e2e-compensation',
  durable: sagaLog,
  leaseMs: 1000,
  steps: STEPS.map((name) => ({
    name,
    action: ({ input }) => {
      append(`done:${input.order}`, name);
      // 'notify' never finishes: the test closes the tab while it runs.
      return name === 'notify' ? new Promise(() => {}) : `${name}-${input.order}`;
    },
    compensation: ({ input, idempotencyKey, rerun }) => {
      append(`undo:${input.order}`, `${bus.tabId} ${idempotencyKey}${rerun ? ' rerun' : ''}`);
      // The test makes one compensation hang, then closes the tab running it.
      if (localStorage.getItem(`hang:${input.order}`) === name) return new Promise(() => {});
      return undefined;
    },
  })),
});

/** Builds, in the page, a payload the structured clone refuses or reading it throws. */
function badPayload(kind: string): { payload: unknown; meta?: Record<string, unknown> } {
  switch (kind) {
    case 'revoked-proxy': {
      const { proxy, revoke } = Proxy.revocable({ id: 1 }, {});
      revoke();
      return { payload: { order: proxy } };
    }
    case 'throwing-getter':
      return {
        payload: {
          id: 1,
          get total(): number {
            throw new Error('total is not loaded');
          },
        },
      };
    case 'deep': {
      const root: Record<string, unknown> = {};
      let at = root;
      for (let i = 0; i < 200_000; i++) {
        const next: Record<string, unknown> = {};
        at.next = next;
        at = next;
      }
      return { payload: root };
    }
    case 'live-proxy':
      return { payload: { id: 1, customer: new Proxy({ name: 'Ada' }, {}) } };
    case 'function-in-meta':
      return { payload: { id: 1 }, meta: { onDone: () => {} } };
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

const reliability = {
  tabId: bus.tabId,
  received,
  errors,
  /** Publishes a bad payload on `payloads.<kind>` and returns what publish threw. */
  publishBad(kind: string) {
    const { payload, meta } = badPayload(kind);
    try {
      bus.publish(`payloads.${kind}`, payload, meta);
      return { thrown: false };
    } catch (error) {
      const e = error as {
        name?: string;
        code?: string;
        topic?: string;
        path?: string;
        reason?: string;
        message?: string;
      };
      return {
        thrown: true,
        name: e.name,
        code: e.code,
        topic: e.topic,
        path: e.path,
        reason: e.reason,
        message: e.message,
      };
    }
  },
  publishOk: () => void bus.publish('payloads.ok', { id: 1 }),
  async storedTopics(): Promise<string[]> {
    await historyReady;
    await bus.flush();
    return (await history.getHistory('payloads.#')).map((m) => m.topic);
  },

  forge: (kind: string, payload: unknown) => void link!.publishSystem(`$sys.circuit.${CIRCUIT}.${kind}`, payload),
  circuitState: () => breaker?.state(),
  rejectedMessages: () => breaker?.stats().rejectedMessages,
  /**
   * How long each OPEN of this tab's circuit held, in milliseconds by its own clock: until the
   * change after it, or until now for one still open.
   */
  openSpansMs(): number[] {
    return transitions.flatMap((t, i) =>
      t.state === 'OPEN' ? [(transitions[i + 1]?.at ?? performance.now()) - t.at] : [],
    );
  },
  /** Every state change of this tab's circuit, as it happened. */
  transitions: () => transitions.map((t) => `${t.state}@${t.at.toFixed(0)}`),
  /** Runs a call through the breaker: 'ok', 'CIRCUIT_OPEN', or another error's name and message. */
  async call(): Promise<string> {
    try {
      return await breaker!.execute(async () => 'ok');
    } catch (error) {
      const e = error as { code?: string; name?: string; message?: string };
      return e.code === 'CIRCUIT_OPEN' ? 'CIRCUIT_OPEN' : `${e.name}: ${e.message}`;
    }
  },

  startSaga: (order: string) => void saga.execute({ order }, { sagaId: order }),
  unfinishedSagas: async () => (await sagaLog.unfinished('e2e-compensation')).map((record) => record.id),
};

declare global {
  interface Window {
    __reliability: typeof reliability;
  }
}
window.__reliability = reliability;
