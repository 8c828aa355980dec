// The hub page, embedded hidden by every host page of the hub specs. Query: ?host=<origin>
// (repeated: the origins that may connect)&channel=<name>.
import { serveHub, type HubFrame } from '@switchboard/frame/hub';

declare global {
  interface Window {
    __hub: HubFrame;
  }
}

const params = new URLSearchParams(location.search);
window.__hub = serveHub({ hostOrigins: params.getAll('host'), channel: params.get('channel') ?? 'e2e-hub' });
