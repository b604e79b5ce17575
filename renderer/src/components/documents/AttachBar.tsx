import { useEffect, useRef } from 'react';
import { DOCUMENT_LIMITS } from '../../../../shared/documents.ts';
import { documentsActions, useDocumentsStore } from '../../state/documentsStore.ts';
import { useChatStore } from '../../state/chatStore.ts';

const ACCEPT =
  '.txt,.md,.markdown,.csv,.tsv,.json,.jsonl,.pdf,.docx,.py,.ts,.tsx,.js,.jsx,.rs,.go,.java,.c,.h,.cpp,.sh,.sql,.yaml,.yml,.toml,.html,.css,.xml';
const count = (n: number) => n.toLocaleString('en-US');

/** The conversation's attachments: pick files or a folder, see each one's tokens against the context. */
export function AttachBar() {
  const currentId = useChatStore((s) => s.currentId);
  const contextSize = useChatStore((s) => s.conversations.find((c) => c.id === s.currentId)?.settings.contextSize);
  const { documents, sending, problems } = useDocumentsStore();
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  useEffect(() => {
    void documentsActions.show(currentId);
  }, [currentId]);
  if (!currentId) return null;
  const total = documents.reduce((n, d) => n + d.tokens, 0);
  const estimated = documents.some((d) => d.tokenBasis === 'estimate');
  const pick = (input: HTMLInputElement | null, fromFolder: boolean) => {
    const chosen = [...(input?.files ?? [])];
    if (input) input.value = '';
    if (chosen.length > 0) void documentsActions.attach(currentId, chosen, fromFolder);
  };
  return (
    <div className="attach-bar" data-testid="attach-bar">
      <div className="attach-actions">
        <button type="button" onClick={() => files.current?.click()} disabled={sending !== null}>
          Attach files
        </button>
        <button type="button" onClick={() => folder.current?.click()} disabled={sending !== null}>
          Attach folder
        </button>
        <input
          ref={files}
          type="file"
          multiple
          hidden
          accept={ACCEPT}
          aria-label="Files to attach"
          onChange={(e) => pick(e.currentTarget, false)}
        />
        <input
          ref={folder}
          type="file"
          hidden
          aria-label="Folder to attach"
          {...{ webkitdirectory: '' }}
          onChange={(e) => pick(e.currentTarget, true)}
        />
        <span className="explain">
          Up to {DOCUMENT_LIMITS.fileBytes / 1024 / 1024} MiB a file, {count(DOCUMENT_LIMITS.files)} files. Read on this
          machine.
        </span>
      </div>
      {sending && (
        <p className="attach-sending" role="status">
          Reading {sending}…
        </p>
      )}
      {problems.length > 0 && (
        <div className="attach-problems" role="alert" data-testid="attach-problems">
          <ul>
            {problems.map((p, i) => (
              <li key={i}>{p.reason}</li>
            ))}
          </ul>
          <button type="button" onClick={documentsActions.dismissProblems}>
            Dismiss
          </button>
        </div>
      )}
      {documents.length > 0 && (
        <>
          <ul className="attachments" aria-label="Attached documents">
            {documents.map((d) => (
              <li key={d.id} data-testid="attachment">
                <span className="attachment-name">{d.name}</span>{' '}
                <span className="attachment-facts">
                  {d.kind}
                  {d.pages !== null && `, ${d.pages} pages`} · {d.tokenBasis === 'estimate' && '≈'}
                  {count(d.tokens)} tokens
                </span>
                <button
                  type="button"
                  aria-label={`Remove ${d.name}`}
                  onClick={() => void documentsActions.remove(d.id)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
          <p className="attach-total" data-testid="attach-total">
            {estimated
              ? `≈${count(total)} tokens attached (estimated at 4 characters a token: no loaded model could count them)`
              : `${count(total)} tokens attached (counted by the model's tokenizer)`}
            {contextSize !== undefined &&
              (total <= contextSize * 0.6
                ? ` against a context of ${count(contextSize)}: fits whole, with room for the answer`
                : ` against a context of ${count(contextSize)}: too much to send whole, so each question gets the passages that match it`)}
            .
          </p>
        </>
      )}
    </div>
  );
}
