import { SwitchboardError } from '@switchboard/bus';
import { defineManifest, TRANSPORT_NAMESPACES, type AppPermissions } from '@switchboard/bus/apps';
import { createAppSession, type AppSessionContext, type FrameHistorySource } from './app-session.ts';
import type { FrameConnectionState, FrameConnectionStats } from './connection.ts';
import type { FrameHostCore } from './frame-host.ts';
import { pinOrigins, type OriginList } from './origins.ts';
import type { FrameElementLike } from './window-like.ts';

/** Options of `connectFrame`. */
export interface ConnectFrameOptions {
  /** The origin the frame's document must come from, or a list of them (never `'*'`). */
  origin: OriginList;
  /** The app the frame is: stamped as `source` on everything it publishes. */
  app: string;
  /**
   * What the app may do: its manifest entry. Sent to the frame in the handshake (its handle
   * throws `PermissionError` at once) and enforced again here. Without it nothing is checked.
   * @default undefined
   */
  permissions?: AppPermissions;
  /**
   * The helper namespaces the frame's helpers may reach, as with `forApp`.
   * @default ['rpc', 'aggregate', 'saga', 'circuit', 'store', 'retained']
   */
  helpers?: readonly string[];
  /**
   * The host's history, so the frame can read it with `frameHistory(bus)` (as its app may:
   * `history.forApp(handle)` answers each query). Without it a frame's queries are refused.
   * @default undefined
   */
  history?: FrameHistorySource;
}

/** Counters of a frame connection; message counts add up over the frame's reloads. */
export interface FrameAppStats extends FrameConnectionStats {
  /** Messages the host published for the frame. */
  readonly published: number;
  /** Messages sent down to the frame. */
  readonly forwarded: number;
}

/** The host's link to one iframe MFE, across its reloads. */
export interface FrameConnection {
  readonly app: string;
  /** `waiting` for the frame to say hello, `connected`, or `closed` for good. */
  readonly state: FrameConnectionState;
  /** The connected document's origin. */
  readonly origin: string | undefined;
  stats(): FrameAppStats;
  /** Ends the connection: the frame is told, its subscriptions dropped, later hellos refused. */
  close(): void;
}

/** Registers an iframe MFE with `core`; see `FrameHost.connectFrame`. */
export function connectFrameTo(
  core: FrameHostCore,
  element: FrameElementLike,
  options: ConnectFrameOptions,
): FrameConnection {
  const app = options?.app;
  if (typeof app !== 'string' || app === '' || app === 'hub') {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `connectFrame(): options.app must name the frame's app, such as 'orders', got ${typeof app === 'string' ? `'${app}'` : typeof app}.`,
    );
  }
  const fn = `connectFrame('${app}')`;
  if (typeof element !== 'object' || element === null || !('contentWindow' in element)) {
    throw new SwitchboardError('INVALID_OPTION', `${fn}: expected an <iframe> element.`);
  }
  const origins = pinOrigins(options.origin, fn, 'origin');
  // Checked now, so a typo in the manifest fails here, not when the frame first joins.
  const permissions =
    options.permissions === undefined ? undefined : defineManifest({ [app]: options.permissions })[app];
  const helpers = options.helpers;
  if (
    helpers !== undefined &&
    (!Array.isArray(helpers) || helpers.some((name) => typeof name !== 'string' || TRANSPORT_NAMESPACES.includes(name)))
  ) {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `${fn}: helpers must list helper namespaces such as 'rpc'; the runtime's own (${TRANSPORT_NAMESPACES.join(', ')}) cannot be granted.`,
    );
  }
  const context: AppSessionContext = {
    bus: core.bus,
    link: core.link,
    app,
    permissions,
    helpers,
    history: options.history,
    counts: { published: 0, refused: 0, forwarded: 0 },
  };
  const connection = core.connect({
    role: 'app',
    app,
    origins,
    element,
    grant: () => ({
      app,
      tabId: core.link.tabId,
      heartbeatMs: core.heartbeatMs,
      ...(permissions === undefined ? {} : { permissions }),
      ...(helpers === undefined ? {} : { helpers: [...helpers] }),
    }),
    openSession: (writer, origin) => createAppSession(context, writer, origin),
  });
  return {
    app,
    get state() {
      return connection.state;
    },
    get origin() {
      return connection.origin;
    },
    stats() {
      const base = connection.stats();
      return {
        ...base,
        refused: base.refused + context.counts.refused,
        published: context.counts.published,
        forwarded: context.counts.forwarded,
      };
    },
    close: () => connection.close(),
  };
}
