import type { Message } from '@switchboard/bus';

/**
 * Reads the message inside a `$sys.mqtt.in` relay from the connection tab, or undefined when the
 * payload is not a well-formed message (then nothing is delivered: a forged or foreign relay must
 * not reach subscribers).
 */
export function readRelayed(payload: unknown): Message | undefined {
  const m = payload as Partial<Message> | null | undefined;
  const tabId = m?.origin?.tabId;
  if (
    typeof m?.id !== 'string' ||
    typeof m.topic !== 'string' ||
    typeof m.ts !== 'number' ||
    typeof m.source !== 'string' ||
    typeof m.meta !== 'object' ||
    m.meta === null ||
    typeof tabId !== 'string' ||
    !Number.isInteger(m.depth) ||
    (m.depth as number) < 0
  ) {
    return undefined;
  }
  const { id, topic, ts, source, meta } = m;
  return {
    id,
    topic,
    payload: m.payload,
    ts,
    source,
    meta,
    origin: Object.freeze({ tabId }),
    depth: m.depth as number,
  };
}
