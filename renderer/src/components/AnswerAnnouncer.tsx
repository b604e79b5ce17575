// What a screen reader hears of an answer: "Answering…" when it starts and the whole answer once it is
// finished, in a polite live region. The token stream itself is never announced: this component reads
// only the last answer's id and status from the store, and its text once, when the status settles.
import { useEffect, useRef, useState } from 'react';
import { useChatStore } from '../state/chatStore.ts';

const settled = {
  done: 'Answer',
  aborted: 'Stopped answer',
  error: 'Answer failed',
  interrupted: 'Interrupted answer',
};

export function AnswerAnnouncer() {
  const lastAnswer = useChatStore((s) => {
    const m = s.messages.findLast((m) => m.role === 'assistant');
    return m ? `${m.id} ${m.status}` : '';
  });
  const [said, setSaid] = useState('');
  // The answer seen streaming: only its end is announced, not answers that were already there.
  const streamingId = useRef<string | null>(null);
  useEffect(() => {
    const [id, status] = lastAnswer.split(' ') as [string, keyof typeof settled | 'streaming' | undefined];
    if (!id || !status) return;
    if (status === 'streaming') {
      if (streamingId.current !== id) setSaid('Answering…');
      streamingId.current = id;
      return;
    }
    if (streamingId.current !== id) return;
    streamingId.current = null;
    const message = useChatStore.getState().messages.find((m) => m.id === id);
    const text = message?.error ? `${message.text} ${message.error}` : (message?.text ?? '');
    setSaid(`${settled[status]}: ${text.trim()}`);
  }, [lastAnswer]);
  return (
    <div className="sr-only" role="status" aria-live="polite" data-testid="answer-announcer">
      {said}
    </div>
  );
}
