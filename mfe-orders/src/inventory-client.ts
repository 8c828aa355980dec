import {
  INVENTORY_CIRCUIT,
  InventoryErrors,
  InventoryMethods,
  type InventoryRpc,
  type ReleaseRequest,
  type ReleaseResult,
  type ReserveRequest,
  type ReserveResult,
  type StockItem,
} from '@switchboard/demo-contract';
import {
  isCircuitOpenError,
  isNoHandlerError,
  isRemoteError,
  type CircuitBreaker,
  type Rpc,
} from '@switchboard/patterns';

/** The catalogue as orders last saw it. */
export interface Catalogue {
  readonly items: readonly StockItem[];
  /** True when inventory could not be asked and `items` is the last known answer (maybe none). */
  readonly stale: boolean;
  /** Why it is stale. */
  readonly reason?: string;
  /** No tab runs the inventory app: nothing is failing, there is no one to ask yet. */
  readonly absent?: boolean;
}

/** Calls into the inventory app (in whichever tab it runs), guarded by the shared circuit. */
export interface InventoryClient {
  /** The catalogue with stock; falls back to the last known one when inventory fails. */
  catalogue(): Promise<Catalogue>;
  reserve(request: ReserveRequest): Promise<ReserveResult>;
  /** Not guarded by the circuit: a compensation must be tried even while the circuit is open. */
  release(request: ReleaseRequest): Promise<ReleaseResult>;
}

const TIMEOUT_MS = 2000;
// A failed catalogue call is tried again this soon, up to the circuit's threshold: an outage
// then opens the circuit in a moment, not after as many orders as the threshold.
const RETRY_MS = 150;

/** Creates the client. `breaker` is the `inventory` circuit, shared by every tab. */
export function createInventoryClient(rpc: Rpc<InventoryRpc>, breaker: CircuitBreaker): InventoryClient {
  let lastKnown: readonly StockItem[] = [];

  function askOnce(): Promise<Catalogue> {
    return breaker.execute<Catalogue>(
      async () => {
        try {
          lastKnown = await rpc.request(InventoryMethods.stock, {}, { timeout: TIMEOUT_MS });
          return { items: lastKnown, stale: false };
        } catch (error) {
          // No tab runs inventory: it is absent, not failing; keep that off the circuit.
          if (isNoHandlerError(error))
            return { items: lastKnown, stale: true, reason: describeFailure(error), absent: true };
          throw error;
        }
      },
      // The visible fallback: the last answer, marked stale, instead of an error screen.
      { fallback: (error) => ({ items: lastKnown, stale: true, reason: describeFailure(error) }) },
    );
  }

  return {
    async catalogue() {
      let catalogue = await askOnce();
      for (let attempt = 1; attempt < INVENTORY_CIRCUIT.threshold; attempt++) {
        // Only a failure the circuit counted is worth asking again; an open circuit answers itself.
        if (!catalogue.stale || catalogue.absent || breaker.state() !== 'CLOSED') break;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        catalogue = await askOnce();
      }
      return catalogue;
    },
    async reserve(request) {
      const outcome = await breaker.execute(async () => {
        try {
          return {
            ok: true as const,
            value: await rpc.request(InventoryMethods.reserve, request, { timeout: TIMEOUT_MS }),
          };
        } catch (error) {
          // Out of stock is inventory answering, and no inventory tab is inventory absent; neither
          // is inventory failing: keep them off the circuit.
          if (isOutOfStock(error) || isNoHandlerError(error)) return { ok: false as const, error };
          throw error;
        }
      });
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },
    release(request) {
      return rpc.request(InventoryMethods.release, request, { timeout: TIMEOUT_MS });
    },
  };
}

function isOutOfStock(error: unknown): boolean {
  return isRemoteError(error) && error.remote.code === InventoryErrors.outOfStock;
}

/** A short reason for the UI: the remote handler's own message rather than the whole chain. */
export function describeFailure(error: unknown): string {
  if (isRemoteError(error)) return error.remote.message;
  if (isCircuitOpenError(error)) return 'inventory unavailable: circuit open';
  if (isNoHandlerError(error)) return 'inventory unavailable: no tab runs the inventory app';
  if (error instanceof Error) return error.message;
  return String(error);
}
