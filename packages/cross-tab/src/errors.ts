import { SwitchboardError } from '@switchboard/bus';

/**
 * A message refused by cross-tab at `publish`, before anything was delivered: its payload (or
 * meta) could not be cloned to another tab (`NOT_CLONEABLE`) or was over `maxPayloadBytes`
 * (`PAYLOAD_TOO_LARGE`). `topic` and `reason` say which message and why; the bus keeps working.
 *
 * @example
 * import { isSwitchboardError } from '@switchboard/bus';
 * try { bus.publish('files.loaded', hugeArray); }
 * catch (e) { if (isSwitchboardError(e, 'PAYLOAD_TOO_LARGE')) showError(e.message); }
 */
export class PayloadError extends SwitchboardError {
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
  }
}

/**
 * Reported through the bus's `onError`, at most once per heartbeat, when envelopes read from the
 * channel were ignored or messages in them dropped: malformed ones, forged ones (a goodbye from a
 * tab that is still there, a replay), local-only `$sys.` events sent from elsewhere, or envelopes
 * of a newer version. `counts` says how many of each since the last report. Nothing was delivered
 * from them; the bus keeps working.
 *
 * @example
 * import { createCrossTabPubSub } from '@switchboard/cross-tab';
 * import { isSwitchboardError } from '@switchboard/bus';
 * const bus = createCrossTabPubSub({
 *   app: 'orders',
 *   onError: (e) => { if (isSwitchboardError(e, 'INVALID_ENVELOPE')) console.warn(e.message); },
 * });
 */
export class EnvelopeError extends SwitchboardError {
  override name = 'EnvelopeError';
  /** The channel name. */
  readonly channel: string;
  /** Envelopes ignored (`malformed`, `forged`, …) and messages dropped (`droppedMessages`), by reason. */
  readonly counts: Readonly<Record<string, number>>;

  constructor(channel: string, counts: Readonly<Record<string, number>>, message: string) {
    super('INVALID_ENVELOPE', message);
    this.channel = channel;
    this.counts = counts;
  }
}
