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
