import { SwitchboardError, topicMatches, type Message } from '@switchboard/bus';
import { assertPattern } from '@switchboard/bus/internal';
import type { Session } from './connection.ts';
import { HubUnreachableError } from './errors.ts';
import type { FrameHostCore } from './frame-host.ts';
import type { PortWriter } from './port-writer.ts';
import type { HubReach } from './site-probe.ts';
import type { FrameElementLike } from './window-like.ts';

/** Options of `connectHub`. */
export interface ConnectHubOptions {
  /** The hub page's URL (a page calling `serveHub()`), on the hub origin. */
  url: string;
  /**
   * Topic patterns relayed to and accepted from the other origins. `$sys.` patterns must name a
   * helper namespace (`'$sys.rpc.#'`); the runtime's own (tabs, leadership, presence, frames,
   * the broker, history, denials) belong to each origin and never cross.
   * @default ['#']
   */
  relay?: readonly string[];
  /**
   * How long the hub has to answer before it is reported unreachable.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Where the hidden hub iframe goes.
   * @default document.body
   */
  container?: { appendChild(node: unknown): unknown };
  /** A ready element instead of a new hidden iframe (tests, or a page that renders its own). */
  element?: FrameElementLike;
  /**
   * This page's origin, to drop the copies of its own origin's messages (cross-tab delivers those).
   * @default location.origin
   */
  selfOrigin?: string;
}

/**
 * Where a hub connection is: `connecting` until the hub answers, `connected` while it reaches the
 * site's other origins, `partitioned` or `unsupported` when its browser keeps it apart (see
 * {@link HubUnreachableError}), `unreachable` when it did not answer in time, `closed`.
 */
export type HubStatus = 'connecting' | 'connected' | 'partitioned' | 'unsupported' | 'unreachable' | 'closed';

/** Counters of a hub connection. */
export interface HubStats {
  readonly status: HubStatus;
  /** Messages of this page sent to the other origins. */
  readonly sent: number;
  /** Messages from the other origins delivered here. */
  readonly received: number;
  /** Copies of this origin's own messages dropped (cross-tab already delivered them). */
  readonly sameOrigin: number;
  /** Relayed messages dropped because no `relay` pattern matches them. */
  readonly refused: number;
}

/** This page's link to its site's other origins. */
export interface HubConnection {
  readonly status: HubStatus;
  /** Resolves once the hub reaches the site; rejects with a `HubUnreachableError` when it cannot. */
  ready(): Promise<void>;
  stats(): HubStats;
  /** Leaves the hub and removes its iframe. */
  close(): void;
}

const TRANSPORT = ['tab', 'leader', 'presence', 'frame', 'mqtt', 'history', 'app'];

