import type { AnyBus, Message } from '@switchboard/bus';
import { el } from './dom.ts';
import { InspectorError } from './errors.ts';
import { clockTime } from './format.ts';
import type { Recorder } from './launcher/recorder.ts';
import { type InspectorSession, parseSession, serializeSession } from './session.ts';
import { INSPECTOR_CSS } from './styles.ts';
import { createViewSet, type ViewSet } from './view-set.ts';
import { createHistoryBrowser, type InspectorHistory } from './views/history-browser.ts';
import type { StoreTimelineSource } from './views/store-as-of.ts';
import type { TabsSource } from './views/tabs-view.ts';

/** Options of {@link mountInspector}. */
export interface MountInspectorOptions {
  /**
   * The bus to inspect: the shell's full bus (a per-app handle may not read `$sys.` topics).
   * Optional only when `session` is given.
   */
  readonly bus?: AnyBus;
  /**
   * What was recorded before the panel was mounted (`createRecorder` or a launcher's
   * `recorder`, from `@switchboard/inspector/launcher`). Without it the panel shows what
   * happens from its mount on.
   */
  readonly recorder?: Recorder;
  /** A history adapter: enables the History view, and sagas are rebuilt from stored events. */
  readonly history?: InspectorHistory;
  /** Live tabs and leader, such as `attachCrossTab(bus)`. Without it the panel lists this tab only. */
  readonly tabs?: TabsSource;
  /**
   * Topic on which each tab's shell announces its mounted apps as `{ apps: string[] }`.
   * @default 'shell.apps.mounted'
   */
  readonly appsTopic?: string;
  /**
   * How an app's name reads in the tabs view.
   * @default the name as announced
   */
  readonly appLabel?: (name: string) => string;
  /**
   * The `topicPrefix` of the sagas to follow.
   * @default 'saga'
   */
  readonly sagaPrefix?: string;
  /**
   * Past states of persisted stores (`createIdbStoreStorage()` of `@switchboard/store/idb`):
   * each store's name becomes a button that shows it as of any version still kept.
   */
  readonly storeTimelines?: StoreTimelineSource;
  /**
   * Messages the live view keeps (and a session export writes).
   * @default 500
   */
  readonly kept?: number;
  /** Shows a close button that calls this (a launcher passes its `close`). */
  readonly onClose?: () => void;
  /** Shows a recorded session (from {@link parseSession}) instead of a live bus. */
  readonly session?: InspectorSession;
  /**
   * Called when a view fails, a tabs source throws or history cannot be read.
   * @default console.error
   */
  readonly onError?: (error: unknown) => void;
}

/** What the panel counted. */
export interface InspectorStats {
  /** Messages handed to the views. */
  readonly messages: number;
  /** Payloads a view could not read: shown as malformed, never thrown. */
  readonly malformed: number;
  /** Views that threw anyway, and other failures reported to `onError`. */
  readonly errors: number;
  /** Session files refused by the Load button. */
  readonly rejectedFiles: number;
}

/** A mounted inspector panel. */
export interface MountedInspector {
  /** Tells the panel whether it can be seen: a hidden panel does not redraw its live list. */
  setVisible(visible: boolean): void;
  /** The recorded session as the text of a session file (see `parseSession`). */
  exportSession(): string;
  /** Shows a loaded session beside the live panel, with a way back to it. */
  showSession(session: InspectorSession): void;
  stats(): InspectorStats;
  /** Stops listening and empties the element. */
  dispose(): void;
}

// Saga events read from history when the panel mounts: enough for the few sagas shown.
const REPLAYED_SAGA_EVENTS = 120;

/**
 * Builds the inspector into `element`: tabs (leader marked), circuits, sagas, stores and the
 * calls the apps' manifests refused at the top; live messages with a topic filter and the
 * history browser below; Export and Load for session files. Plain DOM, no framework.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { mountInspector } from '@switchboard/inspector';
 * const bus = createPubSub({ app: 'shell' });
 * const inspector = mountInspector(document.createElement('aside'), { bus });
 * inspector.dispose();
 */
