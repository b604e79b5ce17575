import { memo, useState } from 'react';
import type { Message } from '../../../shared/schemas.ts';
import { chatActions, useChatStore } from '../state/chatStore.ts';
import { fmt } from '../format.ts';
import { Markdown } from './Markdown.tsx';
import { TraceView } from './TraceView.tsx';
import { CitationScope, Sources } from './documents/Sources.tsx';
import { BranchSwitcher } from './BranchSwitcher.tsx';
import { ThinkingBlock } from './ThinkingBlock.tsx';
import { ToolSteps } from './ToolSteps.tsx';
import { useToolsStore } from '../state/toolsStore.ts';

function Stats({ message }: { message: Message }) {
  const live = useChatStore((s) => s.live[message.id]);
  if (message.status === 'streaming') {
    return (
      <div className="stats live" data-testid="live-stats">
        {live ? `${live.outputTokens} tokens` : 'Thinking…'}
        {live?.tokensPerSec != null && ` · ${fmt(live.tokensPerSec, 1)} tok/s`}
      </div>
    );
  }
  const s = message.stats;
  return (
    <div className="stats" data-testid="stats">
      {s && (
        <span>
          {s.backend === 'remote'
            ? `${s.modelFile} · remote · first token after ${fmt(s.ttftMs)} ms · `
            : `${s.modelFile} · ${s.quantization} · ${s.backend} · TTFT ${fmt(s.ttftMs)} ms · prompt ${s.promptTokens} tok${s.prefillTokensPerSec > 0 ? ` @ ${fmt(s.prefillTokensPerSec)} tok/s` : ' (reused from cache)'} · `}
          {s.outputTokens} tok @ {fmt(s.decodeTokensPerSec, 1)} tok/s{s.backend === 'remote' && ' (as received)'} ·
          stop: {s.stopReason}
          {s.thoughtTokens != null &&
            ` · ${s.thoughtTokens} thinking tok${s.firstAnswerMs != null ? `, first answer token after ${fmt(s.firstAnswerMs)} ms` : ''}`}
          {s.thinkingOff &&
            ` · thinking off (${s.thinkingOff === 'template' ? "by the model's template" : 'thought budget 0'})`}
          {s.meanConfidence != null && ` · confidence ${fmt(s.meanConfidence, 2)}`}
          {s.backend !== 'remote' &&
            (s.energyPerTokenMj != null ? (
              <span title={`${s.powerSource}: ${s.powerMethod}`}>
                {' '}
                · {fmt(s.energyJoules ?? 0, 2)} J, {fmt(s.energyPerTokenMj, 1)} mJ/token
              </span>
            ) : s.powerUnavailable ? (
              <span title={s.powerUnavailable}> · energy unavailable</span>
            ) : null)}
          {s.peakRssBytes != null && ` · worker ${fmt(s.peakRssBytes / 1024 ** 2)} MB`}
        </span>
      )}
      {s?.contextShifted && <span className="shifted"> · earlier turns were dropped to fit the context window</span>}
      {message.status === 'aborted' && <span> · stopped</span>}
      {message.status === 'interrupted' && <span className="warn"> · interrupted</span>}
      {message.error && (
        <div className="message-error" role="alert">
          {message.error}
        </div>
      )}
    </div>
  );
}

/** The answer's tool calls: from its trace once it is done, as they end while it is written. */
function MessageTools({ message }: { message: Message }) {
  const live = useToolsStore((s) => s.live[message.id]);
  const steps = message.trace?.tools ?? live;
  return steps && steps.length > 0 ? <ToolSteps steps={steps} /> : null;
}

export const MessageView = memo(function MessageView({ message }: { message: Message }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(message.text);
  const busy = useChatStore((s) => s.messages.some((m) => m.status === 'streaming'));
  const last = useChatStore((s) => s.messages.at(-1)?.id === message.id);
  return (
    <article
      className={`message ${message.role}`}
      data-testid={`message-${message.role}`}
      data-status={message.status}
      data-message-id={message.id}
    >
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setEditing(false);
            void chatActions.edit(message.id, draft);
          }}
        >
          <textarea value={draft} aria-label="Edit message" onChange={(e) => setDraft(e.target.value)} />
          <button type="submit" className="primary">
            Save & resend
          </button>
          <button type="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <>
          {/* Reasoning sits above the body, outside message-text, so the answer's own text stays as it is. */}
          {message.role === 'assistant' && message.thoughts && <ThinkingBlock message={message} />}
          <div className="body" data-testid="message-text">
            {message.role === 'assistant' ? (
              <CitationScope documents={message.trace?.documents}>
                <Markdown text={message.text} streaming={message.status === 'streaming'} />
              </CitationScope>
            ) : (
              message.text
            )}
          </div>
        </>
      )}
      {message.role === 'user' && !editing && !busy && (
        <button
          className="edit"
          onClick={() => {
            setDraft(message.text);
            setEditing(true);
          }}
        >
          Edit
        </button>
      )}
      {message.role === 'assistant' && <MessageTools message={message} />}
      {message.role === 'assistant' && message.trace?.documents && <Sources documents={message.trace.documents} />}
      <BranchSwitcher message={message} />
      {message.role === 'assistant' && <Stats message={message} />}
      {message.role === 'assistant' && message.trace && (
        <TraceView trace={message.trace} messageId={message.id} last={last} />
      )}
    </article>
  );
});
