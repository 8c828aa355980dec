/** What the React suites share: a bus per test, a provider wrapper, StrictMode on. */
import { createPubSub, type PubSubBus } from '@switchboard/bus';
import { cleanup, configure } from '@testing-library/react';
import { createElement, type ReactNode } from 'react';
import { afterEach, vi } from 'vitest';
import { SwitchboardProvider, type SwitchboardProviderProps } from '../../src/index.ts';

// Every render of these suites is wrapped in <StrictMode>: effects mount, unmount and mount again.
configure({ reactStrictMode: true });
afterEach(cleanup);

let buses = 0;

/** A bus of its own for one test; its errors are collected instead of rethrown. */
export function testBus(): PubSubBus & { readonly errors: unknown[] } {
  const errors: unknown[] = [];
  const bus = createPubSub({
    app: `react-test-${++buses}`,
    tabId: `tab-${buses}`,
    onError: (error) => errors.push(error),
  });
  return Object.assign(bus, { errors });
}

/** A `wrapper` for render/renderHook: the provider with these props. */
export function providerWith(props: Omit<SwitchboardProviderProps, 'children'>) {
  return ({ children }: { children: ReactNode }) => createElement(SwitchboardProvider, { ...props, children });
}

/**
 * The error a render throws, unwrapped: React gathers the errors of StrictMode's two effect runs
 * into an AggregateError.
 */
export function renderError(render: () => unknown): Error {
  vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    render();
  } catch (error) {
    return (error instanceof AggregateError ? error.errors[0] : error) as Error;
  }
  throw new Error('renderError(): the render did not throw');
}
