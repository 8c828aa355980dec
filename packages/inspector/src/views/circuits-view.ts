import type { Message } from '@switchboard/bus';
import { el } from '../dom.ts';
import { clockTime, shortTab } from '../format.ts';
import { isMalformed, readFields } from '../payload-checks.ts';
import { createSection, type InspectorView } from './section.ts';

type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

interface Circuit {
  state: CircuitState;
  generation: number;
  since: number;
  by: string;
  failures: number;
}

const STATES: readonly string[] = ['CLOSED', 'OPEN', 'HALF_OPEN'];
const PREFIX = '$sys.circuit.';

// `state` events and `shared` answers carry the same facts under different names.
const STATE_EVENT = { state: 'string', generation: 'number', since: 'number', tabId: 'string' } as const;
const SHARED_STATE = { state: 'string', generation: 'number', since: 'number', by: 'string' } as const;

/**
 * Follows every circuit breaker of the origin from the messages breakers exchange on
 * `$sys.circuit.<name>.<kind>`: `state` events, `shared` state answers (sent whenever a breaker
 * starts in some tab) and `failure`/`success` counts. Any message of a circuit makes it known;
 * until a message says otherwise a circuit is CLOSED, as a breaker that is alone starts.
 */
export function createCircuitsView(): InspectorView {
  const circuits = new Map<string, Circuit>();
  const section = createSection('Circuits', 'circuits-list');

  function circuitOf(name: string): Circuit {
    let circuit = circuits.get(name);
    if (!circuit) {
      circuit = { state: 'CLOSED', generation: -1, since: 0, by: '', failures: 0 };
      circuits.set(name, circuit);
    }
    return circuit;
  }

  /** True when the message changed what is shown. */
  function apply(message: Message, name: string, kind: string | undefined): boolean {
    const known = circuits.has(name);
    if (kind === 'state' || kind === 'shared') {
      const read = readFields(message.payload, kind === 'state' ? STATE_EVENT : SHARED_STATE);
      const reason = isMalformed(read)
        ? read.malformed
        : STATES.includes(read.state)
          ? undefined
          : `state: expected one of ${STATES.join(', ')}, got ${JSON.stringify(read.state)}`;
      if (reason !== undefined || isMalformed(read)) {
        section.reportMalformed(message, reason ?? 'unreadable');
        return false;
      }
      const circuit = circuitOf(name);
      // A `state` event of the same generation knows more (HALF_OPEN), so only newer answers count.
      if (kind === 'state' ? read.generation < circuit.generation : read.generation <= circuit.generation)
        return !known;
      circuit.state = read.state as CircuitState;
      circuit.generation = read.generation;
      circuit.since = read.since;
      circuit.by = 'tabId' in read ? read.tabId : read.by;
      if (kind === 'shared' || circuit.state === 'CLOSED') circuit.failures = 0;
      return true;
    }
    const circuit = circuitOf(name);
    if (kind === 'failure') circuit.failures++;
    else if (kind === 'success') circuit.failures = 0;
    // `query`, `claim`, `grant`, `bye`: nothing to show unless the circuit is new.
    else return !known;
    return true;
  }

  function render(): void {
    section.list.replaceChildren(
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

  render();
  return {
    element: section.element,
    malformedCount: section.malformedCount,
    accept(message) {
      if (!message.topic.startsWith(PREFIX)) return;
      const [name, kind] = message.topic.slice(PREFIX.length).split('.');
      if (!name) return;
      if (apply(message, name, kind)) render();
    },
  };
}
