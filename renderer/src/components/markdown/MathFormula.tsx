import { memo, useLayoutEffect, useRef, useState } from 'react';
import { mathRenderer, typeset } from './math.ts';
import { useLazyModule } from './lazyModule.ts';
import { runSliced } from './sliced.ts';

/** A formula: its source until KaTeX has loaded and typeset it, and its source for good if KaTeX cannot. */
export const MathFormula = memo(function MathFormula({ tex, display }: { tex: string; display: boolean }) {
  const katex = useLazyModule(mathRenderer);
  const holder = useRef<HTMLSpanElement>(null);
  const [state, setState] = useState<{ typeset: boolean; error: string | null }>({ typeset: false, error: null });
  useLayoutEffect(() => {
    const el = holder.current;
    if (!katex || !el) return;
    // Sliced: when KaTeX arrives, or a conversation full of formulas opens, they are typeset a few per task.
    return runSliced(() => {
      const error = typeset(katex, tex, display, el);
      setState({ typeset: error === null, error });
    });
  }, [katex, tex, display]);
  const source = display ? `$$${tex}$$` : `$${tex}$`;
  // A span even for display math (shown as a block by CSS): `$$x$$` can sit inside a paragraph.
  return (
    <span
      className={display ? 'math math-display' : 'math math-inline'}
      data-testid="math"
      data-state={state.error ? 'source' : state.typeset ? 'typeset' : 'pending'}
    >
      {!state.typeset && (
        <code className="math-source" title={state.error ? `Not typeset: ${state.error}` : undefined}>
          {source}
        </code>
      )}
      <span ref={holder} />
    </span>
  );
});
