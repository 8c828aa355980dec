import { joinHost } from '@switchboard/frame/join';

// The framed MFE of the frame bench: answers every ping with the same payload, through its
// handle (the bus) and through the hand-written relay (window.postMessage to its parent).
const hostOrigin = new URLSearchParams(location.search).get('host')!;

const bus = await joinHost({ hostOrigin, app: 'bench-frame' });
bus.subscribe<{ seq: number }>('bench.ping', (m) => bus.publish('bench.pong', m.payload));
addEventListener('message', (event) => {
  if (event.origin !== hostOrigin || event.source !== parent) return;
  if ((event.data as { relay?: unknown })?.relay === true) parent.postMessage(event.data, hostOrigin);
});
await bus.flush();
bus.publish('bench.ready', {});
