import type { PubSubBus } from '@switchboard/bus';
import {
  OrderTopics,
  type OrderConfirmed,
  type OrderLine,
  type ReserveResult,
} from '@switchboard/demo-contract';
import { createSaga, type Saga } from '@switchboard/patterns';
import type { InventoryClient } from './inventory-client.ts';

/** What one checkout needs. */
export interface CheckoutInput {
  readonly orderId: string;
  readonly lines: readonly OrderLine[];
  /** In cents. */
  readonly total: number;
  /** The simulated payment fails, to show the reservation being compensated. */
  readonly paymentFails: boolean;
}

/** Names of the steps, in order; the view shows one line per step. */
export const CHECKOUT_STEPS = ['reserve stock', 'take payment', 'confirm order'] as const;

/** Where a step of the checkout on screen stands. */
export type StepStatus = 'waiting' | 'running' | 'done' | 'failed' | 'compensated';

/** Told about every step change, for the progress view. */
export type ProgressListener = (step: number, status: StepStatus) => void;

const PAYMENT_MS = 400;

/**
 * The checkout saga: reserve stock (compensated by releasing it), take a simulated payment
 * (compensated by a refund), publish `orders.confirmed`. Progress events go on the bus as
 * `saga.*` with the order id as saga id, which the shell's inspector shows.
 */
export function createCheckoutSaga(bus: PubSubBus, inventory: InventoryClient, onProgress: ProgressListener): Saga<CheckoutInput> {
  const tracked = <T>(step: number, run: () => Promise<T>): Promise<T> => {
    onProgress(step, 'running');
    return run().then(
      (value) => {
        onProgress(step, 'done');
        return value;
      },
      (error: unknown) => {
        onProgress(step, 'failed');
        throw error;
      },
    );
  };

  return createSaga<CheckoutInput>(bus, { name: 'checkout', stepTimeoutMs: 5000 })
    .addStep({
      name: CHECKOUT_STEPS[0],
      action: ({ input }) => tracked(0, () => inventory.reserve({ orderId: input.orderId, lines: input.lines })),
      compensation: async ({ result }) => {
        await inventory.release({ reservationId: (result as ReserveResult).reservationId });
        onProgress(0, 'compensated');
      },
    })
    .addStep({
      name: CHECKOUT_STEPS[1],
      action: ({ input, signal }) => tracked(1, () => simulatePayment(input, signal)),
      // The simulated payment never takes money when it fails; a real one would refund here.
      compensation: () => onProgress(1, 'compensated'),
    })
    .addStep({
      name: CHECKOUT_STEPS[2],
      action: ({ input, results }) => tracked(2, async () => {
        const { reservationId } = results[0] as ReserveResult;
        const { paymentId } = results[1] as { paymentId: string };
        bus.publish(OrderTopics.confirmed, { orderId: input.orderId, reservationId, paymentId } satisfies OrderConfirmed);
      }),
    });
}

/** A payment provider stand-in: answers after a short delay, or declines when told to. */
function simulatePayment(input: CheckoutInput, signal: AbortSignal): Promise<{ paymentId: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      if (input.paymentFails) reject(new Error('payment declined (simulated failure)'));
      else resolve({ paymentId: `pay-${input.orderId}` });
    }, PAYMENT_MS);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
