import type { Bus, Message } from '@switchboard/bus';
import type { DemoTopics } from '@switchboard/demo-contract';
import type { CircuitState, CircuitStateEvent } from '@switchboard/patterns';
import { el } from '../dom.ts';
import { clockTime, shortTab } from './format.ts';

/** The inspector's list of circuit breakers and their shared state. */
export interface CircuitsView {
  readonly element: HTMLElement;
  dispose(): void;
}

interface Circuit {
  state: CircuitState;
  generation: number;
  since: number;
  by: string;
  failures: number;
}

// The breaker's own messages on `$sys.circuit.<name>.<kind>`: `state` events, `shared` state
// answers (sent whenever a breaker starts in some tab) and `failure` counts.
interface SharedPayload {
  readonly generation: number;
  readonly state: 'CLOSED' | 'OPEN';
  readonly since: number;
  readonly by: string;
}

/**
 * Follows every circuit breaker of the origin from the messages breakers exchange, so it shows
 * circuits used in other tabs too, without creating a breaker itself. Any message of a circuit
 * makes it known: a breaker that starts (in this tab after a reload, say) asks the others for the
 * state, and they answer with it; until an answer says otherwise, a circuit is CLOSED, as a
 * breaker that is alone starts.
 */
export function createCircuitsView(bus: Bus<DemoTopics>): CircuitsView {
  const circuits = new Map<string, Circuit>();
  const list = el('ul', { class: 'circuits-list', 'data-testid': 'circuits-list' });
  const element = el('section', { class: 'inspector-section' }, el('h3', {}, 'Circuits'), list);

  function circuitOf(name: string): Circuit {
    let circuit = circuits.get(name);
    if (!circuit) {
      circuit = { state: 'CLOSED', generation: -1, since: 0, by: '', failures: 0 };
      circuits.set(name, circuit);
    }
    return circuit;
  }

  function onMessage(message: Message): void {
    const [, , name, kind] = message.topic.split('.');
    if (name === undefined) return;
    const known = circuits.has(name);
    const circuit = circuitOf(name);
    if (kind === 'state') {
      const event = message.payload as CircuitStateEvent;
      if (event.generation < circuit.generation) return;
      Object.assign(circuit, { state: event.state, generation: event.generation, since: event.since, by: event.tabId });
      if (event.state === 'CLOSED') circuit.failures = 0;
    } else if (kind === 'shared') {
      const shared = message.payload as SharedPayload;
      // A `state` event of the same generation knows more (HALF_OPEN), so only newer ones count.
      if (shared.generation <= circuit.generation) return;
      Object.assign(circuit, {
        state: shared.state,
        generation: shared.generation,
        since: shared.since,
        by: shared.by,
        failures: 0,
      });
    } else if (kind === 'failure') {
      circuit.failures++;
    } else if (kind === 'success') {
      circuit.failures = 0;
    } else if (known) {
      // `query`, `claim`, `grant`, `bye`: nothing to show unless the circuit is new.
      return;
    }
    render();
  }

  function render(): void {
    list.replaceChildren(
      ...(circuits.size === 0
        ? [el('li', { class: 'muted' }, 'No circuit breaker seen yet: one shows once a tab uses it.')]
        : [...circuits].map(([name, circuit]) =>
            el(
              'li',
              { 'data-testid': 'circuit-row', 'data-circuit': name, 'data-state': circuit.state },
              el('b', {}, name),
              ' ',
              el('span', { class: `pill circuit-${circuit.state.toLowerCase()}` }, circuit.state),
              el(
                'span',
                { class: 'muted' },
                circuit.state === 'CLOSED'
                  ? ` ${circuit.failures} recent failure${circuit.failures === 1 ? '' : 's'}`
                  : ` since ${clockTime(circuit.since)}${circuit.by ? `, by tab ${shortTab(circuit.by)}` : ''}`,
              ),
            ),
          )),
    );
  }

  const off = bus.subscribe('$sys.circuit.#', onMessage);
  render();
  return { element, dispose: off };
}
