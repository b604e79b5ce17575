import { documentsActions, useDocumentsStore } from '../../state/documentsStore.ts';

/** A cited passage in its file: the page (for a PDF), the text around it, and the passage marked. */
export function PassageView() {
  const passage = useDocumentsStore((s) => s.passage);
  if (!passage) return null;
  return (
    <div className="dialog-backdrop" onClick={documentsActions.closePassage}>
      <div
        className="dialog passage"
        role="dialog"
        aria-modal="true"
        aria-labelledby="passage-title"
        data-testid="passage"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="passage-title">
          {passage.name}
          {passage.page !== null && `, page ${passage.page}`}
        </h2>
        <div className="passage-text">
          {passage.before && <span className="passage-context">…{passage.before}</span>}
          <mark data-testid="passage-mark">{passage.text}</mark>
          {passage.after && <span className="passage-context">{passage.after}…</span>}
        </div>
        <div className="dialog-actions">
          <button className="primary" autoFocus onClick={documentsActions.closePassage}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
