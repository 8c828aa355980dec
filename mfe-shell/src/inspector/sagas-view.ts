import type { Message, PubSubBus } from '@switchboard/bus';
import { el } from '../dom.ts';
import { clockTime } from './format.ts';

/** The inspector's list of recent sagas and how far each got. */
export interface SagasView {
  readonly element: HTMLElement;
  dispose(): void;
}

interface SagaProgress {
  readonly sagaId: string;
  readonly name: string;
  readonly started: number;
  status: 'running' | 'completed' | 'compensating' | 'failed';
  total: number;
  readonly steps: Map<number, { name: string; status: 'done' | 'compensated' | 'compensation failed' }>;
  error?: string;
}

// The payloads of createSaga's progress events (`saga.step.completed`, `saga.failed`, …).
interface SagaEvent {
  readonly name: string;
  readonly sagaId: string;
  readonly step?: number;
  readonly stepName?: string;
  readonly total?: number;
  readonly error?: { readonly message?: string };
}

const SHOWN = 6;
const STEP_ICONS = { done: '✓', compensated: '↺', 'compensation failed': '⚠' } as const;

/** Follows `saga.*` progress events from every tab; keeps the latest few sagas. */
export function createSagasView(bus: PubSubBus): SagasView {
  const sagas = new Map<string, SagaProgress>();
  const list = el('ul', { class: 'sagas-list', 'data-testid': 'sagas-list' });
  const element = el('section', { class: 'inspector-section' }, el('h3', {}, 'Sagas'), list);

  function onMessage(message: Message<SagaEvent>): void {
    const event = message.payload;
    if (typeof event?.sagaId !== 'string') return;
    let saga = sagas.get(event.sagaId);
    if (!saga) {
      saga = {
        sagaId: event.sagaId,
        name: event.name,
        started: message.ts,
        status: 'running',
        total: 0,
        steps: new Map(),
      };
      sagas.set(event.sagaId, saga);
      // Oldest first in the Map: drop beyond the bound.
      if (sagas.size > SHOWN) sagas.delete(sagas.keys().next().value!);
    }
    if (event.total !== undefined) saga.total = event.total;
    const step = event.step;
    switch (message.topic) {
      case 'saga.step.completed':
        if (step !== undefined) saga.steps.set(step, { name: event.stepName ?? `step ${step}`, status: 'done' });
        break;
      case 'saga.completed':
        saga.status = 'completed';
        break;
      case 'saga.failed':
        saga.status = 'compensating';
        if (event.error?.message) saga.error = event.error.message;
        break;
      case 'saga.step.compensated':
      case 'saga.compensation.failed':
        if (step !== undefined) {
          saga.steps.set(step, {
            name: event.stepName ?? `step ${step}`,
            status: message.topic === 'saga.step.compensated' ? 'compensated' : 'compensation failed',
          });
        }
        break;
      default:
        return;
    }
    // No event closes a failed saga: it is over once no completed step is left to undo.
    if (saga.status === 'compensating' && ![...saga.steps.values()].some((s) => s.status === 'done'))
      saga.status = 'failed';
    render();
  }

  function render(): void {
    list.replaceChildren(
      ...(sagas.size === 0
        ? [el('li', { class: 'muted' }, 'No saga has run yet.')]
        : [...sagas.values()]
            .reverse()
            .map((saga) =>
              el(
                'li',
                { 'data-testid': 'saga-row', 'data-saga': saga.sagaId, 'data-status': saga.status },
                el(
                  'div',
                  {},
                  el('b', {}, saga.name),
                  ` ${saga.sagaId} `,
                  el('span', { class: `pill saga-${saga.status}` }, saga.status),
                  el('span', { class: 'muted' }, ` ${clockTime(saga.started)}`),
                ),
                el(
                  'div',
                  { class: 'saga-steps' },
                  ...[...saga.steps]
                    .sort(([a], [b]) => a - b)
                    .map(([, step]) =>
                      el(
                        'span',
                        { class: `saga-step ${step.status.replace(' ', '-')}` },
                        `${STEP_ICONS[step.status]} ${step.name}`,
                      ),
                    ),
                  saga.total > 0 && saga.status === 'running'
                    ? el('span', { class: 'muted' }, ` (${saga.steps.size}/${saga.total})`)
                    : null,
                ),
                saga.error ? el('div', { class: 'saga-error' }, saga.error) : null,
              ),
            )),
    );
  }

  const off = bus.subscribe<SagaEvent>('saga.#', onMessage);
  render();
  return { element, dispose: off };
}
