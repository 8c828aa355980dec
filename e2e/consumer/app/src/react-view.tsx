// The React bindings in the built app: a component that counts the greetings it receives.
import type { PubSubBus } from '@switchboard/bus';
import { SwitchboardProvider, useSubscription } from '@switchboard/react';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';

function GreetingCount() {
  const [count, setCount] = useState(0);
  useSubscription('greetings.sent', () => setCount((n) => n + 1));
  return <output>{`received: ${count}`}</output>;
}

/** Renders the counter into `element`, under StrictMode. */
export function mountReactView(element: HTMLElement, bus: PubSubBus): void {
  createRoot(element).render(
    <StrictMode>
      <SwitchboardProvider bus={bus}>
        <GreetingCount />
      </SwitchboardProvider>
    </StrictMode>,
  );
}
