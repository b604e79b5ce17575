import { useState } from 'react';
import { useApp, actions } from '../store.ts';

export function Sidebar() {
  const conversations = useApp((s) => s.conversations);
  const currentId = useApp((s) => s.currentId);
  const query = useApp((s) => s.query);
  const view = useApp((s) => s.view);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  return (
    <nav className="sidebar">
      <div className="brand">Edgewise</div>
      <div className="views" role="tablist">
        <button role="tab" aria-selected={view === 'chat'} onClick={() => actions.show('chat')}>
          Chat
        </button>
        <button role="tab" aria-selected={view === 'fit'} onClick={() => actions.show('fit')}>
          Fit
        </button>
        <button role="tab" aria-selected={view === 'models'} onClick={() => actions.show('models')}>
          Models
        </button>
        <button role="tab" aria-selected={view === 'lab'} onClick={() => actions.show('lab')}>
          Quantize
        </button>
        <button role="tab" aria-selected={view === 'routing'} onClick={() => actions.show('routing')}>
          Routing
        </button>
      </div>
      <button
        className="primary"
        onClick={() => {
          actions.show('chat');
          void actions.create();
        }}
      >
        New conversation
      </button>
      <input
        type="search"
        placeholder="Search titles"
        value={query}
        aria-label="Search conversations"
        onChange={(e) => void actions.search(e.target.value)}
      />
      <ul className="conversations">
        {conversations.map((c) => (
          <li key={c.id} className={c.id === currentId ? 'current' : ''} data-testid="conversation">
            {renaming === c.id ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  setRenaming(null);
                  void actions.rename(c.id, title);
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
              <button className="title" onClick={() => void actions.select(c.id)}>
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
                  if (confirm(`Delete "${c.title}"?`)) void actions.remove(c.id);
                }}
              >
                ✕
              </button>
            </span>
          </li>
        ))}
      </ul>
    </nav>
  );
}
