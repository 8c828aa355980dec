/** Where page lifecycle events (`pagehide`, `pageshow`, `visibilitychange`) are heard; `window`. */
export interface LifecycleTarget {
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
}

/** What cross-tab does at each moment of the page's life. */
export interface PageLifecycleHandlers {
  /** The page is unloading or entering the back/forward cache. */
  onHide(): void;
  /** The page came back from the back/forward cache. */
  onRestore(): void;
  /** The page was hidden or shown. */
  onVisibilityChange(): void;
}

/** Listens to the page's lifecycle; returns a function that stops listening. */
export function watchPageLifecycle(target: LifecycleTarget | undefined, handlers: PageLifecycleHandlers): () => void {
  if (target === undefined) return () => {};
  const onPageHide = (): void => handlers.onHide();
  const onPageShow = (event: Event): void => {
    // A first load fires pageshow too; only a page restored from the cache has `persisted`.
    if ((event as Event & { persisted?: boolean }).persisted === true) handlers.onRestore();
  };
  const onVisibilityChange = (): void => handlers.onVisibilityChange();
  target.addEventListener('pagehide', onPageHide);
  target.addEventListener('pageshow', onPageShow);
  target.addEventListener('visibilitychange', onVisibilityChange);
  return () => {
    target.removeEventListener('pagehide', onPageHide);
    target.removeEventListener('pageshow', onPageShow);
    target.removeEventListener('visibilitychange', onVisibilityChange);
  };
}

/** `window` in a page; undefined elsewhere (Node has `globalThis.addEventListener`, but no pagehide comes). */
export function pageLifecycleTarget(): LifecycleTarget | undefined {
  const target = globalThis as Partial<LifecycleTarget> & { document?: unknown };
  return target.document !== undefined && typeof target.addEventListener === 'function'
    ? (target as LifecycleTarget)
    : undefined;
}

/** The page is hidden now (a background tab, whose timers the browser may throttle). */
export function isPageHidden(): boolean {
  return (globalThis as { document?: { visibilityState?: string } }).document?.visibilityState === 'hidden';
}
