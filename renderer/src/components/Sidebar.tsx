import { useRef, useState } from 'react';
import { appActions } from '../state/appStore.ts';
import { chatActions, useChatStore } from '../state/chatStore.ts';
import { useConversations, conversationsActions } from '../state/conversationsStore.ts';
import { SearchResults } from './SearchResults.tsx';
import { ViewTabs } from './ViewTabs.tsx';

export function Sidebar() {
  const conversations = useChatStore((s) => s.conversations);
  const currentId = useChatStore((s) => s.currentId);
  const query = useChatStore((s) => s.query);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const fullText = useConversations((s) => s.query);
  const status = useConversations((s) => s.status);
  const importInput = useRef<HTMLInputElement>(null);
  return (
    <nav className="sidebar" aria-label="Views and conversations">
      <div className="brand">Edgewise</div>
      <ViewTabs />
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
              <button
                className="title"
                aria-current={c.id === currentId ? 'true' : undefined}
                onClick={() => void chatActions.select(c.id)}
              >
                {c.title}
              </button>
            )}
            <span className="row-actions">
              <button
                title="Rename"
                aria-label={`Rename ${c.title}`}
                onClick={() => {
                  setRenaming(c.id);
                  setTitle(c.title);
                }}
              >
                ✎
              </button>
              <button
                title="Delete"
                aria-label={`Delete ${c.title}`}
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
