import type { AdapterLink } from './adapter.ts';
import { SwitchboardError } from './errors.ts';
import type { PubSubBus } from './pub-sub-bus.ts';
import { RETAINED_SERVICE, type RetainedService } from './retained-subscription.ts';

/**
 * Forgets the retained message of `topic` in every tab (and in storage), as publishing an empty
 * retained message does in MQTT. Later retained subscribers no longer receive it; nothing is
 * delivered to live subscribers.
 *
 * @example
 * import { clearRetained } from '@switchboard/bus/retained';
 * clearRetained(bus, 'user.session');
 */
export function clearRetained(bus: Pick<PubSubBus, 'attach'>, topic: string): void {
  let link: AdapterLink | undefined;
  const detach = bus.attach({
    name: 'clear-retained',
    connect(connected) {
      link = connected;
    },
  });
  try {
    const service = link?.lookup<RetainedService>(RETAINED_SERVICE);
    if (service === undefined) {
      throw new SwitchboardError(
        'INVALID_OPTION',
        `clearRetained('${topic}'): no retained store is attached to this tab's bus; call attachRetained(bus) from '@switchboard/bus/retained' first.`,
      );
    }
    service.clear(topic);
  } finally {
    detach();
  }
}
