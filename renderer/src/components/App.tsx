import { appActions, useAppStore } from '../state/appStore.ts';
import { Sidebar } from './Sidebar.tsx';
import { ChatView } from './ChatView.tsx';
import { EngineBar } from './EngineBar.tsx';
import { FitView } from './FitView.tsx';
import { RoutingView } from './RoutingView.tsx';
import { QuantView } from './QuantView.tsx';
import { ModelsView } from './ModelsView.tsx';
import { ConsentDialog } from './ConsentDialog.tsx';
import { PassageView } from './documents/PassageView.tsx';
import { DataBanner } from './DataBanner.tsx';
import { BackupsView } from './BackupsView.tsx';
import { Shortcuts } from './Shortcuts.tsx';
import { tabId } from './ViewTabs.tsx';
import { useEffect, useRef } from 'react';

export function App() {
  const notice = useAppStore((s) => s.notice);
  const connected = useAppStore((s) => s.connected);
  const view = useAppStore((s) => s.view);
  const panel = useRef<HTMLDivElement>(null);
  // A view opened from its tab takes the focus: its heading, or the message box in the chat. Views opened
  // by a shortcut or a button place the focus themselves, so only a focused tab hands it on.
  useEffect(() => {
    if (!document.activeElement?.closest('[role="tablist"]')) return;
    panel.current?.querySelector<HTMLElement>('[data-view-focus]')?.focus();
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
        </div>
        <ConsentDialog />
        <PassageView />
        <Shortcuts />
      </main>
    </div>
  );
}
