// A framed page that skips the library and speaks the protocol by hand, as hostile code could,
// for e2e/tests/frame.spec.ts. Query: ?host=<host origin>.
declare global {
  interface Window {
    /** Says hello claiming `app`; resolves true once welcomed with a port. */
    __hello(app: string): Promise<boolean>;
    /** Posts raw data on the port. */
    __send(data: unknown): void;
    /** What came down the port. */
    __down: unknown[];
  }
}

const host = new URLSearchParams(location.search).get('host')!;
let port: MessagePort | undefined;
window.__down = [];

window.__hello = (app) =>
  new Promise((resolve) => {
    const nonce = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(
      '',
    );
    const timer = setTimeout(() => resolve(false), 1500);
    addEventListener('message', (event) => {
      if (event.data?.type !== 'welcome' || event.data.nonce !== nonce) return;
      clearTimeout(timer);
      port = event.ports[0]!;
      port.onmessage = (down) => void window.__down.push(down.data);
      resolve(true);
    });
    parent.postMessage({ sb: 'switchboard.frame', v: 1, type: 'hello', role: 'app', app, nonce }, host);
  });
window.__send = (data) => port!.postMessage(data);

export {};
