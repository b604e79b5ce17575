import { useApp, actions } from '../store.ts';
import { Sidebar } from './Sidebar.tsx';
import { ChatView } from './ChatView.tsx';
import { EngineBar } from './EngineBar.tsx';

export function App() {
  const notice = useApp((s) => s.notice);
  const connected = useApp((s) => s.connected);
  return (
    <div className="app" data-connected={connected}>
      <Sidebar />
      <main>
        <EngineBar />
        {!connected && <div className="banner" role="status">Connecting to Edgewise…</div>}
        {notice && (
          <div className="banner error" role="alert" data-testid="notice">
            <span>{notice}</span>
            <button onClick={actions.dismiss} aria-label="Dismiss">×</button>
          </div>
        )}
        <ChatView />
      </main>
    </div>
  );
}
