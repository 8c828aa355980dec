import {
  isSwitchboardError,
  SwitchboardError,
  systemAccess,
  type AdapterLink,
  type Message,
  type PubSubBus,
  type SystemAccess,
  type Unsubscribe,
} from '@switchboard/bus';
import { APP_DENIED_TOPIC, forApp, type AppBus, type AppPermissions } from '@switchboard/bus/apps';
import type { Session } from './connection.ts';
import { FrameRefusedError } from './errors.ts';
import type { PortWriter } from './port-writer.ts';
import type { PortMessage } from './protocol.ts';
import { shareTabState } from './tab-state.ts';

/** What the frame's history queries read: `@switchboard/history`'s adapter fits it. */
export interface FrameHistorySource {
  /** The history as one app may read it (only what its permissions let it receive). */
  forApp(bus: AppBus): { getHistory(pattern: string, options?: HistoryQuery): Promise<Message[]> };
}

/** The query options a frame may send: those of `getHistory`. */
export interface HistoryQuery {
  fromTime?: number;
  toTime?: number;
  limit?: number;
  order?: 'asc' | 'desc';
}

/** What every session of one frame connection shares. */
export interface AppSessionContext {
  readonly bus: PubSubBus;
  readonly link: AdapterLink;
  readonly app: string;
  readonly permissions: AppPermissions | undefined;
  readonly helpers: readonly string[] | undefined;
  readonly history: FrameHistorySource | undefined;
  /** Totals over the connection's sessions: a reload starts a new session, not new counts. */
  readonly counts: { published: number; refused: number; forwarded: number };
}

const ACTIONS = new Set(['publish', 'subscribe', 'access']);

/**
 * Serves one joined frame's port through a handle of its own, `forApp(bus, app, permissions)`:
 * the frame gets exactly what an in-page app with the same manifest entry gets. Its publishes
 * are the handle's (source stamped, `$sys.` refused, permissions and schemas checked); a `$sys.`
 * topic from its helpers goes through `systemAccess(handle, namespace)`, checked by topic like
 * any helper's; its subscriptions are the handle's, so it receives only what it may. The frame
 * never holds the bus, its adapters or anything but the port.
 */
