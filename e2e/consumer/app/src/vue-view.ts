// The Vue bindings in the built app: a component that shows the latest greeting.
import type { PubSubBus } from '@switchboard/bus';
import { createSwitchboardPlugin, useLatest } from '@switchboard/vue';
import { createApp, defineComponent, h } from 'vue';

const LatestGreeting = defineComponent(() => {
  const latest = useLatest('greetings.sent');
  return () => h('output', latest.value ? `latest: ${latest.value.payload.text}` : 'no greeting yet');
});

/** Mounts the latest greeting into `element`. */
export function mountVueView(element: HTMLElement, bus: PubSubBus): void {
  createApp(LatestGreeting).use(createSwitchboardPlugin({ bus })).mount(element);
}
