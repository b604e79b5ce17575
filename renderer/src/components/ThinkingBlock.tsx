// A reasoning model's thoughts above its answer: open while it thinks, folded once the answer starts,
// and kept open once the user opens it. Thoughts are Markdown as the answer is (models write lists, code
// and formulas while they think), through the same renderer and so the same rules: raw HTML stays text,
// only web links are followed, nothing loads; while they stream only their last block is parsed again.
import { useState } from 'react';
import type { Message } from '../../../shared/schemas.ts';
import { fmt } from '../format.ts';
import { Markdown } from './Markdown.tsx';

function summary(message: Message, thinking: boolean): string {
  if (thinking) return 'Thinking…';
  const s = message.stats;
  if (s?.thoughtMs == null) return 'Thoughts';
  const tokens = s.thoughtTokens != null ? `, ${fmt(s.thoughtTokens)} tokens` : '';
  const received = s.backend === 'remote' && tokens ? ' (as the server reported)' : '';
  return `Thought for ${fmt(s.thoughtMs / 1000, 1)} s${tokens}${received}`;
}

/** Why a thought ended without an answer, or never closed. */
function note(message: Message): string | null {
  const s = message.stats;
  if (message.status === 'streaming' || !s?.thoughtUnclosed) return null;
  if (message.text) return 'The thought never closed; the text after it is shown as the answer.';
  const why =
    s.stopReason === 'maxTokens'
      ? 'it reached the answer’s token limit while thinking. Raise Max tokens, or set a thought budget, and regenerate'
      : s.stopReason === 'aborted'
        ? 'it was stopped while thinking'
        : 'its thought never closed';
  return `The model thought but gave no answer: ${why}. Everything it thought is kept above.`;
}

export function ThinkingBlock({ message }: { message: Message }) {
  // null: follow the answer (open while thinking); true or false: the user's own choice, kept.
  const [chosen, setChosen] = useState<boolean | null>(null);
  const thinking = message.status === 'streaming' && message.text === '';
  const open = chosen ?? thinking;
  const why = note(message);
  return (
    <details className="thinking" data-testid="thinking" open={open}>
      <summary
        onClick={(e) => {
          e.preventDefault();
          setChosen(!open);
        }}
      >
        {summary(message, thinking)}
      </summary>
      <div className="thoughts" data-testid="thoughts">
        <Markdown text={message.thoughts ?? ''} streaming={thinking} />
      </div>
      {why && (
        <p className="thinking-note warn" role="note" data-testid="thinking-note">
          {why}
        </p>
      )}
    </details>
  );
}
