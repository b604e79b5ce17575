// Full-text search results: the matching passage with the matched words marked; choosing one opens
// the conversation scrolled to that message.
import { useConversations, conversationsActions } from '../state/conversationsStore.ts';

export function SearchResults() {
  const query = useConversations((s) => s.query);
  const hits = useConversations((s) => s.hits);
  if (!query.trim()) return null;
  return (
    <div className="search-results" data-testid="search-results">
      <p className="muted" role="status">
        {hits.length === 0
          ? 'No message matches.'
          : `${hits.length}${hits.length === 50 ? '+' : ''} match(es), newest first`}
      </p>
      <ul>
        {hits.map((hit) => (
          <li key={`${hit.conversationId}:${hit.messageId ?? 'title'}`}>
            <button className="hit" data-testid="search-hit" onClick={() => void conversationsActions.open(hit)}>
              <span className="hit-title">
                {hit.conversationTitle}
                {hit.role && <span className="muted"> · {hit.role === 'user' ? 'you' : 'answer'}</span>}
              </span>
              <span className="hit-snippet">
                {hit.snippet.map((part, i) =>
                  part.mark ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
                )}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
