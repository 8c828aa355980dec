/**
 * Errors of the frame bridge and the hub. Each class extends `SwitchboardError` and brands its
 * instances with a `Symbol.for` key, so its guard recognises an error that another bundled copy
 * of the package created (where `instanceof` fails).
 */
import { SwitchboardError } from '@switchboard/bus';
import { brandError, hasErrorBrand } from '@switchboard/bus/internal';

/** The codes of the errors this package throws or reports. */
export type FrameErrorCode =
  /** A message that spoke the frame protocol was ignored: see {@link FrameRefusedError}. */
  | 'FRAME_REFUSED'
  /** The hub cannot reach the site's other origins: see {@link HubUnreachableError}. */
  | 'HUB_UNREACHABLE'
  /** An option had a value the bridge cannot use (an origin of `'*'`, a URL with a path...). */
  | 'INVALID_OPTION'
  /** No window to listen on, or `joinHost`/`serveHub` in a page that is not in a frame. */
  | 'UNSUPPORTED'
  /** `joinHost` heard no welcome within `timeoutMs` (a `TimeoutError`). */
  | 'TIMEOUT'
  /** A join was given up: the frame left, or joined anew. */
  | 'ABORTED'
  /** A history query while the frame is not connected to its host. */
  | 'TARGET_GONE'
  /** `connectFrame` on a frame host that was disposed. */
  | 'BUS_DISPOSED';

const FRAME_REFUSED_ERROR = Symbol.for('switchboard.frame.FrameRefusedError');
const HUB_UNREACHABLE_ERROR = Symbol.for('switchboard.frame.HubUnreachableError');

/**
 * Why a message that spoke the frame protocol was ignored:
 * - `origin`: sent from an origin that is not pinned;
 * - `source`: sent by a window that is no connected frame (or not by the expected parent);
 * - `app`: a frame claimed an app other than the one the host registered for it;
 * - `handshake`: arrived before the handshake completed, or answered a nonce not asked for;
 * - `malformed`: not a message of this protocol's version and shape.
 */
export type RefusalReason = 'origin' | 'source' | 'app' | 'handshake' | 'malformed';

/**
 * A message to the bridge was ignored (never thrown: reported through the bus's `onError` and
 * counted in `stats().refused`). `reason` says why, `origin` who sent it.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { isFrameRefusedError } from '@switchboard/frame';
 * const bus = createPubSub({
 *   app: 'shell',
 *   onError: (e) => { if (isFrameRefusedError(e)) console.warn(e.reason, e.origin); },
 * });
 */
export class FrameRefusedError extends SwitchboardError<'FRAME_REFUSED'> {
  override name = 'FrameRefusedError';
  readonly reason: RefusalReason;
  /** The sender's origin as the browser reported it (`'null'` for an opaque origin). */
  readonly origin: string;

  constructor(reason: RefusalReason, origin: string, message: string) {
    super('FRAME_REFUSED', message);
    this.reason = reason;
    this.origin = origin;
    brandError(this, FRAME_REFUSED_ERROR);
  }
}

/**
 * Why a hub cannot join this page to the site's other origins:
 * - `partitioned`: the hub frame is third-party here (a different site from the top-level page),
 *   so the browser gives it a storage partition of its own and its channel reaches only tabs
 *   under the same top-level site;
 * - `unsupported`: the hub frame has no BroadcastChannel;
 * - `timeout`: the hub frame did not answer (not loaded, wrong URL, origin not allowed).
 */
export type UnreachableReason = 'partitioned' | 'unsupported' | 'timeout';

/**
 * The hub cannot reach the other origins' tabs, so this page's bus stays on its origin (cross-tab
 * still works). Reported once through the bus's `onError`; `hub.ready()` rejects with it and
 * `hub.status` says so too.
 *
 * @example
 * import { isHubUnreachableError } from '@switchboard/frame';
 * const onError = (e: unknown) => { if (isHubUnreachableError(e)) console.warn(e.reason); };
 */
export class HubUnreachableError extends SwitchboardError<'HUB_UNREACHABLE'> {
  override name = 'HubUnreachableError';
  readonly reason: UnreachableReason;
  /** The hub's origin. */
  readonly hubOrigin: string;

  constructor(reason: UnreachableReason, hubOrigin: string, message: string) {
    super('HUB_UNREACHABLE', message);
    this.reason = reason;
    this.hubOrigin = hubOrigin;
    brandError(this, HUB_UNREACHABLE_ERROR);
  }
}

/**
 * True when `value` is a {@link FrameRefusedError} from any bundled copy.
 *
 * @example
 * import { isFrameRefusedError } from '@switchboard/frame';
 * const onError = (e: unknown) => { if (isFrameRefusedError(e)) console.warn(e.origin, e.reason); };
 */
export function isFrameRefusedError(value: unknown): value is FrameRefusedError {
  return hasErrorBrand(value, FRAME_REFUSED_ERROR);
}

/**
 * True when `value` is a {@link HubUnreachableError} from any bundled copy.
 *
 * @example
 * import { isHubUnreachableError } from '@switchboard/frame';
 * const onError = (e: unknown) => { if (isHubUnreachableError(e)) console.warn(e.reason); };
 */
export function isHubUnreachableError(value: unknown): value is HubUnreachableError {
  return hasErrorBrand(value, HUB_UNREACHABLE_ERROR);
}
