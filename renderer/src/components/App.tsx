import { lazy, Suspense, useEffect, useRef } from 'react';
import { appActions, useAppStore } from '../state/appStore.ts';
import { Sidebar } from './Sidebar.tsx';
import { ChatView } from './ChatView.tsx';
import { EngineBar } from './EngineBar.tsx';
import { ConsentDialog } from './ConsentDialog.tsx';
import { ToolConsentDialog } from './ToolConsentDialog.tsx';
import { PassageView } from './documents/PassageView.tsx';
import { DataBanner } from './DataBanner.tsx';
import { Shortcuts } from './Shortcuts.tsx';
import { tabId } from './ViewTabs.tsx';

// The chat is what opens; the other views are chunks of their own, loaded when first shown, so that
// start-up parses only what the first screen needs.
const FitView = lazy(() => import('./FitView.tsx').then((m) => ({ default: m.FitView })));
const RoutingView = lazy(() => import('./RoutingView.tsx').then((m) => ({ default: m.RoutingView })));
const QuantView = lazy(() => import('./QuantView.tsx').then((m) => ({ default: m.QuantView })));
const ModelsView = lazy(() => import('./ModelsView.tsx').then((m) => ({ default: m.ModelsView })));
const BackupsView = lazy(() => import('./BackupsView.tsx').then((m) => ({ default: m.BackupsView })));

export function App() {
  const notice = useAppStore((s) => s.notice);
  const connected = useAppStore((s) => s.connected);
  const view = useAppStore((s) => s.view);
  const panel = useRef<HTMLDivElement>(null);
  // A view opened from its tab takes the focus: its heading, or the message box in the chat. Views opened
  // by a shortcut or a button place the focus themselves, so only a focused tab hands it on.
  // Views are lazy chunks: on a view's first opening its heading appears only once the chunk has loaded.
  useEffect(() => {
    const root = panel.current;
    if (!root || !document.activeElement?.closest('[role="tablist"]')) return;
    const focusTarget = () => {
      // While a lazy view loads, React keeps the previous view in the page, hidden: its target cannot
      // take the focus, so this waits until the element that has it is the new view's.
      const target = root.querySelector<HTMLElement>('[data-view-focus]');
      target?.focus();
      return target != null && document.activeElement === target;
    };
    if (focusTarget()) return;
    const observer = new MutationObserver(() => {
      if (focusTarget()) observer.disconnect();
    });
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [view]);
  return (
    <div className="app" data-connected={connected}>
      <Sidebar />
      <main>
        <EngineBar />
        {!connected && (
          <div className="banner" role="status">
            Connecting to Edgewise…
          </div>
        )}
        {notice && (
          <div className="banner error" role="alert" data-testid="notice">
            <span>{notice}</span>
            <button onClick={appActions.dismiss} aria-label="Dismiss">
              ×
            </button>
          </div>
        )}
        <DataBanner />
        <div className="view-panel" id="view-panel" role="tabpanel" aria-labelledby={tabId(view)} ref={panel}>
          <Suspense
            fallback={
              <div className="banner" role="status">
                Loading…
              </div>
            }
          >
            {view === 'chat' ? (
              <ChatView />
            ) : view === 'fit' ? (
              <FitView />
            ) : view === 'quant' ? (
              <QuantView />
            ) : view === 'models' ? (
              <ModelsView />
            ) : view === 'backups' ? (
              <BackupsView />
            ) : (
              <RoutingView />
            )}
          </Suspense>
        </div>
        <ConsentDialog />
        <ToolConsentDialog />
        <PassageView />
        <Shortcuts />
      </main>
    </div>
  );
}
