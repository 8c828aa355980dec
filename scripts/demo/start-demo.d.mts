// Types of start-demo.mjs, for the e2e tests that start the demo from TypeScript.

/** Ports of the three servers; 0 picks a free port. */
export interface DemoPorts {
  shell: number;
  orders: number;
  inventory: number;
}

export interface StartDemoOptions {
  /** @default '127.0.0.1' */
  host?: string;
  ports: DemoPorts;
  /** Build into `<outDir>/<app>` instead of each app's dist/. */
  outDir?: string;
  /** Skip the build and serve what is already there. @default true */
  build?: boolean;
  /** Vite's log level during the build. @default 'warn' */
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
}

export interface RunningDemo {
  /** Base URLs, ending in '/'. */
  urls: { shell: string; orders: string; inventory: string };
  close(): Promise<void>;
}

export function startDemo(options: StartDemoOptions): Promise<RunningDemo>;
