import { SwitchboardError } from './errors.ts';
import type { AnyBus } from './pub-sub-bus.ts';
import { RETAINED_SERVICE, type RetainedService } from './retained-subscription.ts';
import { systemAccess } from './system-access.ts';

/**
 * Forgets the retained message of `topic` in every tab (and in storage), as publishing an empty
 * retained message does in MQTT. Later retained subscribers no longer receive it; nothing is
 * delivered to live subscribers. Works on the full bus and on a handle granted `'retained'`.
 *
 * @example
 * import { clearRetained } from '@switchboard/bus/retained';
 * clearRetained(bus, 'user.session');
 */
export function clearRetained(bus: AnyBus, topic: string): void {
  const access = systemAccess(bus, 'retained', { name: 'clear-retained' });
  try {
    const service = access.lookup<RetainedService>(RETAINED_SERVICE);
    if (service === undefined) {
      throw new SwitchboardError(
        'INVALID_OPTION',
        `clearRetained('${topic}'): no retained store is attached to this tab's bus; call attachRetained(bus) from '@switchboard/bus/retained' first.`,
      );
    }
    service.clear(topic);
  } finally {
    access.release();
  }
}
