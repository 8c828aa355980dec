// @vitest-environment happy-dom
import { createPubSub } from '@switchboard/bus';
import { describe, expect, it, vi } from 'vitest';
import { createSSRApp, defineComponent, h, nextTick } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { createSwitchboardPlugin, useLatest, useRetained } from '../src/index.ts';
import type { AnyBus } from '@switchboard/bus';
import { withRetained } from '../../react/test/support/retained.ts';

const User = defineComponent(() => {
  const user = useLatest('user.current', { retained: true });
  const stock = useRetained('stock.+');
  return () => h('p', `${user.value?.payload.name ?? 'guest'} ${Object.keys(stock.value).length}`);
});

function app(bus: AnyBus) {
  return createSSRApp(User).use(createSwitchboardPlugin({ bus }));
}

describe('hydration', () => {
  it('hydrates the server markup without a mismatch, then shows the retained messages', async () => {
    const html = await renderToString(app(createPubSub({ app: 'server', tabId: 'server' })));
    expect(html).toBe('<p>guest 0</p>');

    const { bus } = withRetained(createPubSub({ app: 'client', tabId: 'client' }));
    bus.publish('user.current', { name: 'Ada' }, { retain: true });
    bus.publish('stock.a1', 3, { retain: true });
    const container = document.createElement('div');
    container.innerHTML = html;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    app(bus).mount(container);
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
    await nextTick();
    expect(container.innerHTML).toBe('<p>Ada 1</p>');
  });
});
