/**
 * Errors of the frame bridge and the hub. Each extends `SwitchboardError` (so
 * `isSwitchboardError(error, code)` works) and carries a brand of its own, so the guards below
 * recognise it even when another bundled copy of the package created it.
 */
import { isSwitchboardError, SwitchboardError } from '@switchboard/bus';

const REFUSED = Symbol.for('switchboard.frame.refused');
const UNREACHABLE = Symbol.for('switchboard.frame.unreachable');

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
export class FrameRefusedError extends SwitchboardError {
  override name = 'FrameRefusedError';
  readonly reason: RefusalReason;
  /** The sender's origin as the browser reported it (`'null'` for an opaque origin). */
  readonly origin: string;

  constructor(reason: RefusalReason, origin: string, message: string) {
    super('INVALID_MESSAGE', message);
    this.reason = reason;
    this.origin = origin;
    Object.defineProperty(this, REFUSED, { value: true });
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
 * still works). Reported once through the bus's `onError`; `connectHub(...).status` says so too.
 *
 * @example
 * import { isHubUnreachableError } from '@switchboard/frame';
 * const onError = (e: unknown) => { if (isHubUnreachableError(e)) showBanner(e.reason); };
 */
export class HubUnreachableError extends SwitchboardError {
  override name = 'HubUnreachableError';
  readonly reason: UnreachableReason;
  /** The hub's origin. */
  readonly hubOrigin: string;

  constructor(reason: UnreachableReason, hubOrigin: string, message: string) {
    super(reason === 'timeout' ? 'TIMEOUT' : 'UNSUPPORTED', message);
    this.reason = reason;
    this.hubOrigin = hubOrigin;
    Object.defineProperty(this, UNREACHABLE, { value: true });
  }
}

/**
 * True when `value` is a {@link FrameRefusedError} from any bundled copy.
 *
 * @example
 * import { isFrameRefusedError } from '@switchboard/frame';
 * const onError = (e: unknown) => { if (isFrameRefusedError(e)) audit(e.origin, e.reason); };
 */
export function isFrameRefusedError(value: unknown): value is FrameRefusedError {
  return (
    isSwitchboardError(value, 'INVALID_MESSAGE') && (value as unknown as Record<symbol, unknown>)[REFUSED] === true
  );
}

/**
 * True when `value` is a {@link HubUnreachableError} from any bundled copy.
 *
 * @example
 * import { isHubUnreachableError } from '@switchboard/frame';
 * const onError = (e: unknown) => { if (isHubUnreachableError(e)) console.warn(e.reason); };
 */
export function isHubUnreachableError(value: unknown): value is HubUnreachableError {
  return isSwitchboardError(value) && (value as unknown as Record<symbol, unknown>)[UNREACHABLE] === true;
}
