import type { Bus, Message, PayloadOf } from '@switchboard/bus';
import type { DemoTopics, ReplayingHistory } from '@switchboard/demo-contract';
import type {
  SagaCompensationFailedEvent,
  SagaFailedEvent,
  SagaStepCompensatedEvent,
  SagaStepCompletedEvent,
} from '@switchboard/patterns';
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

/** The payload of any of createSaga's progress events (`saga.step.completed`, `saga.failed`, …). */
type SagaEvent = PayloadOf<DemoTopics, 'saga.#'>;

const SHOWN = 6;
// Replayed from history on start: enough events for the sagas shown (a few per saga).
const REPLAYED = 120;
const STEP_ICONS = { done: '✓', compensated: '↺', 'compensation failed': '⚠' } as const;

/**
 * Follows `saga.*` progress events from every tab; keeps the latest few sagas. With a history,
 * it starts from the stored events, so a reload shows what ran before it, then goes live.
 */
export function createSagasView(bus: Bus<DemoTopics>, history?: ReplayingHistory): SagasView {
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
    switch (message.topic) {
      case 'saga.step.completed': {
        const { step, stepName, total } = event as SagaStepCompletedEvent;
        saga.total = total;
        saga.steps.set(step, { name: stepName, status: 'done' });
        break;
      }
      case 'saga.completed':
        saga.status = 'completed';
        break;
      case 'saga.failed':
        saga.status = 'compensating';
        // Another tab's payload: read it defensively.
        if ((event as SagaFailedEvent).error?.message) saga.error = (event as SagaFailedEvent).error.message;
        break;
      case 'saga.step.compensated':
      case 'saga.compensation.failed': {
        const { step, stepName } = event as SagaStepCompensatedEvent | SagaCompensationFailedEvent;
        saga.steps.set(step, {
          name: stepName,
          status: message.topic === 'saga.step.compensated' ? 'compensated' : 'compensation failed',
        });
        break;
      }
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

  const stop = new AbortController();
  const live = (): void => void bus.subscribe('saga.#', onMessage, { signal: stop.signal });
  if (history === undefined) live();
  else {
    history.subscribe('saga.#', onMessage, { signal: stop.signal, last: REPLAYED }).catch((error: unknown) => {
      if (stop.signal.aborted) return;
      console.error('[switchboard demo] the sagas view could not replay history; showing live events only:', error);
      live();
    });
  }
  render();
  return { element, dispose: () => stop.abort() };
}
