import { SwitchboardError } from '@switchboard/bus';
import { brandError, hasErrorBrand } from '@switchboard/bus/internal';

/** The codes of the errors cross-tab throws or reports. */
export type CrossTabErrorCode =
  /** A payload or meta could not be cloned to another tab. */
  | 'NOT_CLONEABLE'
  /** A message was over `maxPayloadBytes`. */
  | 'PAYLOAD_TOO_LARGE'
  /** An option had a value cross-tab cannot use. */
  | 'INVALID_OPTION'
  /** Envelopes from the channel were ignored (malformed, forged, newer version); reported at most once a heartbeat. */
  | 'INVALID_ENVELOPE'
  /** A wait (`whenLeader`) was aborted, or the adapter detached while it waited. */
  | 'ABORTED';

const PAYLOAD_ERROR = Symbol.for('switchboard.cross-tab.PayloadError');
const ENVELOPE_ERROR = Symbol.for('switchboard.cross-tab.EnvelopeError');

/**
 * A message refused by cross-tab at `publish`, before anything was delivered: its payload (or
 * meta) could not be cloned to another tab (`NOT_CLONEABLE`) or was over `maxPayloadBytes`
 * (`PAYLOAD_TOO_LARGE`). `topic` and `reason` say which message and why; the bus keeps working.
 *
 * @example
 * import { isPayloadError } from '@switchboard/cross-tab';
 * try { bus.publish('files.loaded', hugeArray); }
 * catch (e) { if (isPayloadError(e) && e.code === 'PAYLOAD_TOO_LARGE') showError(e.reason); }
 */
export class PayloadError extends SwitchboardError<'NOT_CLONEABLE' | 'PAYLOAD_TOO_LARGE'> {
  override name = 'PayloadError';
  /** The topic of the refused message. */
  readonly topic: string;
  /** What was wrong, e.g. `payload.items[2].save (function)` or `about 2.1 MiB, limit 1 MiB`. */
  readonly reason: string;

  constructor(
    code: 'NOT_CLONEABLE' | 'PAYLOAD_TOO_LARGE',
    topic: string,
    reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.topic = topic;
    this.reason = reason;
    brandError(this, PAYLOAD_ERROR);
  }
}

/**
 * True when `value` is a {@link PayloadError} from any bundled copy of this package.
 *
 * @example
 * import { isPayloadError } from '@switchboard/cross-tab';
 * try { bus.publish('report.ready', { render: () => {} }); } catch (e) { if (isPayloadError(e)) console.warn(e.topic, e.reason); }
 */
export function isPayloadError(value: unknown): value is PayloadError {
  return hasErrorBrand(value, PAYLOAD_ERROR);
}

/**
 * Reported through the bus's `onError`, at most once per heartbeat, when envelopes read from the
 * channel were ignored or messages in them dropped: malformed ones, forged ones (a goodbye from a
 * tab that is still there, a replay), local-only `$sys.` events sent from elsewhere, or envelopes
 * of a newer version. `counts` says how many of each since the last report. Nothing was delivered
 * from them; the bus keeps working.
 *
 * @example
 * import { createCrossTabPubSub, isEnvelopeError } from '@switchboard/cross-tab';
 * const bus = createCrossTabPubSub({
 *   app: 'orders',
 *   onError: (e) => { if (isEnvelopeError(e)) console.warn(e.message); },
 * });
 */
export class EnvelopeError extends SwitchboardError<'INVALID_ENVELOPE'> {
  override name = 'EnvelopeError';
  /** The channel name. */
  readonly channel: string;
  /** Envelopes ignored (`malformed`, `forged`, …) and messages dropped (`droppedMessages`), by reason. */
  readonly counts: Readonly<Record<string, number>>;

  constructor(channel: string, counts: Readonly<Record<string, number>>, message: string) {
    super('INVALID_ENVELOPE', message);
    this.channel = channel;
    this.counts = counts;
    brandError(this, ENVELOPE_ERROR);
  }
}

/**
 * True when `value` is an {@link EnvelopeError} from any bundled copy of this package.
 *
 * @example
 * import { createCrossTabPubSub, isEnvelopeError } from '@switchboard/cross-tab';
 * const bus = createCrossTabPubSub({ app: 'orders', onError: (e) => { if (isEnvelopeError(e)) console.warn(e.counts); } });
 */
export function isEnvelopeError(value: unknown): value is EnvelopeError {
  return hasErrorBrand(value, ENVELOPE_ERROR);
}
