import type { DocumentsTrace as Trace } from '../../../../shared/documents.ts';

const num = (n: number | null, digits = 3) => (n === null ? '–' : n.toFixed(digits));

/** In the routing trace: how the documents went in, and each passage with its ranks, scores and tokens. */
export function DocumentsTrace({ documents }: { documents: Trace }) {
  return (
    <div className="trace-documents" data-testid="trace-documents">
      <p>
        Documents: {documents.mode === 'whole' ? 'whole' : 'retrieved passages'} — {documents.why} Embeddings:{' '}
        {documents.embeddings}.
      </p>
      {documents.passages.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>#</th>
              <th>Passage</th>
              <th>Tokens</th>
              <th>Fused score</th>
              <th>bm25 (rank)</th>
              <th>Vector rank</th>
            </tr>
          </thead>
          <tbody>
            {documents.passages.map((p) => (
              <tr key={p.n}>
                <td>[{p.n}]</td>
                <td>
                  {p.name}
                  {p.page !== null && `, p. ${p.page}`}
                </td>
                <td>{p.tokens}</td>
                <td>{num(p.score, 4)}</td>
                <td>
                  {num(p.bm25, 2)} {p.bm25Rank !== null && `(#${p.bm25Rank})`}
                </td>
                <td>{p.vectorRank === null ? '–' : `#${p.vectorRank}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
