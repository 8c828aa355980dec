// Smoke page: one bus per tab, exposed for page.evaluate() in e2e/tests/smoke.spec.ts.
import { createPubSub } from '@switchboard/bus';

declare global {
  interface Window {
    __bus: ReturnType<typeof createPubSub>;
    __ready: boolean;
  }
}

window.__bus = createPubSub({ app: 'smoke' });
window.__ready = true;
