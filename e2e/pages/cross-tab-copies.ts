// Two copies of Switchboard in one page: the workspace source (served by Vite) and a second,
// separately bundled copy (bus included) that the test serves at the URL in ?copy=<url>.
// Query: ?channel=<name>&copy=<url>. Exposed for e2e/tests/cross-tab-copies.spec.ts.
import { createCrossTabPubSub } from '@switchboard/cross-tab';
import { createInbox, type Inbox, type Subscribable } from './cross-tab-inbox.ts';

interface AnyCopy extends Subscribable {
  readonly tabId: string;
  publish(topic: string, payload: unknown): { id: string };
  flush(): Promise<void>;
}

declare global {
  interface Window {
    __copies: Array<{ bus: AnyCopy; inbox: Inbox }>;
    __sameModule: boolean;
    __ready: boolean;
  }
}

const params = new URLSearchParams(location.search);
const channel = params.get('channel') ?? 'e2e';
const copyUrl = params.get('copy');
if (copyUrl === null)
  throw new Error('cross-tab-copies: pass ?copy=<url of a second bundle of @switchboard/cross-tab>.');
const second = (await import(/* @vite-ignore */ copyUrl)) as { createCrossTabPubSub: typeof createCrossTabPubSub };

const buses: AnyCopy[] = [
  createCrossTabPubSub({ app: 'copy-1', channel }),
  second.createCrossTabPubSub({ app: 'copy-2', channel }),
];
window.__copies = buses.map((bus) => ({ bus, inbox: createInbox(bus) }));
window.__sameModule = second.createCrossTabPubSub === createCrossTabPubSub;
window.__ready = true;
