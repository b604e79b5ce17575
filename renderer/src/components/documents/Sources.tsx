import { createContext, useContext, type ReactNode } from 'react';
import type { CitedPassage, DocumentsTrace } from '../../../../shared/documents.ts';
import { documentsActions } from '../../state/documentsStore.ts';

const open = (p: CitedPassage) => void documentsActions.openPassage(p.documentId, p.page, p.chunkId);
const label = (p: CitedPassage) => `${p.name}${p.page !== null ? `, page ${p.page}` : ''}`;

/** The passages an answer was given, by number: a [n] in the answer's text opens passage n. */
const Citations = createContext<Map<number, CitedPassage> | null>(null);

export function CitationScope({ documents, children }: { documents?: DocumentsTrace; children: ReactNode }) {
  if (!documents) return children;
  return <Citations.Provider value={new Map(documents.passages.map((p) => [p.n, p]))}>{children}</Citations.Provider>;
}

/** Text with [n] marks: each mark of a passage the answer was given becomes a button that opens it. */
export function CitedText({ text }: { text: string }) {
  const passages = useContext(Citations);
  if (!passages) return text;
  return text.split(/(\[\d{1,3}\])/).map((piece, i) => {
    const p = passages.get(Number(piece.slice(1, -1)));
    if (!/^\[\d{1,3}\]$/.test(piece) || !p) return piece;
    return (
      <button key={i} type="button" className="cite" title={`Open ${label(p)}`} onClick={() => open(p)}>
        {piece}
      </button>
    );
  });
}

/** Under an answer: every passage it was given, with its file, page, tokens and score. */
export function Sources({ documents }: { documents: DocumentsTrace }) {
  if (documents.passages.length === 0)
    return (
      <p className="sources" data-testid="sources">
        Documents: {documents.why}
      </p>
    );
  return (
    <div className="sources" data-testid="sources">
      <span>Sources ({documents.mode === 'whole' ? 'whole documents' : 'retrieved passages'}):</span>
      <ol>
        {documents.passages.map((p) => (
          <li key={p.n}>
            <button type="button" className="source" onClick={() => open(p)}>
              [{p.n}] {label(p)}
            </button>{' '}
            <span className="source-facts">
              {documents.tokenBasis === 'estimate' && '≈'}
              {p.tokens} tokens
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
