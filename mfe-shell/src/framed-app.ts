import { demoManifest, type DemoApp } from '@switchboard/demo-contract/manifest';
import type { FrameConnection, FrameHost, FrameLeftEvent } from '@switchboard/frame';
import type { LifeCycles } from 'single-spa';
import type { ShellRuntime } from './runtime.ts';

/** The query that loads the inventory MFE in an iframe from its own origin: `?frame=inventory`. */
const FRAME_PARAM = 'frame';
/** Two heartbeats of the frame host's (1000 ms by default) and a margin. */
const LEAVE_WAIT_MS = 2500;

/** True when this tab loads the inventory MFE in an iframe (the shell's setting, in the URL). */
export function inventoryInFrame(location: Pick<Location, 'search'>): boolean {
  return new URLSearchParams(location.search).getAll(FRAME_PARAM).includes('inventory');
}

/** The same page with the setting flipped; the setting applies from the next load. */
export function withInventoryInFrame(location: Pick<Location, 'href'>, framed: boolean): string {
  const url = new URL(location.href);
  if (framed) url.searchParams.set(FRAME_PARAM, 'inventory');
  else url.searchParams.delete(FRAME_PARAM);
  return url.href;
}

/**
 * An MFE's single-spa application that runs it in an iframe from its own origin instead of in
 * the page: the page the MFE serves for that (`frame.html`) joins this shell with `joinHost`, and
 * the shell serves its port through a handle with the app's manifest entry and the tab's history.
 * Mount adds the iframe and connects it; unmount removes the iframe and closes the connection
 * once the frame left (the frame's subscriptions go with it).
 */
export function framedApp(
  runtime: ShellRuntime,
  frames: FrameHost,
  app: DemoApp,
  specifier: string,
): () => Promise<LifeCycles<{ domElement: HTMLElement }>> {
  return async () => {
    const origin = new URL(importMapUrl(specifier)).origin;
    let mounted: { iframe: HTMLIFrameElement; connection: FrameConnection } | undefined;
    return {
      bootstrap: async () => {},
      async mount({ domElement }) {
        const iframe = document.createElement('iframe');
        iframe.src = `${origin}/frame.html`;
        iframe.title = `${app} (in a frame from ${origin})`;
        iframe.className = 'app-frame';
        iframe.dataset.testid = `${app}-frame`;
        domElement.replaceChildren(iframe);
        const connection = frames.connectFrame(iframe, {
          origin,
          app,
          permissions: demoManifest[app],
          history: runtime.history,
        });
        mounted = { iframe, connection };
      },
      async unmount() {
        const current = mounted;
        mounted = undefined;
        if (current === undefined) return;
        // Removing the iframe unloads the MFE's page, whose helpers say goodbye through the port
        // (its RPC handlers leave every tab's list); the connection closes once the shell heard
        // the frame leave, or after two heartbeats of the host's.
        const left = runtime.bus
          .waitFor('$sys.frame.left', {
            predicate: (message) => (message.payload as FrameLeftEvent).app === app,
            timeout: LEAVE_WAIT_MS,
          })
          // Not heard in time (a frame that hangs) or the bus went away: close all the same.
          .then(
            () => undefined,
            () => undefined,
          );
        current.iframe.remove();
        await left;
        current.connection.close();
      },
    };
  };
}

/** Where the import map the demo server added to the page sends `specifier`. */
function importMapUrl(specifier: string): string {
  const script = document.querySelector('script[type="importmap"]');
  const url = (JSON.parse(script?.textContent || '{}') as { imports?: Record<string, string> }).imports?.[specifier];
  if (url === undefined) {
    throw new Error(`the page's import map does not name ${specifier}; npm start serves the shell with one.`);
  }
  return url;
}
