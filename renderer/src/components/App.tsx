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

export function App() {
  const notice = useAppStore((s) => s.notice);
  const connected = useAppStore((s) => s.connected);
  const view = useAppStore((s) => s.view);
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
        <ConsentDialog />
        <PassageView />
        <Shortcuts />
      </main>
    </div>
  );
}
