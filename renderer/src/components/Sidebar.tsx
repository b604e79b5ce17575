import { useRef, useState } from 'react';
import { appActions, useAppStore } from '../state/appStore.ts';
import { chatActions, useChatStore } from '../state/chatStore.ts';
import { useConversations, conversationsActions } from '../state/conversationsStore.ts';
import { SearchResults } from './SearchResults.tsx';

export function Sidebar() {
  const conversations = useChatStore((s) => s.conversations);
  const currentId = useChatStore((s) => s.currentId);
  const query = useChatStore((s) => s.query);
  const view = useAppStore((s) => s.view);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const fullText = useConversations((s) => s.query);
  const status = useConversations((s) => s.status);
  const importInput = useRef<HTMLInputElement>(null);
  return (
    <nav className="sidebar">
      <div className="brand">Edgewise</div>
      <div className="views" role="tablist">
        <button role="tab" aria-selected={view === 'chat'} onClick={() => appActions.show('chat')}>
          Chat
        </button>
        <button role="tab" aria-selected={view === 'fit'} onClick={() => appActions.show('fit')}>
          Fit
        </button>
        <button role="tab" aria-selected={view === 'models'} onClick={() => appActions.show('models')}>
          Models
        </button>
        <button role="tab" aria-selected={view === 'quant'} onClick={() => appActions.show('quant')}>
          Quantize
        </button>
        <button role="tab" aria-selected={view === 'routing'} onClick={() => appActions.show('routing')}>
          Routing
        </button>
        <button role="tab" aria-selected={view === 'backups'} onClick={() => appActions.show('backups')}>
          Backups
        </button>
      </div>
      <button
        className="primary"
        onClick={() => {
          appActions.show('chat');
          void chatActions.create();
        }}
      >
        New conversation
      </button>
      <input
        type="search"
        placeholder="Search titles"
        value={query}
        aria-label="Search conversations"
        onChange={(e) => void chatActions.search(e.target.value)}
      />
      <input
        type="search"
        placeholder="Search all messages (Ctrl/⌘+K)"
        value={fullText}
        aria-label="Search all messages"
        onChange={(e) => void conversationsActions.search(e.target.value)}
      />
      <SearchResults />
      <ul className="conversations">
        {conversations.map((c) => (
          <li key={c.id} className={c.id === currentId ? 'current' : ''} data-testid="conversation">
            {renaming === c.id ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  setRenaming(null);
                  void chatActions.rename(c.id, title);
                }}
              >
                <input
                  autoFocus
                  value={title}
                  aria-label="New title"
                  onChange={(e) => setTitle(e.target.value)}
                  onBlur={() => setRenaming(null)}
                />
              </form>
            ) : (
              <button className="title" onClick={() => void chatActions.select(c.id)}>
                {c.title}
              </button>
            )}
            <span className="row-actions">
              <button
                title="Rename"
                aria-label="Rename"
                onClick={() => {
                  setRenaming(c.id);
                  setTitle(c.title);
                }}
              >
                ✎
              </button>
              <button
                title="Delete"
                aria-label="Delete"
                onClick={() => {
                  if (confirm(`Delete "${c.title}"?`)) void chatActions.remove(c.id);
                }}
              >
                ✕
              </button>
            </span>
          </li>
        ))}
      </ul>
      <div className="transfer">
        <button onClick={() => void conversationsActions.exportTo(undefined, 'json')}>Export all</button>
        <button onClick={() => importInput.current?.click()}>Import…</button>
        <input
          ref={importInput}
          type="file"
          accept=".json,application/json"
          hidden
          aria-label="Import conversations from a file"
          data-testid="import-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void conversationsActions.importFile(file);
          }}
        />
      </div>
      {status && (
        <p className="muted" role="status" data-testid="transfer-status">
          {status}
        </p>
      )}
    </nav>
  );
}