export function createAppSession(context: AppSessionContext, writer: PortWriter, origin: string): Session {
  const { bus, link, app, counts } = context;
  const adapter = `frame:${app}`;
  const handle: AppBus = forApp(bus, app, {
    ...(context.permissions === undefined ? {} : { permissions: context.permissions }),
    ...(context.helpers === undefined ? {} : { helpers: context.helpers }),
  });
  const accesses = new Map<string, SystemAccess>();
  const subscriptions = new Map<string, Unsubscribe>();
  // Messages the frame published: its own subscribers saw them already, in the frame.
  const own = new WeakSet<Message>();
  let reader: ReturnType<FrameHistorySource['forApp']> | undefined;
  // The frame runs in this tab: its helpers see this tab's leadership and presence.
  const stopSharing = shareTabState(bus, link, writer);
  let outbox: Message[] = [];
  let scheduled = false;
  let closed = false;

  function access(namespace: string): SystemAccess {
    let found = accesses.get(namespace);
    if (found === undefined) {
      found = systemAccess(handle, namespace, { name: adapter });
      accesses.set(namespace, found);
    }
    return found;
  }

  /** The literal namespace of a `$sys.<namespace>.…` topic or pattern, if it has one. */
  function namespaceOf(subject: string): string | undefined {
    if (!subject.startsWith('$sys.')) return undefined;
    const namespace = subject.split('.')[1];
    return namespace === undefined || namespace === '+' || namespace === '#' ? undefined : namespace;
  }

  // Forwarding waits for the end of the synchronous run: by then `own` knows the frame's own
  // messages (delivered while `publish` ran), and a burst is one post.
  function forward(message: Message): void {
    if (outbox[outbox.length - 1] === message) return; // matched by two of the frame's patterns
    outbox.push(message);
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(sendOutbox);
  }

  function sendOutbox(): void {
    scheduled = false;
    const batch = outbox;
    outbox = [];
    if (closed) return;
    for (const message of batch) {
      if (own.has(message)) continue;
      counts.forwarded++;
      writer.write({ t: 'msg', m: message });
    }
  }

  function refuse(subject: string, error: unknown): void {
    counts.refused++;
    link.reportError(error, { kind: 'adapter', adapter });
    writer.write({ t: 'refused', subject, ...describe(error) });
  }

  function publish(message: Extract<PortMessage, { t: 'pub' }>): void {
    const { topic, payload } = message;
    const meta = Object.keys(message.meta).length === 0 ? undefined : message.meta;
    const namespace = namespaceOf(topic);
    const published =
      namespace === undefined ? handle.publish(topic, payload, meta) : access(namespace).publish(topic, payload, meta);
    own.add(published);
    counts.published++;
  }

  function subscribe(pattern: string): void {
    if (subscriptions.has(pattern)) return;
    const namespace = namespaceOf(pattern);
    const unsubscribe =
      namespace === undefined ? handle.subscribe(pattern, forward) : access(namespace).subscribe(pattern, forward);
    subscriptions.set(pattern, unsubscribe);
  }

  function reportDenial(message: Extract<PortMessage, { t: 'denied' }>): void {
    if (!ACTIONS.has(message.action)) {
      refuse(
        APP_DENIED_TOPIC,
        new FrameRefusedError(
          'malformed',
          origin,
          `connectFrame('${app}'): the frame at ${origin} reported a denial of the unknown action '${message.action}'; ignored.`,
        ),
      );
      return;
    }
    // The frame's own handle refused a call: the host says so for the app, as forApp would.
    link.publishAs(app, APP_DENIED_TOPIC, {
      app,
      action: message.action,
      subject: message.subject,
      rule: message.rule,
      tabId: link.tabId,
      origin,
    });
  }

  async function answer(message: Extract<PortMessage, { t: 'query' }>): Promise<void> {
    const { n, pattern } = message;
    try {
      if (context.history === undefined) {
        throw new SwitchboardError(
          'UNSUPPORTED',
          `getHistory('${pattern}'): the host passed no history to connectFrame('${app}'), so a frame cannot read it; pass { history } there.`,
        );
      }
      reader ??= context.history.forApp(handle);
      const messages = await reader.getHistory(pattern, queryOf(message.options));
      if (!closed) writer.write({ t: 'result', n, messages });
    } catch (error) {
      link.reportError(error, { kind: 'adapter', adapter });
      if (!closed) writer.write({ t: 'result', n, error: describe(error) });
    }
  }

  return {
    receive(message) {
      if (closed) return;
      try {
        switch (message.t) {
          case 'pub':
            publish(message);
            break;
          case 'sub':
            subscribe(message.pattern);
            break;
          case 'unsub':
            subscriptions.get(message.pattern)?.();
            subscriptions.delete(message.pattern);
            break;
          case 'denied':
            reportDenial(message);
            break;
          case 'query':
            void answer(message);
            break;
          case 'flush':
            void handle.flush().then(
              () => writer.write({ t: 'flushed', n: message.n }),
              (error: unknown) => refuse('flush', error),
            );
            break;
          default:
            refuse(
              message.t,
              new FrameRefusedError(
                'malformed',
                origin,
                `connectFrame('${app}'): the frame at ${origin} sent a '${message.t}' message, which only a host sends; ignored.`,
              ),
            );
        }
      } catch (error) {
        refuse(message.t === 'pub' ? message.topic : message.t === 'sub' ? message.pattern : message.t, error);
      }
    },
    close() {
      if (closed) return;
      closed = true;
      outbox = [];
      stopSharing();
      // Drops every subscription and helper access made for the frame.
      handle.dispose();
    },
  };
}

/** An error as it crosses the port: its code, name and message. */
function describe(error: unknown): { code: string; name: string; message: string } {
  const known = isSwitchboardError(error);
  return {
    code: known ? error.code : 'FRAME_REFUSED',
    name: known ? error.name : 'Error',
    message: error instanceof Error ? error.message : String(error),
  };
}

/** The query options the frame sent, keeping only those `getHistory` reads, of their types. */
function queryOf(options: Record<string, unknown>): HistoryQuery {
  const query: HistoryQuery = {};
  if (typeof options.fromTime === 'number') query.fromTime = options.fromTime;
  if (typeof options.toTime === 'number') query.toTime = options.toTime;
  if (typeof options.limit === 'number') query.limit = options.limit;
  if (options.order === 'asc' || options.order === 'desc') query.order = options.order;
  return query;
}
