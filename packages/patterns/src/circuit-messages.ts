/**
 * The circuit breakers' protocol on `$sys.circuit.<name>.<kind>`, and the checks every message
 * passes before a breaker reads it. Any script of the origin can post on the channel, so a
 * payload is data to check, never a trusted state: types and ranges first, then use.
 */

/** The state every tab's breaker of one name agrees on. */
export interface SharedCircuit {
  generation: number;
  state: 'CLOSED' | 'OPEN';
  /** Clock time the state began, as the receiving tab bounds it (never in its future). */
  since: number;
  by: string;
}

/** A tab asks the arbiter for the HALF_OPEN probe. */
export interface ProbeClaim {
  readonly generation: number;
  readonly tabId: string;
  readonly id: string;
}

/** The arbiter's answer to a {@link ProbeClaim}. */
export interface ProbeGrant extends ProbeClaim {
  readonly granted: boolean;
}

/** A checked message: its kind and payload, or why it was refused. */
export type CircuitMessage =
  | { readonly kind: 'query' | 'bye' }
  | { readonly kind: 'shared'; readonly shared: SharedCircuit }
  | { readonly kind: 'failure' | 'success'; readonly generation: number }
  | { readonly kind: 'claim'; readonly claim: ProbeClaim }
  | { readonly kind: 'grant'; readonly grant: ProbeGrant }
  | { readonly kind: 'ignored' }
  | { readonly kind: 'invalid'; readonly problem: string };

// Generations count transitions; one below the largest safe integer leaves room to go on.
const MAX_GENERATION = Number.MAX_SAFE_INTEGER - 1;

/**
 * Checks the payload of a message of `kind`; `sender` is the tab that posted it. Kinds this
 * version does not read (`state`, newer ones) are `ignored`, not invalid.
 */
export function readCircuitMessage(kind: string, payload: unknown, sender: string): CircuitMessage {
  switch (kind) {
    case 'query':
    case 'bye':
      return { kind };
    case 'shared': {
      const problem =
        record(payload) ??
        generation(payload) ??
        oneOf(payload, 'state', ['CLOSED', 'OPEN']) ??
        finite(payload, 'since') ??
        text(payload, 'by');
      if (problem !== undefined) return { kind: 'invalid', problem };
      const { generation: g, state, since, by } = payload as unknown as SharedCircuit;
      return { kind, shared: { generation: g, state, since, by } };
    }
    case 'failure':
    case 'success': {
      const problem = record(payload) ?? generation(payload);
      if (problem !== undefined) return { kind: 'invalid', problem };
      return { kind, generation: (payload as { generation: number }).generation };
    }
    case 'claim':
    case 'grant': {
      const problem =
        record(payload) ??
        generation(payload) ??
        text(payload, 'tabId') ??
        text(payload, 'id') ??
        (kind === 'grant' ? boolean(payload, 'granted') : undefined);
      if (problem !== undefined) return { kind: 'invalid', problem };
      const { generation: g, tabId, id, granted } = payload as unknown as ProbeGrant;
      if (kind === 'claim') {
        // A claim speaks for the tab that sent it, never for another.
        if (tabId !== sender) return { kind: 'invalid', problem: `tabId '${tabId}' is not the sending tab` };
        return { kind, claim: { generation: g, tabId, id } };
      }
      return { kind, grant: { generation: g, tabId, id, granted } };
    }
    default:
      return { kind: 'ignored' };
  }
}

function record(payload: unknown): string | undefined {
  return typeof payload === 'object' && payload !== null ? undefined : `the payload must be an object`;
}

function field(payload: unknown, key: string): unknown {
  return (payload as Record<string, unknown>)[key];
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === null ? 'null' : typeof value;
}

function generation(payload: unknown): string | undefined {
  const value = field(payload, 'generation');
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_GENERATION
    ? undefined
    : `generation must be a whole number from 0 to ${MAX_GENERATION}, got ${show(value)}`;
}

function finite(payload: unknown, key: string): string | undefined {
  const value = field(payload, key);
  return Number.isFinite(value) ? undefined : `${key} must be a finite number, got ${show(value)}`;
}

function text(payload: unknown, key: string): string | undefined {
  const value = field(payload, key);
  return typeof value === 'string' && value !== ''
    ? undefined
    : `${key} must be a non-empty string, got ${show(value)}`;
}

function boolean(payload: unknown, key: string): string | undefined {
  const value = field(payload, key);
  return typeof value === 'boolean' ? undefined : `${key} must be true or false, got ${show(value)}`;
}

function oneOf(payload: unknown, key: string, allowed: readonly string[]): string | undefined {
  const value = field(payload, key);
  return allowed.includes(value as string)
    ? undefined
    : `${key} must be ${allowed.map((a) => `'${a}'`).join(' or ')}, got ${show(value)}`;
}