export function mountInspector(element: HTMLElement, options: MountInspectorOptions): MountedInspector {
  const kept = options.kept ?? 500;
  if (!Number.isInteger(kept) || kept < 1)
    throw new InspectorError(
      'INVALID_OPTION',
      'kept',
      `mountInspector: kept must be a positive integer, got ${kept}; pass a count of messages such as 500.`,
    );
  const { bus, session } = options;
  if (!bus && !session)
    throw new InspectorError(
      'INVALID_OPTION',
      'bus',
      'mountInspector: give it a bus to inspect, or a session to show.',
    );

  let visible = true;
  let messages = 0;
  let errors = 0;
  let rejectedFiles = 0;
  const onError = (error: unknown): void => {
    errors++;
    (options.onError ?? ((e: unknown) => console.error('[switchboard] inspector:', e)))(error);
  };
  const viewOptions = {
    appsTopic: options.appsTopic ?? 'shell.apps.mounted',
    appLabel: options.appLabel ?? ((name: string) => name),
    sagaPrefix: options.sagaPrefix ?? 'saga',
    storeTimelines: options.storeTimelines,
    kept,
    onError,
  };
  const stops: Array<() => void> = [];
  const root = el('div', { class: 'sb-inspector' }, el('style', {}, INSPECTOR_CSS));
  const loadStatus = el('div', { class: 'load-status', role: 'status', 'data-testid': 'inspector-load-status' });
  let liveViews: ViewSet | undefined;
  let liveBody: HTMLElement | undefined;
  let sessionPart: { body: HTMLElement; views: ViewSet } | undefined;

  /** A panel body for a session: its own views, fed every recorded message once. */
  function buildSessionBody(shown: InspectorSession, canReturn: boolean): { body: HTMLElement; views: ViewSet } {
    const origins = [...new Set(shown.messages.map((message) => message.origin.tabId))];
    const views = createViewSet({
      ...viewOptions,
      thisTab: shown.tabId,
      tabs: { tabs: () => origins.map((tabId) => ({ tabId, leader: false })), onChange: () => () => {} },
      isLiveVisible: () => visible,
    });
    for (const message of shown.messages) {
      views.acceptExceptSagas(message);
      views.acceptSaga(message);
    }
    const back = el('button', { type: 'button', 'data-testid': 'inspector-back-to-live' }, 'Back to live');
    back.addEventListener('click', closeSession);
    const body = el(
      'div',
      { class: 'inspector-session', 'data-testid': 'inspector-session' },
      el(
        'div',
        { class: 'session-banner' },
        `Session of tab ${shown.tabId}, exported ${new Date(shown.exportedAt).toLocaleString()} (${clockTime(shown.exportedAt)}): `,
        `${shown.messages.length} messages, ${shown.storeOperations.length} store operations`,
        shown.skipped > 0 ? `, ${shown.skipped} left out (not JSON)` : '',
        ' ',
        canReturn ? back : null,
      ),
      views.overview,
      views.live.element,
    );
    return { body, views };
  }

  function closeSession(): void {
    sessionPart?.views.dispose();
    sessionPart?.body.remove();
    sessionPart = undefined;
    if (liveBody) liveBody.hidden = false;
    liveViews?.live.refresh();
  }

  function showSession(shown: InspectorSession): void {
    closeSession();
    sessionPart = buildSessionBody(shown, liveBody !== undefined);
    if (liveBody) liveBody.hidden = true;
    root.append(sessionPart.body);
    sessionPart.views.live.refresh();
  }

  function exportSession(): string {
    const views = sessionPart?.views ?? liveViews;
    return serializeSession({
      tabId: bus?.tabId ?? session?.tabId ?? 'unknown',
      messages: views?.live.messages() ?? [],
      storeOperations: views?.stores.operations() ?? [],
    });
  }

  function buildHead(): HTMLElement {
    const exportButton = el('button', { type: 'button', 'data-testid': 'inspector-export' }, 'Export');
    const loadButton = el('button', { type: 'button', 'data-testid': 'inspector-load' }, 'Load');
    const fileInput = el('input', {
      type: 'file',
      accept: '.json,application/json',
      hidden: true,
      'data-testid': 'inspector-file',
    });
    exportButton.addEventListener('click', () => download(exportSession(), bus?.tabId ?? 'session'));
    loadButton.addEventListener('click', () => fileInput.click());
    fileInput.addEventListener('change', () => {
      const file = fileInput.files?.[0];
      fileInput.value = '';
      if (file) void loadFile(file);
    });
    const closeButton = options.onClose
      ? el('button', { type: 'button', class: 'close', 'aria-label': 'Close inspector' }, '×')
      : null;
    closeButton?.addEventListener('click', () => options.onClose?.());
    return el(
      'div',
      { class: 'inspector-head' },
      el('h2', {}, 'Inspector'),
      el('span', { class: 'muted' }, bus ? `tab ${bus.tabId}` : 'recorded session'),
      el('div', { class: 'actions' }, exportButton, loadButton, fileInput, closeButton),
    );
  }

  async function loadFile(file: Blob): Promise<void> {
    loadStatus.textContent = '';
    try {
      showSession(parseSession(await file.text()));
    } catch (error) {
      // parseSession's message names the field that is wrong; a read failure says why.
      rejectedFiles++;
      loadStatus.textContent = error instanceof Error ? error.message : String(error);
    }
  }

  function buildLive(liveBus: AnyBus): void {
    const liveTab = el(
      'button',
      { type: 'button', role: 'tab', 'aria-selected': 'true', 'data-testid': 'inspector-live-tab' },
      'Live messages',
    );
    const historyTab = el(
      'button',
      { type: 'button', role: 'tab', 'aria-selected': 'false', 'data-testid': 'inspector-history-tab' },
      'History',
    );
    const views = createViewSet({
      ...viewOptions,
      thisTab: liveBus.tabId,
      tabs: options.tabs,
      isLiveVisible: () => visible && liveTab.getAttribute('aria-selected') === 'true' && !sessionPart,
    });
    liveViews = views;
    const { history } = options;
    const browser = history ? createHistoryBrowser(history, liveBus.tabId, onError) : undefined;
    if (browser) browser.element.hidden = true;
    liveBody = el(
      'div',
      { class: 'inspector-live' },
      views.overview,
      history ? el('div', { class: 'inspector-tabs', role: 'tablist' }, liveTab, historyTab) : null,
      views.live.element,
      browser?.element,
    );
    const select = (showHistory: boolean): void => {
      liveTab.setAttribute('aria-selected', String(!showHistory));
      historyTab.setAttribute('aria-selected', String(showHistory));
      views.live.element.hidden = showHistory;
      if (browser) browser.element.hidden = !showHistory;
      if (showHistory) void browser?.refresh();
      else views.live.refresh();
    };
    liveTab.addEventListener('click', () => select(false));
    historyTab.addEventListener('click', () => select(true));

    // Saga events wait for the stored ones, so progress is applied in the order it happened.
    let sagaQueue: Message[] | undefined = history ? [] : undefined;
    const feed = (message: Message): void => {
      messages++;
      views.acceptExceptSagas(message);
      if (sagaQueue) sagaQueue.push(message);
      else views.acceptSaga(message);
    };
    for (const message of options.recorder?.messages() ?? []) feed(message);
    if (options.recorder) stops.push(options.recorder.subscribe(feed));
    else stops.push(liveBus.subscribe('#', feed), liveBus.subscribe('$sys.#', feed));
    let disposed = false;
    stops.push(() => {
      disposed = true;
    });
    history
      ?.getHistory(`${viewOptions.sagaPrefix}.#`, { limit: REPLAYED_SAGA_EVENTS, order: 'desc' })
      .then(
        (stored) => {
          if (!disposed) for (const message of [...stored].reverse()) views.acceptSaga(message);
        },
        (error: unknown) => {
          if (!disposed) onError(error);
        },
      )
      .finally(() => {
        const queued = sagaQueue ?? [];
        sagaQueue = undefined;
        if (!disposed) for (const message of queued) views.acceptSaga(message);
      });
    stops.push(() => views.dispose());
  }

  root.append(buildHead(), loadStatus);
  if (bus) {
    buildLive(bus);
    root.append(liveBody!);
  }
  if (session) showSession(session);
  element.replaceChildren(root);
  liveViews?.live.refresh();

  return {
    setVisible(next) {
      visible = next;
      if (next) (sessionPart?.views ?? liveViews)?.live.refresh();
    },
    exportSession,
    showSession,
    stats() {
      const views = [liveViews, sessionPart?.views].filter((set) => set !== undefined);
      const counted = views.map((set) => set.stats());
      return {
        messages,
        malformed: counted.reduce((total, count) => total + count.malformed, 0),
        errors: errors,
        rejectedFiles,
      };
    },
    dispose() {
      for (const stop of stops.splice(0)) stop();
      sessionPart?.views.dispose();
      element.replaceChildren();
    },
  };
}

/** Saves `text` as a `.json` file through a temporary link. */
function download(text: string, tabId: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = el('a', { href: url, download: `switchboard-session-${tabId}-${Date.now()}.json` });
  link.click();
  // After the click's navigation has started; revoking at once can cancel it in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
