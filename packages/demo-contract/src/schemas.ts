import type { SchemaMap } from '@switchboard/bus/schemas';
import * as v from 'valibot';
import type { DomainTopics } from './topic-map.ts';

const line = v.object({ sku: v.string(), quantity: v.pipe(v.number(), v.integer(), v.minValue(1)) });
const lines = v.pipe(v.array(line), v.readonly());

/**
 * Payload schemas of the demo's events (valibot; an entry of its own, so only the shell, which
 * attaches them, ships valibot). The shell attaches them to the tab's bus:
 * a publish that breaks one throws `SCHEMA_INVALID`, and a message from another tab or from
 * history that breaks one is dropped and reported, so a bad stored record cannot break an app
 * that rebuilds its state from history.
 */
export const demoSchemas = {
  'orders.placed': v.object({ orderId: v.string(), lines, total: v.number() }),
  'orders.confirmed': v.object({ orderId: v.string(), reservationId: v.string(), paymentId: v.string() }),
  'orders.failed': v.object({ orderId: v.string(), reason: v.string() }),
  'inventory.reserved': v.object({ reservationId: v.string(), orderId: v.string(), lines }),
  'inventory.released': v.object({ reservationId: v.string(), lines }),
  'inventory.outage': v.object({ failing: v.boolean() }),
  'inventory.online': v.object({ tabId: v.string() }),
} satisfies SchemaMap & { [K in keyof DomainTopics]: v.GenericSchema<unknown, DomainTopics[K]> };
