import type { Message } from '@switchboard/bus';
import { el } from '../dom.ts';
import { clockTime } from '../format.ts';
import { asRecord, isMalformed, readFields } from '../payload-checks.ts';
import { createSection, type InspectorView } from './section.ts';

type StepStatus = 'done' | 'compensated' | 'compensation failed';

interface SagaProgress {
  readonly sagaId: string;
  readonly name: string;
  readonly started: number;
  status: 'running' | 'completed' | 'compensating' | 'failed';
  total: number;
  readonly steps: Map<number, { name: string; status: StepStatus }>;
  error?: string;
}

const SHOWN = 6;
// Message ids already applied: the same event can come from history and from the live feed.
const REMEMBERED_IDS = 2000;
const STEP_ICONS = { done: '✓', compensated: '↺', 'compensation failed': '⚠' } as const;
const BASE = { sagaId: 'string', name: 'string' } as const;
const STEP = { step: 'number', stepName: 'string' } as const;

/**
 * Follows the progress events sagas publish (`<prefix>.step.completed`, `<prefix>.failed`, …)
 * from every tab and keeps the latest few sagas. Applying an event twice changes nothing.
 */
export function createSagasView(prefix = 'saga'): InspectorView {
  const sagas = new Map<string, SagaProgress>();
  const seen = new Set<string>();
  const section = createSection('Sagas', 'sagas-list');

  function apply(message: Message, event: string): boolean {
    const base = readFields(message.payload, BASE);
    if (isMalformed(base)) {
      section.reportMalformed(message, base.malformed);
      return false;
    }
    const step = event === 'completed' || event === 'failed' ? undefined : readFields(message.payload, STEP);
    if (step !== undefined && isMalformed(step)) {
      section.reportMalformed(message, step.malformed);
      return false;
    }
    let saga = sagas.get(base.sagaId);
    if (!saga) {
      saga = {
        sagaId: base.sagaId,
        name: base.name,
        started: message.ts,
        status: 'running',
        total: 0,
        steps: new Map(),
      };
      sagas.set(base.sagaId, saga);
      // Oldest first in the Map: drop beyond the bound.
      if (sagas.size > SHOWN) sagas.delete(sagas.keys().next().value!);
    }
    if (event === 'step.completed' && step) {
      const total = asRecord(message.payload)?.total;
      if (typeof total === 'number' && Number.isFinite(total)) saga.total = total;
      saga.steps.set(step.step, { name: step.stepName, status: 'done' });
    } else if (event === 'completed') {
      saga.status = 'completed';
    } else if (event === 'failed') {
      saga.status = 'compensating';
      const error = asRecord(asRecord(message.payload)?.error)?.message;
      if (typeof error === 'string') saga.error = error;
    } else if (step) {
      saga.steps.set(step.step, {
        name: step.stepName,
        status: event === 'step.compensated' ? 'compensated' : 'compensation failed',
      });
    }
    // No event closes a failed saga: it is over once no completed step is left to undo.
    if (saga.status === 'compensating' && ![...saga.steps.values()].some((s) => s.status === 'done'))
      saga.status = 'failed';
    return true;
  }

  function render(): void {
    section.list.replaceChildren(
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

  const events = new Set(['step.completed', 'completed', 'failed', 'step.compensated', 'compensation.failed']);
  render();
  return {
    element: section.element,
    malformedCount: section.malformedCount,
    accept(message) {
      if (!message.topic.startsWith(`${prefix}.`)) return;
      const event = message.topic.slice(prefix.length + 1);
      if (!events.has(event) || seen.has(message.id)) return;
      seen.add(message.id);
      if (seen.size > REMEMBERED_IDS) seen.delete(seen.values().next().value!);
      if (apply(message, event)) render();
    },
  };
}
