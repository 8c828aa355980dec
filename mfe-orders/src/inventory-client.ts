import {
  InventoryErrors,
  InventoryMethods,
  type ReleaseRequest,
  type ReleaseResult,
  type ReserveRequest,
  type ReserveResult,
  type StockItem,
} from '@switchboard/demo-contract';
import { RemoteError, type CircuitBreaker, type Rpc } from '@switchboard/patterns';

/** The catalogue as orders last saw it. */
export interface Catalogue {
  readonly items: readonly StockItem[];
  /** True when inventory could not be asked and `items` is the last known answer. */
  readonly stale: boolean;
  /** Why it is stale. */
  readonly reason?: string;
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

/** Creates the client. `breaker` is the `inventory` circuit, shared by every tab. */
export function createInventoryClient(rpc: Rpc, breaker: CircuitBreaker): InventoryClient {
  let lastKnown: readonly StockItem[] = [];

  return {
    catalogue() {
      return breaker.execute<Catalogue>(
        async () => {
          lastKnown = await rpc.request<StockItem[]>(InventoryMethods.stock, {}, { timeout: TIMEOUT_MS });
          return { items: lastKnown, stale: false };
        },
        // The visible fallback: the last answer, marked stale, instead of an error screen.
        { fallback: (error) => ({ items: lastKnown, stale: true, reason: describeFailure(error) }) },
      );
    },
    async reserve(request) {
      const outcome = await breaker.execute(async () => {
        try {
          return {
            ok: true as const,
            value: await rpc.request<ReserveResult>(InventoryMethods.reserve, request, { timeout: TIMEOUT_MS }),
          };
        } catch (error) {
          // Out of stock is inventory answering, not inventory failing: keep it off the circuit.
          if (isOutOfStock(error)) return { ok: false as const, error };
          throw error;
        }
      });
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },
    release(request) {
      return rpc.request<ReleaseResult>(InventoryMethods.release, request, { timeout: TIMEOUT_MS });
    },
  };
}

function isOutOfStock(error: unknown): boolean {
  return error instanceof RemoteError && error.remote.code === InventoryErrors.outOfStock;
}

/** A short reason for the UI: the remote handler's own message rather than the whole chain. */
export function describeFailure(error: unknown): string {
  if (error instanceof RemoteError) return error.remote.message;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'CIRCUIT_OPEN') return 'inventory unavailable: circuit open';
    if (code === 'NO_HANDLER') return 'inventory unavailable: no tab runs the inventory app';
    return error.message;
  }
  return String(error);
}
