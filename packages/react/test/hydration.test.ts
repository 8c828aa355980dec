// @vitest-environment happy-dom
import { createPubSub } from '@switchboard/bus';
import { act } from '@testing-library/react';
import { createElement } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { AnyBus } from '@switchboard/bus';
import { SwitchboardProvider, useLatest, useRetained } from '../src/index.ts';
import { withRetained } from './support/retained.ts';
import './support/react.ts';

function User() {
  const user = useLatest('user.current', { retained: true });
  const stock = useRetained('stock.+');
  return createElement('p', null, `${user?.payload.name ?? 'guest'} ${Object.keys(stock).length}`);
}

const app = (bus: AnyBus) => createElement(SwitchboardProvider, { bus }, createElement(User));

describe('hydration', () => {
  it('hydrates the server markup without a mismatch, then shows the retained messages', async () => {
    const html = renderToString(app(createPubSub({ app: 'server', tabId: 'server' })));
    expect(html).toBe('<p>guest 0</p>');

    const { bus } = withRetained(createPubSub({ app: 'client', tabId: 'client' }));
    bus.publish('user.current', { name: 'Ada' }, { retain: true });
    bus.publish('stock.a1', 3, { retain: true });
    const container = document.createElement('div');
    container.innerHTML = html;
    const recoverable = vi.fn();
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    await act(async () => {
      hydrateRoot(container, app(bus), { onRecoverableError: recoverable });
    });
    expect(recoverable).not.toHaveBeenCalled();
    expect(consoleError).not.toHaveBeenCalled();
    expect(container.innerHTML).toBe('<p>Ada 1</p>');
  });
});
