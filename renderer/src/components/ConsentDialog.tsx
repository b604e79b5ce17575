import { useModalDialog } from './useModalDialog.ts';
import { routingActions, useRoutingStore } from '../state/routingStore.ts';

/**
 * Asks, for one query, whether it may go to the partner cloud, showing exactly what would be sent. A modal
 * <dialog>: the browser keeps the focus inside it and gives it back to where it was when it closes. Esc
 * answers "no", the choice that sends nothing.
 */
export function ConsentDialog() {
  const request = useRoutingStore((s) => s.consents[0]);
  const dialog = useModalDialog(request !== undefined);
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="consent-title"
      data-testid={request ? 'consent-dialog' : undefined}
      onCancel={(e) => {
        e.preventDefault();
        if (request) void routingActions.answerConsent(request.messageId, 'no');
      }}
    >
      {request && (
        <>
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
                  {request.documents.map((d) => `${d.name} (≈${d.tokens} tokens)`).join(', ')}; their text is part of
                  what is sent.
                </dd>
              </>
            )}
            {request.tools && request.tools.length > 0 && (
              <>
                <dt>Tools offered</dt>
                <dd data-testid="consent-tools">
                  {request.tools
                    .map((t) =>
                      t.server === 'built-in' ? `${t.name} (built-in)` : `${t.name} (MCP server ${t.server})`,
                    )
                    .join(', ')}
                  : their names and descriptions are sent with the query. Each call the partner asks for waits for your
                  answer, and only an allowed call&apos;s result is sent.
                </dd>
              </>
            )}
            <dt>Estimated cost</dt>
            <dd>up to ${request.estimatedCostUsd.toFixed(4)} (at most the answer's token limit)</dd>
          </dl>
          <p className="explain" id="consent-sends">
            Exactly this text leaves your machine:
          </p>
          {/* focusable so that a long query can be scrolled from the keyboard */}
          <pre className="consent-text" data-testid="consent-text" tabIndex={0} aria-labelledby="consent-sends">
            {request.sends}
          </pre>
          <div className="dialog-actions">
            <button className="primary" onClick={() => void routingActions.answerConsent(request.messageId, 'yes')}>
              Send this query
            </button>
            <button onClick={() => void routingActions.answerConsent(request.messageId, 'yes for this conversation')}>
              Yes for this conversation
            </button>
            <button data-initial-focus onClick={() => void routingActions.answerConsent(request.messageId, 'no')}>
              No, answer here
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
