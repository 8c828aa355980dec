import { brandError, hasErrorBrand } from './error-brand.ts';
import { SwitchboardError } from './errors.ts';

const RETAINED_LIMIT_ERROR = Symbol.for('switchboard.bus.RetainedLimitError');

/**
 * The retained store reached its `maxTopics`: the topic updated longest ago was forgotten, so a
 * late subscriber no longer receives it. Reported through `onError`; raise `maxTopics` or retain
 * fewer topics.
 *
 * @example
 * import { isRetainedLimitError } from '@switchboard/bus/retained';
 * const onError = (e: unknown) => { if (isRetainedLimitError(e)) console.warn(e.topic, e.message); };
 */
export class RetainedLimitError extends SwitchboardError<'RETAINED_LIMIT'> {
  override name = 'RetainedLimitError';
  /** The topic whose retained message was dropped. */
  readonly topic: string;

  constructor(topic: string, maxTopics: number) {
    super(
      'RETAINED_LIMIT',
      `attachRetained(): more than ${maxTopics} retained topics, so '${topic}' (updated longest ago) was dropped; raise maxTopics or retain fewer topics.`,
    );
    this.topic = topic;
    brandError(this, RETAINED_LIMIT_ERROR);
  }
}

/** True when `value` is a {@link RetainedLimitError} from any bundled copy of the library. */
export function isRetainedLimitError(value: unknown): value is RetainedLimitError {
  return hasErrorBrand(value, RETAINED_LIMIT_ERROR);
}
