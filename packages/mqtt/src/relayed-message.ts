import type { Message } from '@switchboard/bus';

/**
 * Reads the message inside a `$sys.mqtt.in` relay from the connection tab, or undefined when the
 * payload is not a well-formed message (then nothing is delivered: a forged or foreign relay must
 * not reach subscribers).
 */
export function readRelayed(payload: unknown): Message | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const m = payload as Record<string, unknown>;
  const origin = m.origin as { tabId?: unknown } | null | undefined;
  if (
    typeof m.id !== 'string' ||
    typeof m.topic !== 'string' ||
    typeof m.ts !== 'number' ||
    typeof m.source !== 'string' ||
    typeof m.meta !== 'object' ||
    m.meta === null ||
    typeof origin?.tabId !== 'string' ||
    typeof m.depth !== 'number' ||
    !Number.isInteger(m.depth) ||
    (m.depth as number) < 0
  ) {
    return undefined;
  }
  return {
    id: m.id,
    topic: m.topic,
    payload: m.payload,
    ts: m.ts,
    source: m.source,
    meta: m.meta as Message['meta'],
    origin: Object.freeze({ tabId: origin.tabId }),
    depth: m.depth as number,
  };
}
