import type { AnyBus } from '@switchboard/bus';
import type { MountedInspector, MountInspectorOptions, mountInspector } from '../mount-inspector.ts';
import { createRecorder, type Recorder } from './recorder.ts';
import { DEFAULT_SHORTCUT, matchesShortcut, parseShortcut } from './shortcut.ts';

/** Options of {@link createInspectorLauncher}. */
export interface InspectorLauncherOptions {
  /** The shell's full bus. */
  readonly bus: AnyBus;
  /** The element the panel is mounted into; the launcher sets its `hidden`. */
  readonly element: HTMLElement;
  /**
   * Loads the panel: `() => import('@switchboard/inspector')`. Written in the shell, so its
   * bundler puts the panel in a chunk of its own, fetched on first open.
   */
  readonly load: () => Promise<{ mountInspector: typeof mountInspector }>;
  /** Passed to `mountInspector` (besides `bus`, `recorder` and `onClose`, which the launcher sets). */
  readonly mount?: Omit<MountInspectorOptions, 'bus' | 'recorder' | 'onClose' | 'session'>;
  /**
   * Toggles the panel from anywhere in the page (see `parseShortcut`); `false` for none.
   * @default 'Alt+Shift+I'
   */
  readonly shortcut?: string | false;
  /** A `sessionStorage` key: the panel reopens after a reload of a tab it was open in. */
  readonly rememberOpen?: string;
  /**
   * Messages recorded before the first open, of each kind (domain, `$sys.`).
   * @default 500
   */
  readonly recordLimit?: number;
  /**
   * Called when the panel cannot be loaded.
   * @default console.error
   */
  readonly onError?: (error: unknown) => void;
}

/** Opens and closes the inspector; the panel's code loads on first open. */
export interface InspectorLauncher {
  /** Loads the panel if needed and shows it. */
  open(): Promise<void>;
  close(): void;
  toggle(): Promise<void>;
  isOpen(): boolean;
  /** Called with the new state whenever the panel opens or closes. */
  onToggle(listener: (open: boolean) => void): () => void;
  /** What the bus delivered since the launcher was created. */
  readonly recorder: Recorder;
  /** The mounted panel, once it was opened. */
  inspector(): MountedInspector | undefined;
  dispose(): void;
}

/**
 * Records from now on, listens for the shortcut and mounts the inspector on first open. Create
 * it as the shell starts, before the apps mount, so the panel shows everything they did.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { createInspectorLauncher } from '@switchboard/inspector/launcher';
 * const launcher = createInspectorLauncher({
 *   bus: createPubSub({ app: 'shell' }),
 *   element: document.createElement('aside'),
 *   load: () => import('@switchboard/inspector'),
 * });
 * document.querySelector('#inspect')?.addEventListener('click', () => void launcher.toggle());
 */
export function createInspectorLauncher(options: InspectorLauncherOptions): InspectorLauncher {
  const shortcut = options.shortcut === false ? undefined : parseShortcut(options.shortcut ?? DEFAULT_SHORTCUT);
  const recorder = createRecorder(options.bus, { limit: options.recordLimit ?? 500 });
  const listeners = new Set<(open: boolean) => void>();
  const storage = options.rememberOpen === undefined ? undefined : globalThis.sessionStorage;
  let state: 'closed' | 'loading' | 'open' | 'disposed' = 'closed';
  let mounted: MountedInspector | undefined;
  let loading: Promise<MountedInspector> | undefined;

  function setOpen(open: boolean): void {
    options.element.hidden = !open;
    mounted?.setVisible(open);
    if (options.rememberOpen !== undefined) storage?.setItem(options.rememberOpen, open ? '1' : '0');
    for (const listener of listeners) listener(open);
  }

  function mount(): Promise<MountedInspector> {
    loading ??= options.load().then(({ mountInspector }) => {
      mounted = mountInspector(options.element, { ...options.mount, bus: options.bus, recorder, onClose: close });
      return mounted;
    });
    return loading;
  }

  let opening: Promise<void> | undefined;

  function open(): Promise<void> {
    if (state === 'loading' && opening) return opening;
    if (state === 'open' || state === 'disposed') return Promise.resolve();
    state = 'loading';
    opening = mount().then(
      () => {
        opening = undefined;
        // Closed or disposed while it loaded: stay as asked.
        if (state !== 'loading') return;
        state = 'open';
        setOpen(true);
      },
      (error: unknown) => {
        opening = undefined;
        loading = undefined;
        if (state === 'loading') state = 'closed';
        (options.onError ?? ((e: unknown) => console.error('[switchboard] the inspector could not load:', e)))(error);
      },
    );
    return opening;
  }

  function close(): void {
    if (state === 'disposed' || state === 'closed') return;
    state = 'closed';
    setOpen(false);
  }

  const onKey = (event: KeyboardEvent): void => {
    if (!shortcut || !matchesShortcut(shortcut, event)) return;
    event.preventDefault();
    void toggle();
  };
  const toggle = (): Promise<void> => (state === 'open' || state === 'loading' ? Promise.resolve(close()) : open());

  if (shortcut) globalThis.document?.addEventListener('keydown', onKey);
  if (options.rememberOpen !== undefined && storage?.getItem(options.rememberOpen) === '1') void open();

  return {
    open,
    close,
    toggle,
    isOpen: () => state === 'open',
    onToggle(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    recorder,
    inspector: () => mounted,
    dispose() {
      state = 'disposed';
      globalThis.document?.removeEventListener('keydown', onKey);
      mounted?.dispose();
      recorder.dispose();
      listeners.clear();
    },
  };
}