/** Connects `core`'s bus to a hub frame; see `FrameHost.connectHub`. */
export function connectHubTo(core: FrameHostCore, options: ConnectHubOptions): HubConnection {
  const hubOrigin = originOf(options?.url);
  const relay = checkRelay(options.relay ?? ['#']);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const selfOrigin = options.selfOrigin ?? (globalThis as { location?: { origin?: string } }).location?.origin;
  const counts = { sent: 0, received: 0, sameOrigin: 0, refused: 0 };
  const waiting = new Set<{ resolve(): void; reject(error: unknown): void }>();
  let status: HubStatus = 'connecting';
  let writer: PortWriter | undefined;
  let timer: unknown;
  const element = options.element ?? createHiddenFrame(options.url, options.container);

  const relays = (topic: string): boolean => relay.some((pattern) => topicMatches(pattern, topic));

  function settle(next: HubStatus, error?: HubUnreachableError): void {
    status = next;
    if (error !== undefined) core.report(error);
    if (next === 'connecting') return;
    for (const waiter of [...waiting]) {
      if (next === 'connected') waiter.resolve();
      else
        waiter.reject(
          error ??
            new HubUnreachableError(
              'timeout',
              hubOrigin,
              `connectHub('${options.url}'): the connection was closed before the hub answered.`,
            ),
        );
    }
    waiting.clear();
  }

  function arm(): void {
    core.clock.clearTimeout(timer);
    timer = core.clock.setTimeout(() => {
      if (status !== 'connecting') return;
      settle(
        'unreachable',
        new HubUnreachableError(
          'timeout',
          hubOrigin,
          `connectHub('${options.url}'): the hub did not answer within ${timeoutMs} ms, so this page reaches only its own origin; check that the URL serves serveHub() and that its hostOrigins list ${selfOrigin ?? 'this origin'}.`,
        ),
      );
    }, timeoutMs);
  }

  const unobserve = core.observe((message: Message) => {
    if (writer === undefined || status !== 'connected' || !relays(message.topic)) return;
    writer.write({ t: 'msg', m: message });
    counts.sent++;
  });

  function reachStatus(reach: HubReach): void {
    if (reach === 'site') {
      core.clock.clearTimeout(timer);
      settle('connected');
      return;
    }
    core.clock.clearTimeout(timer);
    settle(
      reach,
      new HubUnreachableError(
        reach,
        hubOrigin,
        reach === 'partitioned'
          ? `connectHub('${options.url}'): the hub is third-party in this page (not on the top-level page's site), so the browser gives it a partition of its own and it would reach only some tabs; nothing is relayed. Serve the hub from an origin of this site.`
          : `connectHub('${options.url}'): the hub frame has no BroadcastChannel, so nothing is relayed; this page reaches only its own origin.`,
      ),
    );
  }

  function openSession(port: PortWriter): Session {
    writer = port;
    return {
      receive(message) {
        if (message.t === 'status') reachStatus(message.reach);
        else if (message.t === 'msg') deliver(message.m, message.from);
      },
      close() {
        if (writer === port) writer = undefined;
        // The hub frame reloaded or went silent: it has timeoutMs to come back. (Closed for
        // good, the connection calls `closed` right after.)
        if (connection.state !== 'closed' && status !== 'closed') {
          status = 'connecting';
          arm();
        }
      },
    };
  }

  function deliver(message: Message, from: string | undefined): void {
    if (status !== 'connected') return;
    if (from === selfOrigin && core.link.lookup('presence') !== undefined) {
      counts.sameOrigin++;
      return;
    }
    if (!relays(message.topic)) {
      counts.refused++;
      return;
    }
    counts.received++;
    core.link.inject(message);
  }

  function shut(): void {
    if (status === 'closed') return;
    core.clock.clearTimeout(timer);
    unobserve();
    settle('closed', undefined);
    if (options.element === undefined) (element as { remove?(): void }).remove?.();
  }

  const connection = core.connect({
    role: 'hub',
    app: 'hub',
    origins: [hubOrigin],
    element,
    grant: () => ({ app: 'hub', tabId: core.link.tabId, heartbeatMs: core.heartbeatMs }),
    openSession,
    // hub.close(), or the frame host disposed with its bus: no more waiting, no report.
    closed: shut,
  });
  arm();

  return {
    get status() {
      return status;
    },
    ready() {
      if (status === 'connected') return Promise.resolve();
      if (status !== 'connecting') {
        return Promise.reject(
          new HubUnreachableError(
            status === 'partitioned' || status === 'unsupported' ? status : 'timeout',
            hubOrigin,
            `connectHub('${options.url}'): the hub is ${status}.`,
          ),
        );
      }
      return new Promise<void>((resolve, reject) => waiting.add({ resolve, reject }));
    },
    stats: () => ({ status, ...counts }),
    close() {
      connection.close();
      shut();
    },
  };
}

function originOf(url: unknown): string {
  try {
    const origin = new URL(String(url)).origin;
    if (typeof url === 'string' && origin !== 'null') return origin;
  } catch (error) {
    throw invalid(`connectHub(): url must be the absolute URL of the hub page, got ${JSON.stringify(url)}.`, error);
  }
  throw invalid(`connectHub(): url must be the absolute http(s) URL of the hub page, got ${JSON.stringify(url)}.`);
}

function checkRelay(patterns: readonly string[]): readonly string[] {
  if (!Array.isArray(patterns) || patterns.length === 0) {
    throw invalid(`connectHub(): relay must be a non-empty list of topic patterns such as '#'.`);
  }
  for (const pattern of patterns) {
    assertPattern(pattern, 'connectHub');
    const [first, namespace] = pattern.split('.');
    if (first !== '$sys') continue;
    if (namespace === undefined || namespace === '+' || namespace === '#' || TRANSPORT.includes(namespace)) {
      throw invalid(
        `connectHub(): relay pattern '${pattern}' reaches the runtime's own topics (${TRANSPORT.map((name) => `$sys.${name}`).join(', ')}), which belong to each origin; name a helper namespace such as '$sys.rpc.#'.`,
      );
    }
  }
  return Object.freeze([...patterns]);
}

function createHiddenFrame(url: string, container: ConnectHubOptions['container']): FrameElementLike {
  const doc = (globalThis as { document?: Document }).document;
  if (doc === undefined) {
    throw new SwitchboardError(
      'UNSUPPORTED',
      'connectHub(): there is no document to add the hub frame to; pass options.element.',
    );
  }
  const iframe = doc.createElement('iframe');
  iframe.src = url;
  iframe.title = 'Switchboard hub';
  iframe.hidden = true;
  iframe.tabIndex = -1;
  iframe.setAttribute('aria-hidden', 'true');
  iframe.style.display = 'none';
  (container ?? doc.body).appendChild(iframe);
  return iframe as unknown as FrameElementLike;
}

function invalid(message: string, cause?: unknown): SwitchboardError {
  return new SwitchboardError('INVALID_OPTION', message, cause === undefined ? undefined : { cause });
}
