// An MFE in an iframe, for e2e/tests/frame.spec.ts: joins its host and records what arrives.
// Query: ?host=<host origin> (repeated)&app=<name>&timeoutMs=<ms>.
import type { Message } from '@switchboard/bus';
import type { AppBus } from '@switchboard/bus/apps';
import { joinHost } from '@switchboard/frame/join';

declare global {
  interface Window {
    __frameBus: AppBus;
    /** Messages on `e2e.#` that reached this frame. */
    __received: Message[];
    __errors: string[];
    /** 'joined', or the error joinHost rejected with. */
    __joined: string | undefined;
  }
}

const params = new URLSearchParams(location.search);
window.__received = [];
window.__errors = [];
joinHost({
  hostOrigin: params.getAll('host'),
  app: params.get('app') ?? 'orders',
  timeoutMs: Number(params.get('timeoutMs') ?? 10_000),
  onError: (error) => {
    const { name, code, message } = error as Error & { code?: string };
    window.__errors.push(`${name} ${code}: ${message}`);
  },
}).then(
  (bus) => {
    window.__frameBus = bus;
    bus.subscribe('e2e.#', (message) => void window.__received.push(message));
    window.__joined = 'joined';
  },
  (error: Error) => {
    window.__joined = `${error.name}: ${error.message}`;
  },
);
