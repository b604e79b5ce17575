import { routingActions, useRoutingStore } from '../state/routingStore.ts';

/** Asks, for one query, whether it may go to the partner cloud, showing exactly what would be sent. */
export function ConsentDialog() {
  const request = useRoutingStore((s) => s.consents[0]);
  if (!request) return null;
  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="consent-title"
        data-testid="consent-dialog"
      >
        <h2 id="consent-title">Send this query to {request.partner}?</h2>
        <p>{request.reasons.join(' ')}</p>
        <dl className="consent-facts">
          <dt>To</dt>
          <dd>
            {request.partner} at <code>{request.host}</code>, model <code>{request.model}</code>
          </dd>
          {request.documents && request.documents.length > 0 && (
            <>
              <dt>Attached files</dt>
              <dd data-testid="consent-documents">
                {request.documents.map((d) => `${d.name} (≈${d.tokens} tokens)`).join(', ')}; their text is part of what
                is sent.
              </dd>
            </>
          )}
          <dt>Estimated cost</dt>
          <dd>up to ${request.estimatedCostUsd.toFixed(4)} (at most the answer's token limit)</dd>
        </dl>
        <p className="explain">Exactly this text leaves your machine:</p>
        <pre className="consent-text" data-testid="consent-text">
          {request.sends}
        </pre>
        <div className="dialog-actions">
          <button className="primary" onClick={() => void routingActions.answerConsent(request.messageId, 'yes')}>
            Send this query
          </button>
          <button onClick={() => void routingActions.answerConsent(request.messageId, 'yes for this conversation')}>
            Yes for this conversation
          </button>
          <button onClick={() => void routingActions.answerConsent(request.messageId, 'no')}>No, answer here</button>
        </div>
      </div>
    </div>
  );
}
