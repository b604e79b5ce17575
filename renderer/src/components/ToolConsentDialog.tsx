import { useModalDialog } from './useModalDialog.ts';
import { toolsActions, useToolsStore } from '../state/toolsStore.ts';

/** The model's arguments, indented when they parse as JSON; as written otherwise (cut ones do not parse). */
export function prettyArguments(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/**
 * Asks, for one tool call, whether it may run: the tool, its server, its description and the arguments the
 * model wrote, all as plain text (React escapes it; nothing is rendered as Markdown or HTML). A modal
 * <dialog>, as ConsentDialog: the browser keeps the focus inside it and gives it back when it closes. Esc
 * answers "Deny", the choice that runs nothing. The back end closes it when the answer is stopped.
 */
export function ToolConsentDialog() {
  const request = useToolsStore((s) => s.consents[0]);
  const dialog = useModalDialog(request !== undefined, request?.id);
  const answer = (value: 'once' | 'conversation' | 'deny') => {
    if (request) void toolsActions.answerConsent(request.id, value);
  };
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-modal="true"
      aria-labelledby="tool-consent-title"
      aria-describedby="tool-consent-what"
      data-testid={request ? 'tool-consent-dialog' : undefined}
      onCancel={(e) => {
        e.preventDefault();
        answer('deny');
      }}
    >
      {request && (
        <>
          <h2 id="tool-consent-title">Run the tool {request.tool}?</h2>
          <p id="tool-consent-what">
            {request.resultGoesTo
              ? `The model of ${request.resultGoesTo} asks to call a tool on this machine. Nothing runs unless you allow it; if you allow it, the tool's result is sent to ${request.resultGoesTo}. If you deny, the model is told and answers without it.`
              : 'The model asks to call a tool. Nothing runs unless you allow it; if you deny, the model is told and answers without it.'}
          </p>
          <dl className="consent-facts">
            <dt>Tool</dt>
            <dd data-testid="tool-consent-tool">{request.tool}</dd>
            <dt>Server</dt>
            <dd data-testid="tool-consent-server">
              {request.server === 'built-in' ? 'built into Edgewise' : `MCP server "${request.server}"`}
            </dd>
            <dt>Description</dt>
            <dd>{request.description || '(none given)'}</dd>
            <dt>Result goes to</dt>
            <dd data-testid="tool-consent-destination">
              {request.resultGoesTo ?? 'the model on this device (nothing leaves it)'}
            </dd>
          </dl>
          <p className="explain" id="tool-consent-args-label">
            Arguments, exactly as the model wrote them:
          </p>
          {/* focusable so that long arguments can be scrolled from the keyboard */}
          <pre
            className="consent-text"
            data-testid="tool-consent-arguments"
            tabIndex={0}
            aria-labelledby="tool-consent-args-label"
          >
            {prettyArguments(request.arguments)}
          </pre>
          <div className="dialog-actions">
            <button className="primary" onClick={() => answer('once')}>
              Allow once
            </button>
            <button onClick={() => answer('conversation')}>Allow for this conversation</button>
            <button data-initial-focus onClick={() => answer('deny')}>
              Deny
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
