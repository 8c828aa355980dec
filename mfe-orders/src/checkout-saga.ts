import type { Bus } from '@switchboard/bus';
import { OrderTopics, type DemoTopics, type OrderLine, type ReserveResult } from '@switchboard/demo-contract';
import { createSaga, type Saga, type SagaLog } from '@switchboard/patterns';
import type { InventoryClient } from './inventory-client.ts';

/** What one checkout needs. */
interface CheckoutInput {
  readonly orderId: string;
  readonly lines: readonly OrderLine[];
  /** In cents. */
  readonly total: number;
  /** The simulated payment fails, to show the reservation being compensated. */
  readonly paymentFails: boolean;
  /**
   * The simulated payment takes a few seconds: time to close the tab mid-checkout and watch the
   * next tab that opens orders release the reservation.
   */
  readonly slowPayment?: boolean;
}

/** Names of the steps, in order; the view shows one line per step. */
export const CHECKOUT_STEPS = ['reserve stock', 'take payment', 'confirm order'] as const;

/** Where a step of the checkout on screen stands. */
export type StepStatus = 'waiting' | 'running' | 'done' | 'failed' | 'compensated';

/** Told about every step change, for the progress view. `sagaId` is the order id. */
export type ProgressListener = (sagaId: string, step: number, status: StepStatus) => void;

const PAYMENT_MS = 400;
// Under the step timeout (5 s), so a slow payment still succeeds when nobody closes the tab.
const SLOW_PAYMENT_MS = 4000;
// A closed tab's checkout is taken over this long after its last lease renewal. The default
// (10 s) suits real sagas; the demo is here to show it happen.
const CHECKOUT_LEASE_MS = 3000;

/** The saga's name, in its `saga.*` events and in the durable log. */
export const CHECKOUT_SAGA = 'checkout';

/** The checkout saga; its steps resolve with the reservation, the payment and nothing of note. */
export type CheckoutSaga = Saga<CheckoutInput, [ReserveResult, Payment, unknown]>;

/** What the simulated payment answers. */
interface Payment {
  readonly paymentId: string;
}

/**
 * The checkout saga: reserve stock (compensated by releasing it), take a simulated payment
 * (compensated by a refund), publish `orders.confirmed`. Progress events go on the bus as
 * `saga.*` with the order id as saga id, which the shell's inspector shows.
 * With `durable`, a checkout cut short by a closed tab is compensated by the next tab that
 * mounts orders (`saga.failed` with `interrupted: true`).
 */
export function createCheckoutSaga(
  bus: Bus<DemoTopics>,
  inventory: InventoryClient,
  onProgress: ProgressListener,
  durable?: SagaLog,
): CheckoutSaga {
  const tracked = <T>(sagaId: string, step: number, run: () => Promise<T>): Promise<T> => {
    onProgress(sagaId, step, 'running');
    return run().then(
      (value) => {
        onProgress(sagaId, step, 'done');
        return value;
      },
      (error: unknown) => {
        onProgress(sagaId, step, 'failed');
        throw error;
      },
    );
  };

  return createSaga<CheckoutInput>(bus, {
    name: CHECKOUT_SAGA,
    stepTimeoutMs: 5000,
    leaseMs: CHECKOUT_LEASE_MS,
    ...(durable ? { durable } : {}),
  })
    .addStep({
      name: CHECKOUT_STEPS[0],
      action: ({ input, sagaId }) =>
        tracked(sagaId, 0, () => inventory.reserve({ orderId: input.orderId, lines: input.lines })),
      compensation: async ({ result, sagaId }) => {
        // Read from the durable log after a restart: there since the action completed.
        await inventory.release({ reservationId: result!.reservationId });
        onProgress(sagaId, 0, 'compensated');
      },
    })
    .addStep({
      name: CHECKOUT_STEPS[1],
      action: ({ input, signal, sagaId }) => tracked(sagaId, 1, () => simulatePayment(input, signal)),
      // The simulated payment never takes money when it fails; a real one would refund here.
      compensation: ({ sagaId }) => onProgress(sagaId, 1, 'compensated'),
    })
    .addStep({
      name: CHECKOUT_STEPS[2],
      action: ({ input, results, sagaId }) =>
        tracked(sagaId, 2, async () => {
          const [{ reservationId }, { paymentId }] = results;
          bus.publish(OrderTopics.confirmed, { orderId: input.orderId, reservationId, paymentId });
        }),
    });
}

/** A payment provider stand-in: answers after a short delay, or declines when told to. */
function simulatePayment(input: CheckoutInput, signal: AbortSignal): Promise<Payment> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => {
        if (input.paymentFails) reject(new Error('payment declined (simulated failure)'));
        else resolve({ paymentId: `pay-${input.orderId}` });
      },
      input.slowPayment ? SLOW_PAYMENT_MS : PAYMENT_MS,
    );
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
