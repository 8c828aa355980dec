import type { Message } from '@switchboard/bus';
import { el } from './dom.ts';
import { createCircuitsView } from './views/circuits-view.ts';
import { createDenialsView } from './views/denials-view.ts';
import { createLiveLog, type LiveLog } from './views/live-log.ts';
import { createSagasView } from './views/sagas-view.ts';
import type { InspectorView } from './views/section.ts';
import { createStoresView, type StoresView } from './views/stores-view.ts';
import type { StoreTimelineSource } from './views/store-as-of.ts';
import { createTabsView, type TabsSource } from './views/tabs-view.ts';

/** What the views of one panel (live, or a loaded session) are built from. */
export interface ViewSetOptions {
  readonly thisTab: string;
  readonly tabs: TabsSource | undefined;
  readonly appsTopic: string;
  readonly appLabel: (name: string) => string;
  readonly sagaPrefix: string;
  readonly storeTimelines: StoreTimelineSource | undefined;
  readonly kept: number;
  readonly isLiveVisible: () => boolean;
  readonly onError: (error: unknown) => void;
}

/** The overview (tabs, circuits, sagas, denials, stores) and the live log, fed one message at a time. */
export interface ViewSet {
  readonly overview: HTMLElement;
  readonly live: LiveLog;
  readonly stores: StoresView;
  readonly sagas: InspectorView;
  /** Hands a message to every view but the sagas view, which {@link ViewSet.acceptSaga} feeds. */
  acceptExceptSagas(message: Message): void;
  acceptSaga(message: Message): void;
  /** Payloads the views could not read, and views that threw (each also reported to onError). */
  stats(): { malformed: number; failed: number };
  dispose(): void;
}

/** Builds the views and the dispatch that keeps one broken view from stopping the others. */
export function createViewSet(options: ViewSetOptions): ViewSet {
  const tabs = createTabsView(options);
  const circuits = createCircuitsView();
  const sagas = createSagasView(options.sagaPrefix);
  const denials = createDenialsView();
  const stores = createStoresView(options.storeTimelines, options.onError);
  const live = createLiveLog(options.thisTab, options.kept, options.isLiveVisible);
  const overviewViews: InspectorView[] = [tabs, circuits, sagas, denials, stores];
  let failed = 0;

  function deliver(view: Pick<InspectorView, 'accept'>, message: Message): void {
    try {
      view.accept(message);
    } catch (error) {
      // The views check every payload; should one still throw, the others keep going.
      failed++;
      options.onError(error);
    }
  }

  return {
    overview: el(
      'div',
      { class: 'inspector-overview' },
      ...[tabs, circuits, sagas, denials, stores].map((view) => view.element),
    ),
    live,
    stores,
    sagas,
    acceptExceptSagas(message) {
      deliver(live, message);
      for (const view of overviewViews) if (view !== sagas) deliver(view, message);
    },
    acceptSaga: (message) => deliver(sagas, message),
    stats: () => ({
      malformed: overviewViews.reduce((total, view) => total + view.malformedCount(), 0),
      failed,
    }),
    dispose() {
      for (const view of overviewViews) view.dispose?.();
    },
  };
}
