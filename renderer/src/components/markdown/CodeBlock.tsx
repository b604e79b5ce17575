import { memo, useEffect, useMemo, useState } from 'react';
import { highlightCode, highlighter, MAX_HIGHLIGHT } from './highlight.ts';
import { useLazyModule } from './lazyModule.ts';

/** Characters put on screen per code block; Copy still copies all of it. */
export const MAX_CODE_SHOWN = 200_000;

type CopyState = 'idle' | 'copied' | 'failed';

function CopyButton({ value }: { value: string }) {
  const [state, setState] = useState<CopyState>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <button
      type="button"
      className="code-copy"
      aria-label={state === 'copied' ? 'Copied' : 'Copy code'}
      onClick={() =>
        // No clipboard API outside a secure context (the headless shell opened from another machine).
        void (navigator.clipboard?.writeText(value) ?? Promise.reject(new Error('no clipboard'))).then(
          () => setState('copied'),
          () => setState('failed'),
        )
      }
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  );
}

/**
 * A code block with its language and a Copy button. It is highlighted once settled (its fence closed or
 * the answer finished), so a block still streaming costs no highlighting on each token; past
 * MAX_HIGHLIGHT characters the rest is plain, past MAX_CODE_SHOWN it is cut with a note.
 */
export const CodeBlock = memo(function CodeBlock({
  lang,
  value,
  settled,
}: {
  lang: string;
  value: string;
  settled: boolean;
}) {
  const lowlight = useLazyModule(highlighter, settled && lang !== '');
  const shown = value.length > MAX_CODE_SHOWN ? value.slice(0, MAX_CODE_SHOWN) : value;
  const highlightEnd =
    shown.length > MAX_HIGHLIGHT ? Math.max(shown.lastIndexOf('\n', MAX_HIGHLIGHT), 0) || MAX_HIGHLIGHT : shown.length;
  const highlighted = useMemo(
    () => (lowlight && settled ? highlightCode(lowlight, lang, shown.slice(0, highlightEnd)) : null),
    [lowlight, settled, lang, shown, highlightEnd],
  );
  const language = lang.toLowerCase();
  return (
    <div className="code-block" data-testid="code-block" data-highlighted={highlighted ? 'true' : 'false'}>
      <div className="code-head">
        <span className="code-lang">{lang || 'text'}</span>
        <CopyButton value={value} />
      </div>
      <pre>
        <code className={language ? `hljs language-${language}` : 'hljs'}>
          {highlighted ? [...highlighted, shown.slice(highlightEnd)] : shown}
        </code>
      </pre>
      {highlighted && highlightEnd < shown.length && (
        <p className="md-note">Highlighting stops after {MAX_HIGHLIGHT.toLocaleString('en-US')} characters.</p>
      )}
      {shown !== value && (
        <p className="md-note">
          Showing the first {MAX_CODE_SHOWN.toLocaleString('en-US')} of {value.length.toLocaleString('en-US')}{' '}
          characters; Copy copies all of them.
        </p>
      )}
    </div>
  );
});
